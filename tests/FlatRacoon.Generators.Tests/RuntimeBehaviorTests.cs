using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Xunit;

namespace FlatRacoon.Generators.Tests;

/// <summary>The generated code does what the docs say when it runs: JSON shape, config precedence, registration.</summary>
public sealed class RuntimeBehaviorTests
{
    private const string Probe = """
        using System;
        using System.IO;
        using System.Linq;
        using System.Text;
        using System.Text.Json;
        using FlatRacoon;
        using FlatRacoon.Generated;

        namespace User
        {
            public static class Probe
            {
                public static string Json(IModuleConfig config)
                {
                    using var stream = new MemoryStream();
                    using (var writer = new Utf8JsonWriter(stream))
                    {
                        config.WriteJson(writer);
                    }
                    return Encoding.UTF8.GetString(stream.ToArray());
                }

                public static string DefaultIpfs() => Json(IpfsOverlayConfig.Default);

                public static string ProductionZerotier() => Json(Environments.Production.ZerotierK8sLink);

                public static int FromEnvironment() => Ipfs(StackBuilder.Create("s", Environments.Production.Environment)).Config.Replicas;

                public static int FromCallback() => Ipfs(StackBuilder.Create("s", Environments.Production.Environment), c => c with { Replicas = c.Replicas + 2 }).Config.Replicas;

                public static int FromArgument() => Ipfs(StackBuilder.Create("s", Environments.Production.Environment), new IpfsOverlayConfig { Replicas = 9 }).Config.Replicas;

                public static int FromDefaults() => Ipfs(StackBuilder.Create("s", new StackEnvironment("bare"))).Config.Replicas;

                private static IpfsOverlayResource Ipfs(StackBuilder stack, System.Func<IpfsOverlayConfig, IpfsOverlayConfig>? configure = null) =>
                    stack.AddIpfsOverlay(stack.AddExternalOverlayNetwork(), stack.AddExternalKubernetesApi(), stack.AddExternalSecretStore(), configure);

                private static IpfsOverlayResource Ipfs(StackBuilder stack, IpfsOverlayConfig config) =>
                    stack.AddIpfsOverlay(stack.AddExternalOverlayNetwork(), stack.AddExternalKubernetesApi(), stack.AddExternalSecretStore(), config: config);

                public static string MissingRequired()
                {
                    try
                    {
                        var stack = StackBuilder.Create("s", new StackEnvironment("bare"));
                        stack.AddZerotierK8sLink(stack.AddFlatracoonOs(), stack.AddExternalKubernetesApi(), stack.AddExternalSecretStore());
                        return "no exception";
                    }
                    catch (ModuleConfigurationException e)
                    {
                        return e.Module + ": " + string.Join(",", e.MissingSettings);
                    }
                }

                public static string NestedDefaultsKept() =>
                    Environments.Development.IpfsOverlay.ConnectionManager.GracePeriod + " " + Environments.Development.IpfsOverlay.ConnectionManager.HighWater;

                public static string Catalog()
                {
                    _ = FlatRacoonModules.All;
                    return string.Join(",", ModuleCatalog.All.Select(d => d.Name).Where(n => n is "flatracoon-os" or "ipfs-overlay" or "zerotier-k8s-link"));
                }

                public static string Descriptor() => FlatRacoonModules.ZerotierK8sLink.Image + " " + FlatRacoonModules.IpfsOverlay.HealthEndpoint + " " + FlatRacoonModules.IpfsOverlay.Layer + " " + FlatRacoonModules.ZerotierK8sLink.Workload;
            }
        }
        """;

    private static readonly Lazy<Type> s_probe = new(Build);

    [Fact]
    public void WriteJson_writes_snake_case_keys_in_schema_order_with_enum_strings_and_secret_references() =>
        Assert.Equal(
            "{\"bootstrap_peers\":[],\"connection_manager\":{\"grace_period\":\"20s\",\"high_water\":100,\"low_water\":50},"
            + "\"gateway_enabled\":true,\"gc_watermark\":0.9,\"labels\":{\"tier\":\"storage\"},\"overlay_prefix\":null,"
            + "\"profile\":\"server\",\"replicas\":3,\"resources\":{\"limits\":{\"cpu\":\"2\",\"memory\":\"4Gi\"},"
            + "\"requests\":{\"cpu\":\"250m\",\"memory\":\"1Gi\"}},\"storage_quota_bytes\":500000000000,"
            + "\"swarm_key\":\"vault://secret/flatracoon/ipfs#swarm_key\"}",
            Call<string>("DefaultIpfs"));

    [Fact]
    public void Environment_values_arrays_of_records_and_enum_arrays_are_written() =>
        Assert.Equal(
            "{\"api_token\":\"vault://secret/flatracoon/zerotier#api_token\",\"log_level\":\"info\",\"network_id\":\"f1a7c0de00f10003\","
            + "\"overlay_prefix\":\"2001:db8:f1a7:2e00::/64\",\"peer_asn\":4200000000,"
            + "\"routes\":[{\"target\":\"2001:db8:f1a7::/48\",\"via\":\"2001:db8:f1a7:2e00::1\"},{\"target\":\"192.0.2.0/24\",\"via\":null}],"
            + "\"tags\":[\"core\",\"edge\"]}",
            Call<string>("ProductionZerotier"));

    [Fact]
    public void Add_takes_the_given_config_then_the_environment_then_the_defaults()
    {
        Assert.Equal(9, Call<int>("FromArgument"));
        Assert.Equal(5, Call<int>("FromEnvironment"));
        Assert.Equal(7, Call<int>("FromCallback"));
        Assert.Equal(3, Call<int>("FromDefaults"));
    }

    [Fact]
    public void Add_without_values_for_required_settings_throws_naming_them() =>
        Assert.Equal("zerotier-k8s-link: network_id,overlay_prefix", Call<string>("MissingRequired"));

    [Fact]
    public void A_partial_nested_override_keeps_the_other_nested_defaults() =>
        Assert.Equal("20s 20", Call<string>("NestedDefaultsKept"));

    [Fact]
    public void The_module_initializer_registers_the_descriptors() =>
        Assert.Equal("flatracoon-os,ipfs-overlay,zerotier-k8s-link", Call<string>("Catalog"));

    [Fact]
    public void Descriptors_carry_the_manifest() =>
        Assert.Equal(
            "docker.io/zerotier/zerotier:1.14.2@sha256:0d6a1e4c6f1b9d3a2e5f7c8b9a0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d :8080/health Storage DaemonSet",
            Call<string>("Descriptor"));

    [Fact]
    public void Modules_the_code_does_not_name_have_the_same_descriptors_read_from_data()
    {
        // The probe names no module; the environments configure two, so flatracoon-os is read from data.
        const string listing = """
            using System.Linq;
            using FlatRacoon.Generated;

            namespace User
            {
                public static class Listing
                {
                    public static string All() => string.Join("\n", FlatRacoonModules.All.Select(d =>
                        $"{d.Name} {d.Version} {d.Layer} [{string.Join(",", d.Requires)}] [{string.Join(",", d.Provides)}] {d.HealthEndpoint} {d.MetricsEndpoint} {d.Image} {d.Workload} {d.Description}"));
                }
            }
            """;
        var files = GeneratorHarness.LoadJsonFiles(Path.Combine(GeneratorHarness.TestDataDirectory, "Network"));
        var onDemand = GeneratorHarness.Run(files, new TestOptionsProvider(), listing);
        var all = GeneratorHarness.Run(files, new TestOptionsProvider(new System.Collections.Generic.Dictionary<string, string> { ["build_property.FlatRacoonGenerateAllModules"] = "true" }), listing);
        Assert.Contains("ModulesOnDemand.g.cs", onDemand.Sources.Keys);
        Assert.DoesNotContain("FlatracoonOs.g.cs", onDemand.Sources.Keys);
        Assert.Contains("FlatracoonOs.g.cs", all.Sources.Keys);

        var fromData = (string)Load(onDemand, "User.Listing").GetMethod("All")!.Invoke(null, null)!;
        var fromCode = (string)Load(all, "User.Listing").GetMethod("All")!.Invoke(null, null)!;
        Assert.Equal(fromCode, fromData);
        Assert.Equal(3, fromData.Split('\n').Length);
        Assert.Contains("flatracoon-os ", fromData, StringComparison.Ordinal);
    }

    private static T Call<T>(string method) => (T)s_probe.Value.GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null)!;

    private static Type Build() => Load(GoldenFileTests.RunCase("Network", Probe), "User.Probe");

    private static Type Load(GeneratorOutput output, string typeName)
    {
        Assert.True(output.GeneratorDiagnostics.IsEmpty, GeneratorHarness.Describe(output.GeneratorDiagnostics));
        using var stream = new MemoryStream();
        var emit = output.OutputCompilation.Emit(stream);
        Assert.True(emit.Success, GeneratorHarness.Describe(emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        stream.Position = 0;
        var assembly = new AssemblyLoadContext("generated", isCollectible: true).LoadFromStream(stream);
        return assembly.GetType(typeName, throwOnError: true)!;
    }
}

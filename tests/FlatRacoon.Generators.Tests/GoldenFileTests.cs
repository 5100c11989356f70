using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace FlatRacoon.Generators.Tests;

/// <summary>
/// Generated sources for the samples under TestData/&lt;Case&gt;/ must equal TestData/&lt;Case&gt;/Expected/*.g.cs.
/// Set FLATRACOON_UPDATE_EXPECTED=1 to rewrite the expected files (then review the diff); without it a
/// difference fails the test.
/// </summary>
public sealed class GoldenFileTests
{
    private const string UpdateVariable = "FLATRACOON_UPDATE_EXPECTED";

    public static TheoryData<string> Cases => new() { "Network", "CustomNamespace" };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_sources_equal_the_expected_files(string caseName)
    {
        // With code that names every module, as a stack program does: each module's typed API is emitted.
        var output = RunCase(caseName, UsageCode(caseName));
        Assert.True(output.GeneratorDiagnostics.IsEmpty, GeneratorHarness.Describe(output.GeneratorDiagnostics));

        var expectedDirectory = Path.Combine(GeneratorHarness.TestDataDirectory, caseName, "Expected");
        var actual = output.Sources;
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(expectedDirectory);
            foreach (var stale in Directory.EnumerateFiles(expectedDirectory, "*.g.cs"))
            {
                File.Delete(stale);
            }
            foreach (var (hintName, text) in actual)
            {
                File.WriteAllText(Path.Combine(expectedDirectory, hintName), text);
            }
            return;
        }

        Assert.True(Directory.Exists(expectedDirectory), $"No expected files in {expectedDirectory}; run the tests once with {UpdateVariable}=1 and review them.");
        var expected = Directory.EnumerateFiles(expectedDirectory, "*.g.cs")
            .ToDictionary(p => Path.GetFileName(p), File.ReadAllText, StringComparer.Ordinal);
        Assert.Equal(expected.Keys.OrderBy(k => k, StringComparer.Ordinal), actual.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var (hintName, text) in actual)
        {
            if (!string.Equals(expected[hintName], text, StringComparison.Ordinal))
            {
                Assert.Fail($"{hintName} differs from {Path.Combine(expectedDirectory, hintName)} (set {UpdateVariable}=1 to accept the new output):{Environment.NewLine}{FirstDifference(expected[hintName], text)}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_sources_compile_without_warnings(string caseName)
    {
        var output = RunCase(caseName, UsageCode(caseName));
        Assert.True(output.GeneratorDiagnostics.IsEmpty, GeneratorHarness.Describe(output.GeneratorDiagnostics));
        Assert.True(output.CompilationProblems.Count == 0, GeneratorHarness.Describe(output.CompilationProblems));
    }

    [Fact]
    public void Public_generated_types_document_every_member()
    {
        // With public types and documentation diagnostics on, a missing XML doc would be CS1591.
        var files = GeneratorHarness.LoadJsonFiles(Path.Combine(GeneratorHarness.TestDataDirectory, "Network"));
        var options = new TestOptionsProvider(new Dictionary<string, string> { ["build_property.FlatRacoonGeneratedVisibility"] = "public" });
        var output = GeneratorHarness.Run(files, options, UsageCode("Network"));
        Assert.True(output.GeneratorDiagnostics.IsEmpty, GeneratorHarness.Describe(output.GeneratorDiagnostics));
        Assert.Contains("public sealed partial record IpfsOverlayConfig", output.Sources["IpfsOverlay.g.cs"], StringComparison.Ordinal);
        Assert.True(output.CompilationProblems.Count == 0, GeneratorHarness.Describe(output.CompilationProblems));
    }

    [Fact]
    public void Generating_twice_gives_identical_text()
    {
        var first = RunCase("Network", UsageCode("Network")).Sources;
        var second = RunCase("Network", UsageCode("Network")).Sources;
        Assert.Equal(first, second);
        Assert.All(first.Values, text => Assert.DoesNotContain("\r", text));
    }

    internal static GeneratorOutput RunCase(string caseName, params string[] userCode)
    {
        var directory = Path.Combine(GeneratorHarness.TestDataDirectory, caseName);
        var files = GeneratorHarness.LoadJsonFiles(directory);
        TestOptionsProvider options = caseName switch
        {
            // Custom namespace, public types, and files recognised by metadata instead of by name.
            "CustomNamespace" => new TestOptionsProvider(
                new Dictionary<string, string>
                {
                    ["build_property.FlatRacoonGeneratedNamespace"] = "Contoso.Network.Stack",
                    ["build_property.FlatRacoonGeneratedVisibility"] = "public",
                },
                files.ToDictionary(
                    f => f.Path,
                    f => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>
                    {
                        ["build_metadata.AdditionalFiles.FlatRacoonKind"] = Path.GetFileName(f.Path) switch
                        {
                            "module.json" => "manifest",
                            "stack-environments.json" => "environments",
                            _ => "schema",
                        },
                    })),
            _ => new TestOptionsProvider(),
        };
        return GeneratorHarness.Run(files, options, userCode);
    }

    /// <summary>User code that touches what each case generates, with XML docs required (CS1591 on).</summary>
    private static string[] UsageCode(string caseName) => caseName switch
    {
        "Network" => new[]
        {
            """
            using FlatRacoon;
            using FlatRacoon.Generated;

            namespace User
            {
                /// <summary>A stack.</summary>
                public static class Program
                {
                    /// <summary>Declares it.</summary>
                    public static Stack Declare()
                    {
                        var stack = StackBuilder.Create("netstack", Environments.Production.Environment);
                        var hosts = stack.AddFlatracoonOs();
                        var k8s = stack.AddExternalKubernetesApi();
                        var secrets = stack.AddExternalSecretStore();
                        var link = stack.AddZerotierK8sLink(hosts, k8s, secrets);
                        stack.AddIpfsOverlay(link, k8s, secrets, c => c with { Replicas = 5, Profile = IpfsOverlayProfile.LowPower }).WaitFor(link);
                        _ = Capabilities.OverlayNetwork + StackDefaults.Network.Nat64Prefix + StackDefaults.Layers.Length;
                        _ = FlatRacoonModules.All.Length + Environments.Development.IpfsOverlay.Replicas;
                        return stack.Freeze();
                    }
                }
            }
            """,
        },
        _ => new[]
        {
            """
            using Contoso.Network.Stack;
            using FlatRacoon;

            namespace User
            {
                /// <summary>A stack.</summary>
                public static class Program
                {
                    /// <summary>Declares it.</summary>
                    public static Stack Declare()
                    {
                        var stack = StackBuilder.Create("edge", Environments.Lab.Environment);
                        stack.AddEdgeRouter(config: new EdgeRouterConfig { Asn = 64512, Peers = default });
                        return stack.Freeze();
                    }
                }
            }
            """,
        },
    };

    private static string FirstDifference(string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var e = i < expectedLines.Length ? expectedLines[i] : "<end of file>";
            var a = i < actualLines.Length ? actualLines[i] : "<end of file>";
            if (e != a)
            {
                return $"line {i + 1}:{Environment.NewLine}  expected: {e}{Environment.NewLine}  actual:   {a}";
            }
        }
        return "(only line endings differ)";
    }
}

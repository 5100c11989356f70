using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json;
using FlatRacoon.Modules;
using FlatRacoon.Modules.IpfsOverlay;
using FlatRacoon.Modules.TwingateHelmDeploy;
using FlatRacoon.Rendering;
using FlatRacoon.Rendering.CustomResources;
using Xunit;

namespace FlatRacoon.Sdk.Tests;

/// <summary>The module renderers' building blocks and their contracts, without the generator.</summary>
public class ModuleRendererTests
{
    [Theory]
    [InlineData("2001:db8:f1a7:2e00::/64", 64)]
    [InlineData("fd7a:f1a7:2e00::/48", 48)]
    [InlineData("fd00::/8", 8)]
    [InlineData("2001:db8::1/128", 128)]
    public void The_complement_of_a_prefix_covers_exactly_what_lies_outside(string prefix, int filters)
    {
        var network = Ipv6Network.Parse(prefix);
        var complement = network.Complement();
        Assert.Equal(filters, complement.Count);
        Assert.DoesNotContain(complement, c => c.Contains(network) || network.Contains(c));
        var random = new Random(7);
        for (var i = 0; i < 3000; i++)
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            if (i % 3 == 0)
            {
                // Inside: keep the prefix bits of the network, random host bits.
                var n = Ipv6Network.ToNumber(new IPAddress(bytes));
                var mask = network.Length == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - network.Length);
                bytes = Ipv6Network.ToAddress((n & ~mask) | network.Network).GetAddressBytes();
            }
            var address = new IPAddress(bytes);
            Assert.Equal(!network.Contains(address), complement.Count(c => c.Contains(address)) == 1);
            Assert.True(complement.Count(c => c.Contains(address)) <= 1, "complement prefixes overlap");
        }
    }

    [Fact]
    public void Halves_split_a_prefix_into_node_and_pod_pools()
    {
        var (lower, upper) = Ipv6Network.Parse("2001:db8:f1a7:2e00::/64").Halves();
        Assert.Equal("2001:db8:f1a7:2e00::/65", lower.ToString());
        Assert.Equal("2001:db8:f1a7:2e00:8000::/65", upper.ToString());
        Assert.Equal(IPAddress.Parse("2001:db8:f1a7:2e00:7fff:ffff:ffff:ffff"), lower.Last);
        Assert.Throws<FormatException>(() => Ipv6Network.Parse("10.0.0.0/8"));
        Assert.Throws<FormatException>(() => Ipv6Network.Parse("2001:db8::/129"));
    }

    [Fact]
    public void Kubo_filters_block_all_ipv4_and_every_ipv6_prefix_outside_the_overlay()
    {
        var overlay = Modules.ZerotierK8sLink.ZerotierK8sLinkRenderer.Overlay(null);
        Assert.Null(overlay);
        var network = new Modules.ZerotierK8sLink.OverlayNetwork("f1a7c0de00f10003", Ipv6Network.Parse("fd00:1:2:3::/64"),
            Ipv6Network.Parse("fd00:1:2:3::/65"), Ipv6Network.Parse("fd00:1:2:3:8000::/65"), "zt", "ns", "nad", "net1");
        var filters = KuboConfig.Filters(network);
        Assert.Equal("/ip4/0.0.0.0/ipcidr/0", filters[0]);
        Assert.Equal(65, filters.Count);
        Assert.Contains("/ip6/fd00:1:2:2::/ipcidr/64", filters);
    }

    [Theory]
    [InlineData("500Gi", "460800MiB")]
    [InlineData("10Gi", "9216MiB")]
    [InlineData("512Mi", "460MiB")]
    public void Kubo_storage_max_is_ninety_percent_of_the_volume(string size, string expected) =>
        Assert.Equal(expected, IpfsOverlayRenderer.StorageMax(size));

    [Fact]
    public void Connector_references_get_the_connector_index_when_there_are_several()
    {
        var vault = SecretReference.Parse("vault://secret/flatracoon/twingate#access_token");
        Assert.Equal(vault, TwingateHelmDeployRenderer.ForConnector(vault, 0, 1));
        Assert.Equal("vault://secret/flatracoon/twingate#access_token-1", TwingateHelmDeployRenderer.ForConnector(vault, 1, 2).ToString());
        Assert.Equal("env://TOKEN_1", TwingateHelmDeployRenderer.ForConnector(SecretReference.Parse("env://TOKEN"), 1, 2).ToString());
        Assert.Equal("sops://s.yaml#k-0", TwingateHelmDeployRenderer.ForConnector(SecretReference.Parse("sops://s.yaml#k"), 0, 3).ToString());
        Assert.Equal("file:///run/token-2", TwingateHelmDeployRenderer.ForConnector(SecretReference.Parse("file:///run/token"), 2, 3).ToString());
    }

    [Fact]
    public void Vault_secrets_become_external_secrets_and_everything_else_an_apply_time_plan()
    {
        var set = StackRenderer.Render(SecretsStack().Build(), new ModuleRenderers { Fallback = new SecretsOnly() });
        var external = set.Objects.Select(o => o.Object).OfType<ExternalSecret>().Single();
        Assert.Equal("all-vault", external.Metadata.Name);
        Assert.Equal("flatracoon-vault", external.Spec.SecretStoreRef.Name);
        Assert.Equal(new[] { ("a", "app/one", "x"), ("b", "app/two", "y") },
            external.Spec.Data.Select(d => (d.SecretKey, d.RemoteRef.Key, d.RemoteRef.Property!)));

        var plan = JsonDocument.Parse(set.Artifacts.Single(a => a.RelativePath == "holder/" + ModuleSecrets.ApplyTimeFile).Content).RootElement;
        var names = plan.GetProperty("secrets").EnumerateArray().Select(s => s.GetProperty("name").GetString());
        // Mixed sources, and Vault references on two mounts, are materialised at apply time.
        Assert.Equal(new[] { "mixed", "two-mounts" }, names);
        Assert.Contains("env://APP_TOKEN", plan.GetRawText());
        Assert.Equal("flatracoon-vault-kv-apps", ModuleSecrets.VaultStoreName("kv/apps"));
    }

    [Fact]
    public void All_references_of_a_configuration_are_found_by_path()
    {
        using var doc = JsonDocument.Parse("""{"a":"vault://secret/x#k","b":{"c":"env://C","d":"plain"},"e":["file:///f"],"u":"https://example.com/x"}""");
        var found = ModuleSecrets.AllReferences(doc.RootElement).Select(r => $"{r.Key}={r.Value}");
        Assert.Equal(new[] { "a=vault://secret/x#k", "b.c=env://C", "e[0]=file:///f" }, found);
    }

    [Fact]
    public void Ipfs_refuses_to_render_without_an_overlay_binding_and_uses_the_bound_prefix()
    {
        var unbound = OverlayStack(bind: false);
        var error = Assert.Throws<InvalidOperationException>(() => StackRenderer.Render(unbound.Build()));
        Assert.Contains("WithOverlay", error.Message);

        var set = StackRenderer.Render(OverlayStack(bind: true).Build());
        var config = set.Artifacts.Single(a => a.RelativePath == "ipfs-overlay/kubo-config.json").Content;
        Assert.Contains("/ip6/fd00:1:2:2::/ipcidr/64", config);
        var nad = set.Objects.Select(o => o.Object).OfType<NetworkAttachmentDefinition>().Single();
        Assert.Contains("\"range\":\"fd00:1:2:3:8000::/65\"", nad.Spec.Config);
        Assert.Contains("'fd00:1:2:3::/64'", set.Artifacts.Single(a => a.RelativePath == "ipfs-overlay/kubo-start.sh").Content);
    }

    [Fact]
    public void An_enabled_ipfs_gateway_listens_on_the_overlay_only_and_is_never_exposed()
    {
        var set = StackRenderer.Render(OverlayStack(bind: true, gateway: true).Build());
        using var config = JsonDocument.Parse(set.Artifacts.Single(a => a.RelativePath == "ipfs-overlay/kubo-config.json").Content);
        var gateway = config.RootElement.GetProperty("Addresses").GetProperty("Gateway").EnumerateArray().Select(a => a.GetString()).ToArray();
        Assert.Equal(new[] { "/ip6/@OVERLAY_ADDRESS@/tcp/8080" }, gateway);
        Assert.True(config.RootElement.GetProperty("Gateway").GetProperty("NoFetch").GetBoolean());
        Assert.DoesNotContain(set.Objects.Select(o => o.Object).OfType<k8s.Models.V1Service>(), s => s.Spec.Ports.Any(p => p.Port == 8080) && s.Metadata.NamespaceProperty == "ipfs-overlay");
        Assert.DoesNotContain(set.Objects, o => o.Object.Kind == "Ingress");
        // Two peers: a disruption budget lets drains take one at a time.
        Assert.Single(set.Objects.Select(o => o.Object).OfType<k8s.Models.V1PodDisruptionBudget>());
    }

    private static StackBuilder OverlayStack(bool bind, bool gateway = false)
    {
        var stack = StackBuilder.Create("demo");
        stack.AddModule(TestModules.Secrets, EmptyModuleConfig.Instance);
        var zerotier = stack.AddModule(TestModules.Module("zerotier-k8s-link", Layer.Overlay, new[] { "kubernetes", "secret-store" }, new[] { "overlay-network" }, WorkloadKind.DaemonSet),
            new JsonConfig("""{"network_id":"f1a7c0de00f10003","overlay_prefix":"fd00:1:2:3::/64","controller_token":"vault://secret/zt#token"}"""));
        var ipfs = stack.AddModule(TestModules.Module("ipfs-overlay", Layer.Storage, new[] { "overlay-network", "secret-store" }, new[] { "ipfs-storage" }, WorkloadKind.StatefulSet),
            new JsonConfig("""{"replicas":2,"swarm_key":"vault://secret/ipfs#swarm_key","cluster_secret":"env://CLUSTER_SECRET","gateway_enabled":""" + (gateway ? "true" : "false") + "}"));
        if (bind)
        {
            ipfs.WithOverlay(zerotier);
        }
        return stack;
    }

    private static StackBuilder SecretsStack()
    {
        var stack = StackBuilder.Create("demo");
        stack.AddModule(TestModules.Module("holder", Layer.Orchestration, new[] { "kubernetes" }, new[] { "secret-store" }), EmptyModuleConfig.Instance);
        return stack;
    }

    /// <summary>Renders only secret materialisations, to test the mechanism alone.</summary>
    private sealed class SecretsOnly : IModuleRenderer
    {
        public void Render(ModuleRenderContext context) => ModuleSecrets.Render(context, new[]
        {
            new SecretMaterialization("two-mounts", new[]
            {
                new SecretKeyReference("a", SecretReference.Parse("vault://secret/app#x")),
                new SecretKeyReference("b", SecretReference.Parse("vault://kv/app#y")),
            }),
            new SecretMaterialization("all-vault", new[]
            {
                new SecretKeyReference("b", SecretReference.Parse("vault://secret/app/two#y")),
                new SecretKeyReference("a", SecretReference.Parse("vault://secret/app/one#x")),
            }),
            new SecretMaterialization("mixed", new[]
            {
                new SecretKeyReference("a", SecretReference.Parse("vault://secret/app#x")),
                new SecretKeyReference("b", SecretReference.Parse("env://APP_TOKEN")),
            }),
        });
    }

    private sealed class JsonConfig : IModuleConfig
    {
        private readonly string _json;
        public JsonConfig(string json) => _json = json;
        public void WriteJson(Utf8JsonWriter writer)
        {
            using var doc = JsonDocument.Parse(_json);
            doc.RootElement.WriteTo(writer);
        }
    }
}

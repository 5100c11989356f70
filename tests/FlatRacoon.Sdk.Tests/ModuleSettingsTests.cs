using System;
using System.Linq;
using System.Text.Json;
using FlatRacoon.Modules.IpfsOverlay;
using FlatRacoon.Modules.NetworkDashboard;
using FlatRacoon.Modules.ZerotierK8sLink;
using k8s.Models;
using Xunit;

namespace FlatRacoon.Sdk.Tests;

/// <summary>Settings the rules check (FR1004, FR1005, FR2002) are the settings the renderers use.</summary>
public class ModuleSettingsTests
{
    private sealed record JsonConfig(string Json) : IModuleConfig
    {
        public void WriteJson(Utf8JsonWriter writer) => writer.WriteRawValue(Json);
    }

    private static readonly OverlayNetwork Overlay = ZerotierK8sLinkRenderer.Overlay(new ModuleInstance(
        TestModules.Module("zerotier-k8s-link", Layer.Overlay, new[] { "kubernetes" }, new[] { "overlay-network" }, WorkloadKind.DaemonSet),
        new JsonConfig("""{"network_id":"f1a7c0de00f10003","overlay_prefix":"2001:db8:f1a7:2e00::/64"}"""), "zerotier-k8s-link"))!;

    private static KuboConfig.Settings Settings(string[]? listen = null, string[]? announce = null, string[]? bootstrap = null, string? gateway = null) =>
        new(Overlay, "none", true, 32, 96, "20s", "90GB", listen, announce, bootstrap, gateway);

    private static string[] Addresses(JsonElement config, string section, string key) =>
        config.GetProperty(section).GetProperty(key).EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Fact]
    public void Kubo_uses_the_configured_overlay_addresses_bootstrap_peers_and_gateway_address()
    {
        const string listen = "/ip6/2001:db8:f1a7:2e00::10/tcp/4001";
        const string peer = "/ip6/2001:db8:f1a7:2e00::11/tcp/4001/p2p/12D3KooWExamplePeerId";
        using var config = JsonDocument.Parse(KuboConfig.Render(Settings(new[] { listen }, bootstrap: new[] { peer }, gateway: "2001:db8:f1a7:2e00::10")));
        var root = config.RootElement;

        Assert.Equal(new[] { listen }, Addresses(root, "Addresses", "Swarm"));
        Assert.Equal(new[] { listen }, Addresses(root, "Addresses", "Announce"));
        Assert.Equal(new[] { peer }, root.GetProperty("Bootstrap").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(new[] { "/ip6/2001:db8:f1a7:2e00::10/tcp/8080" }, Addresses(root, "Addresses", "Gateway"));
    }

    [Fact]
    public void Without_settings_kubo_listens_and_announces_on_the_pods_overlay_address_with_no_bootstrap()
    {
        using var config = JsonDocument.Parse(KuboConfig.Render(Settings()));
        Assert.Equal(KuboConfig.SwarmAddresses, Addresses(config.RootElement, "Addresses", "Swarm"));
        Assert.Equal(KuboConfig.SwarmAddresses, Addresses(config.RootElement, "Addresses", "Announce"));
        Assert.Empty(config.RootElement.GetProperty("Bootstrap").EnumerateArray());
    }

    [Theory]
    [InlineData("listen_addresses", "/ip4/0.0.0.0/tcp/4001")]
    [InlineData("listen_addresses", "/ip6/::/tcp/4001")]
    [InlineData("announce_addresses", "/ip6/2001:db8:f1a7:1000::5/tcp/4001")]
    [InlineData("bootstrap_peers", "/dnsaddr/bootstrap.libp2p.io/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN")]
    [InlineData("gateway_address", "::")]
    public void An_address_off_the_overlay_is_refused_naming_the_setting(string setting, string value)
    {
        var settings = setting switch
        {
            "listen_addresses" => Settings(listen: new[] { value }),
            "announce_addresses" => Settings(announce: new[] { value }),
            "bootstrap_peers" => Settings(bootstrap: new[] { value }),
            _ => Settings(gateway: value),
        };
        var error = Assert.Throws<InvalidOperationException>(() => KuboConfig.Render(settings));
        Assert.Contains(setting, error.Message);
        Assert.Contains("2001:db8:f1a7:2e00::/64", error.Message);
    }

    [Theory]
    [InlineData("ipv6", "SingleStack", new[] { "IPv6" })]
    [InlineData("ipv4", "SingleStack", new[] { "IPv4" })]
    [InlineData("dual-stack", "PreferDualStack", new[] { "IPv6", "IPv4" })]
    public void The_dashboard_service_takes_its_ip_family_outside_an_IPv6_only_stack(string family, string policy, string[] families)
    {
        var stack = StackBuilder.Create("lab", new StackEnvironment("lab", ipv6Only: false)).Freeze();
        var service = new V1Service { Spec = new V1ServiceSpec() };
        NetworkDashboardRenderer.ApplyIpFamily(stack, service, family);
        Assert.Equal(policy, service.Spec.IpFamilyPolicy);
        Assert.Equal(families, service.Spec.IpFamilies);
    }

    [Fact]
    public void An_IPv6_only_stack_refuses_an_IPv4_or_dual_stack_dashboard()
    {
        var stack = StackBuilder.Create("site", new StackEnvironment("production", ipv6Only: true)).Freeze();
        var error = Assert.Throws<InvalidOperationException>(() => NetworkDashboardRenderer.ApplyIpFamily(stack, new V1Service(), "dual-stack"));
        Assert.Contains("FR1005", error.Message);
    }
}

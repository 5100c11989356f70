using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using FlatRacoon.Modules;
using FlatRacoon.Modules.Ipv6SiteEnforcer;
using FlatRacoon.Rendering;
using k8s.Models;
using Xunit;

using FlatRacoon.Tests.Shared;

namespace FlatRacoon.Network.Tests;

public class Ipv6SiteTests
{
    private const string Module = Ipv6SiteEnforcerRenderer.ModuleName;
    private const string Prefix = "2001:db8:f1a7:64::/96"; // production nat64_prefix of the sample

    [Fact]
    public void Every_Service_is_single_stack_IPv6_and_policies_admit_only_IPv6()
    {
        var set = RenderedSample.Render();
        var services = set.Objects.Select(o => o.Object).OfType<V1Service>().ToList();
        Assert.NotEmpty(services);
        Assert.All(services, s => Assert.True(Ipv6Services.IsSingleStackIpv6(s), s.Metadata.Name));
        // The enforcer covers exactly the module namespaces that have no ingress policy of their
        // own (policies add up: it must never widen a stricter one), so every namespace has one.
        var moduleNamespaces = set.Objects.Where(o => o.Object is V1Namespace && o.Module != ManifestSet.StackFolder)
            .Select(o => o.Object.Metadata.Name).ToHashSet();
        var ownIngress = set.Objects.Where(o => o.Module != Module && o.Object is V1NetworkPolicy p && p.Spec.PolicyTypes.Contains("Ingress"))
            .Select(o => o.Object.Metadata.NamespaceProperty).ToHashSet();
        var enforced = set.Objects.Where(o => o.Module == Module && o.Object is V1NetworkPolicy).Select(o => o.Object.Metadata.NamespaceProperty).ToList();
        Assert.Contains("ipfs-overlay", ownIngress);
        Assert.Equal(moduleNamespaces.Except(ownIngress).OrderBy(n => n, StringComparer.Ordinal), enforced.OrderBy(n => n, StringComparer.Ordinal));
        Assert.All(moduleNamespaces, ns => Assert.True(ownIngress.Contains(ns) || enforced.Contains(ns), ns));
        var policies = set.Objects.Select(o => o.Object).OfType<V1NetworkPolicy>().ToList();
        Assert.All(policies.SelectMany(p => p.Spec.Ingress ?? new List<V1NetworkPolicyIngressRule>()).SelectMany(i => i.FromProperty ?? new List<V1NetworkPolicyPeer>()).Where(peer => peer.IpBlock is not null),
            peer => Assert.Contains(":", peer.IpBlock.Cidr));
        Assert.Contains($"prefix {Prefix}", RenderedSample.Artifact(set, Module, "tayga.conf"));
        Assert.Contains($"dns64 {Prefix}", RenderedSample.Artifact(set, Module, "dns64-named.conf"));
        Assert.Throws<InvalidOperationException>(() => Nat64Dns64.TaygaConf("64:ff9b::/96"));
    }

    [Fact]
    public async Task Bind_with_the_rendered_DNS64_config_synthesizes_AAAA_only_for_site_clients()
    {
        var set = RenderedSample.Render();
        var rendered = RenderedSample.Artifact(set, Module, "dns64-named.conf");
        var clients = new[] { "2001:db8:f1a7::/48", "2001:db8:f1a7:1000::/56", "2001:db8:f1a7:e000::/56" };
        Assert.Equal(rendered, Nat64Dns64.Dns64NamedConf(Prefix, clients, new[] { "2606:4700:4700::1111", "2001:4860:4860::8888" }, 5353, "/var/cache/bind"));
        var ns = "frdns64-" + Guid.NewGuid().ToString("N")[..6];
        var dir = Tools.TempDir("dns64");
        Process? auth = null, dns64 = null;
        try
        {
            // The same config with the upstream resolver on this namespace's own ::1 (an authority for an IPv4-only name).
            File.WriteAllText(Path.Combine(dir, "dns64.conf"), Nat64Dns64.Dns64NamedConf(Prefix, clients, new[] { "::1" }, 5353, dir));
            File.WriteAllText(Path.Combine(dir, "v4only.zone"), "$TTL 60\n@ SOA ns hostmaster 1 60 60 600 60\n@ NS ns\nns AAAA ::1\nhost A 192.0.2.33\n");
            File.WriteAllText(Path.Combine(dir, "auth.conf"), $"options {{ directory \"{dir}/auth\"; pid-file none; session-keyfile \"{dir}/auth/session.key\"; listen-on {{ none; }}; listen-on-v6 port 53 {{ ::1; }}; recursion no; }};\nzone \"v4only.example\" {{ type primary; file \"{dir}/v4only.zone\"; }};\n");
            Directory.CreateDirectory(Path.Combine(dir, "auth"));
            Assert.Equal(0, (await Tools.Run("ip", "netns", "add", ns)).Code);
            await Tools.Run("ip", "-n", ns, "link", "set", "lo", "up");
            await Tools.Run("ip", "-n", ns, "addr", "add", "fd99::1/128", "dev", "lo", "nodad");
            await Tools.Run("ip", "-n", ns, "addr", "add", "2001:db8:f1a7::53/128", "dev", "lo", "nodad");
            auth = Tools.Start($"ip netns exec {ns} named -g -c '{dir}/auth.conf' >'{dir}/auth.log' 2>&1");
            dns64 = Tools.Start($"ip netns exec {ns} named -g -c '{dir}/dns64.conf' >'{dir}/dns64.log' 2>&1");
            async Task<string> Dig(string source) =>
                (await Tools.Run("ip", "netns", "exec", ns, "dig", "-b", source, "-p", "5353", "@::1", "host.v4only.example", "AAAA")).Output;
            Assert.True(await Tools.Eventually(async () => (await Dig("2001:db8:f1a7::53")).Contains("2001:db8:f1a7:64::c000:221")),
                await Dig("2001:db8:f1a7::53") + File.ReadAllText($"{dir}/dns64.log"));
            // Not an open resolver: a source outside the site and cluster prefixes is refused.
            Assert.Contains("status: REFUSED", await Dig("fd99::1"));
        }
        finally
        {
            Tools.Stop(auth);
            Tools.Stop(dns64);
            await Tools.Run("ip", "netns", "del", ns);
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Tayga_with_the_rendered_config_lets_an_IPv6_only_client_reach_an_IPv4_only_server()
    {
        var set = RenderedSample.Render();
        var tag = Guid.NewGuid().ToString("N")[..6];
        string client = $"frc-{tag}", gateway = $"frg-{tag}", server = $"frs-{tag}";
        var dir = Tools.TempDir("nat64");
        Process? tayga = null, web = null;
        try
        {
            File.WriteAllText(Path.Combine(dir, "tayga.conf"), RenderedSample.Artifact(set, Module, "tayga.conf"));
            File.WriteAllText(Path.Combine(dir, "nat64-up.sh"), RenderedSample.Artifact(set, Module, "nat64-up.sh"));
            foreach (var ns in new[] { client, gateway, server })
            {
                Assert.Equal(0, (await Tools.Run("ip", "netns", "add", ns)).Code);
                await Tools.Run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
                await Tools.Run("ip", "-n", ns, "link", "set", "lo", "up");
            }
            async Task Ip(params string[] args) { var (c, o) = await Tools.Run("ip", args); Assert.True(c == 0, string.Join(" ", args) + ": " + o); }
            await Ip("link", "add", "v6c", "netns", client, "type", "veth", "peer", "name", "v6g", "netns", gateway);
            await Ip("link", "add", "v4s", "netns", server, "type", "veth", "peer", "name", "v4g", "netns", gateway);
            await Ip("-n", client, "addr", "add", "fd00:c::2/64", "dev", "v6c", "nodad");
            await Ip("-n", client, "link", "set", "v6c", "up");
            await Ip("-n", client, "-6", "route", "add", Prefix, "via", "fd00:c::1");
            await Ip("-n", gateway, "addr", "add", "fd00:c::1/64", "dev", "v6g", "nodad");
            await Ip("-n", gateway, "link", "set", "v6g", "up");
            await Ip("-n", gateway, "addr", "add", "10.64.0.1/24", "dev", "v4g");
            await Ip("-n", gateway, "link", "set", "v4g", "up");
            await Ip("-n", server, "addr", "add", "10.64.0.2/24", "dev", "v4s");
            await Ip("-n", server, "link", "set", "v4s", "up");
            await Ip("-n", server, "route", "add", Nat64Dns64.DynamicPool, "via", "10.64.0.1");
            // The client has no IPv4 at all.
            Assert.DoesNotContain("inet ", (await Tools.Run("ip", "-n", client, "-4", "addr", "show", "dev", "v6c")).Output);
            tayga = Tools.Start($"ip netns exec {gateway} sh '{dir}/nat64-up.sh' '{dir}/tayga.conf' >'{dir}/tayga.log' 2>&1");
            // An IPv4-only TCP server; the client connects to 10.64.0.2 inside the /96: 2001:db8:f1a7:64::a40:2.
            web = Tools.Start($"ip netns exec {server} python3 -m http.server --bind 10.64.0.2 8080 >/dev/null 2>&1");
            Assert.True(await Tools.Eventually(async () => (await Tools.Run("ip", "netns", "exec", client, "timeout", "3", "bash", "-c",
                "exec 3<>/dev/tcp/2001:db8:f1a7:64::a40:2/8080 && echo connected")).Output.Contains("connected")),
                File.ReadAllText($"{dir}/tayga.log"));
        }
        finally
        {
            Tools.Stop(tayga);
            Tools.Stop(web);
            foreach (var ns in new[] { client, gateway, server })
            {
                await Tools.Run("ip", "netns", "del", ns);
            }
            Directory.Delete(dir, true);
        }
    }
}

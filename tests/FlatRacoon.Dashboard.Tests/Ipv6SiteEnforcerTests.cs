using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using FlatRacoon.Deployment;
using FlatRacoon.Modules.Ipv6SiteEnforcer;
using Xunit;
using Xunit.Abstractions;

using FlatRacoon.Tests.Shared;

namespace FlatRacoon.Dashboard.Tests;

/// <summary>
/// The ipv6-site-enforcer program (src/FlatRacoon.Ipv6SiteEnforcer) run as a process: against the
/// fake API server with ONLY the RBAC its module renders (403 for anything else), objects that
/// would bring IPv4 into the site get one Warning Event each and compliant ones none; and its
/// <c>/healthz</c> against a real BIND with the rendered DNS64 configuration and the route the
/// rendered NAT64 start script makes with a real tayga.
/// </summary>
public sealed class Ipv6SiteEnforcerTests
{
    private const string Module = Ipv6SiteEnforcerRenderer.ModuleName;
    private readonly ITestOutputHelper _output;

    public Ipv6SiteEnforcerTests(ITestOutputHelper output) => _output = output;

    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact(Timeout = 240_000)]
    public async Task Objects_that_bring_IPv4_into_the_site_get_one_Warning_Event_each_and_compliant_ones_none_with_only_the_rendered_rbac()
    {
        await using var cluster = await Cluster.StartWithSampleAsync();
        var set = Cluster.Sample();
        var account = set.Objects.First(o => o.Module == Module && o.Kind == "ServiceAccount");
        var rbac = new RenderedRbac(set.Objects.Select(o => o.Body), KubeObject.Namespace(account.Body)!, KubeObject.Name(account.Body));
        // What the rules say: list in namespaces, create only Events, nothing cluster-wide, no wildcard, no write on a workload.
        Assert.NotEmpty(rbac.Grants);
        Assert.All(rbac.Grants, g => Assert.Contains(g.Verb, new[] { "list", "create" }));
        Assert.All(rbac.Grants.Where(g => g.Verb == "create"), g => Assert.Equal("events", g.Resource));
        Assert.All(rbac.Grants.Where(g => g.Verb == "list"), g => Assert.Contains(g.Resource, new[] { "services", "pods", "ingresses" }));
        Assert.All(rbac.Grants, g => Assert.NotNull(g.Namespace));
        Assert.All(rbac.Grants, g => Assert.DoesNotContain("*", new[] { g.Verb, g.Group, g.Resource }));

        var deployment = set.Objects.Single(o => o.Module == Module && o.Kind == "Deployment").Body;
        var pod = deployment["spec"]!["template"]!["spec"]!;
        Assert.True(pod["automountServiceAccountToken"]!.GetValue<bool>());
        var namespaces = pod["containers"]![0]!["env"]!.AsArray().Single(e => e!["name"]!.GetValue<string>() == Ipv6SiteEnforcerRenderer.NamespacesVariable)!["value"]!.GetValue<string>();
        Assert.Equal(set.Objects.Where(o => o.Kind == "Namespace" && o.Module != "_stack").Select(o => KubeObject.Name(o.Body)).Distinct().OrderBy(n => n, StringComparer.Ordinal), namespaces.Split(','));

        // Three objects that bring IPv4 in, and their compliant twins, beside the sample's own (all compliant).
        var fake = cluster.Fake;
        fake.ApplyAs("tester", Obj("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"legacy-v4","namespace":"hesiod-dns-map"},"spec":{"ipFamilyPolicy":"SingleStack","ipFamilies":["IPv4"],"clusterIP":"10.96.0.20","clusterIPs":["10.96.0.20"],"ports":[{"port":80}]}}"""));
        fake.ApplyAs("tester", Obj("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"modern","namespace":"hesiod-dns-map"},"spec":{"ipFamilyPolicy":"SingleStack","ipFamilies":["IPv6"],"ports":[{"port":80}]}}"""));
        foreach (var (name, hostNetwork, ips) in new[] { ("hostnet-v4", true, new[] { "192.0.2.7", "2001:db8:f1a7::7" }), ("hostnet-v6", true, new[] { "2001:db8:f1a7::8" }), ("plain", false, new[] { "2001:db8:f1a7:1000::9" }) })
        {
            fake.ApplyAs("tester", Obj($$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"ipfs-overlay"},"spec":{"hostNetwork":{{{(hostNetwork ? "true" : "false")}}},"containers":[{"name":"c","image":"registry.example/c:1"}]}}"""));
            fake.EditAs("kubelet", "Pod", "ipfs-overlay", name, new[] { "status", "podIPs" }, new JsonArray(ips.Select(ip => (JsonNode)new JsonObject { ["ip"] = ip }).ToArray()), "status");
        }
        foreach (var (name, host) in new[] { ("by-address", "192.0.2.10"), ("by-name", "dashboard.example.org") })
        {
            fake.ApplyAs("tester", Obj("""{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"NAME","namespace":"network-dashboard"},"spec":{"defaultBackend":{"service":{"name":"network-dashboard","port":{"number":8080}}},"rules":[{"host":"HOST"}]}}""".Replace("NAME", name, StringComparison.Ordinal).Replace("HOST", host, StringComparison.Ordinal)));
        }
        var violating = new[] { ("Service", "hesiod-dns-map", "legacy-v4", "10.96.0.20"), ("Pod", "ipfs-overlay", "hostnet-v4", "192.0.2.7"), ("Ingress", "network-dashboard", "by-address", "192.0.2.10") };

        var dir = Directory.CreateTempSubdirectory("flatracoon-enforcer-");
        try
        {
            var config = Path.Combine(dir.FullName, "config.json");
            File.WriteAllText(config, RenderedSample.ModuleConfig(RenderedSample.Render(), Module));
            var routes = Path.Combine(dir.FullName, "ipv6_route");
            File.WriteAllText(routes, "00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000001 00000000 80200001       lo\n");
            var denied = rbac.EnforceOn(fake);
            var port = AgentSupport.FreePort();
            await using var enforcer = RunningProgram.Start(RunningProgram.Ipv6SiteEnforcer, Array.Empty<string>(), new Dictionary<string, string>
            {
                ["FLATRACOON_CONFIG"] = config,
                [Ipv6SiteEnforcerRenderer.NamespacesVariable] = namespaces,
                ["FLATRACOON_IPV6_ROUTES"] = routes,
                ["FLATRACOON_DNS64_SERVER"] = $"[::1]:{AgentSupport.FreePort()}",
                ["FLATRACOON_DNS64_TIMEOUT_SECONDS"] = "0.5",
                ["FLATRACOON_RESYNC_SECONDS"] = "0.3",
                ["KUBECONFIG"] = cluster.Kubeconfig,
                ["PORT"] = port.ToString(),
            });
            enforcer.WaitForLine(l => l.Contains("serving /healthz", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

            List<JsonObject> Events() => fake.Snapshot().Values.Where(o => o["kind"]?.GetValue<string>() == "Event").ToList();
            Assert.True(await AgentSupport.Eventually(() => Task.FromResult(Events().Count >= violating.Length)), $"events: {Events().Count}; stderr: {enforcer.StandardError}");
            // Several more scans: still one Event per object, none for a compliant one.
            var scans = fake.Requests.Count(r => r.Path.EndsWith("/ingresses", StringComparison.Ordinal));
            Assert.True(await AgentSupport.Eventually(() => Task.FromResult(fake.Requests.Count(r => r.Path.EndsWith("/ingresses", StringComparison.Ordinal)) >= scans + 3 * namespaces.Split(',').Length)));
            var events = Events();
            foreach (var e in events)
            {
                _output.WriteLine($"{KubeObject.Namespace(e)}/{KubeObject.Name(e)}: {e["message"]}");
            }
            Assert.Equal(violating.Length, events.Count);
            foreach (var (kind, ns, name, address) in violating)
            {
                var e = events.Single(x => x["involvedObject"]!["kind"]!.GetValue<string>() == kind && x["involvedObject"]!["name"]!.GetValue<string>() == name);
                Assert.Equal(ns, KubeObject.Namespace(e));
                Assert.Equal(ns, e["involvedObject"]!["namespace"]!.GetValue<string>());
                Assert.Equal(fake.Find(kind, ns, name)!["metadata"]!["uid"]!.GetValue<string>(), e["involvedObject"]!["uid"]!.GetValue<string>());
                Assert.Equal("Warning", e["type"]!.GetValue<string>());
                Assert.Equal("IPv4InIPv6OnlySite", e["reason"]!.GetValue<string>());
                Assert.Contains(address, e["message"]!.GetValue<string>());
            }

            var (metricsStatus, metrics) = await AgentSupport.GetAsync($"http://127.0.0.1:{port}/metrics");
            Assert.Equal(200, metricsStatus);
            foreach (var (kind, ns, _, _) in violating)
            {
                Assert.Contains($"flatracoon_ipv6_site_violations{{kind=\"{kind}\",namespace=\"{ns}\"}} 1\n", metrics);
            }
            Assert.Contains("flatracoon_ipv6_site_violations{kind=\"Service\",namespace=\"poly-k8s-mcp\"} 0\n", metrics);
            Assert.Contains($"flatracoon_ipv6_site_warning_events_total {violating.Length}\n", metrics);
            Assert.Contains("flatracoon_ipv6_site_scan_failures_total 0\n", metrics);
            Assert.Matches(new Regex(@"flatracoon_ipv6_site_last_scan_success_timestamp_seconds \d{10}"), metrics);
            // Neither the NAT64 route nor the DNS64 resolver exists here: not healthy, and it says why.
            var (healthStatus, health) = await AgentSupport.GetAsync($"http://127.0.0.1:{port}/healthz");
            Assert.Equal(503, healthStatus);
            Assert.Contains("nat64: failing", health);
            Assert.Contains("dns64: failing", health);

            var requests = fake.Requests.ToList();
            Assert.Empty(denied);
            // It never writes anything but Events.
            Assert.All(requests.Where(r => r.IsWrite), r => Assert.Equal(("POST", true), (r.Method, r.Path.EndsWith("/events", StringComparison.Ordinal))));
            // Every list it is granted, it uses; the unused grants are Event creation where nothing violated.
            var unused = rbac.Unused(requests);
            Assert.All(unused, g => Assert.Equal(("create", "events"), (g.Verb, g.Resource)));
            Assert.DoesNotContain(unused, g => violating.Any(v => v.Item2 == g.Namespace));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact(Timeout = 240_000)]
    public async Task Healthz_is_200_only_while_the_rendered_NAT64_route_exists_and_a_real_BIND_with_the_rendered_DNS64_config_synthesises()
    {
        Assert.True(File.Exists("/usr/sbin/named") && File.Exists("/usr/sbin/tayga"), "BIND and tayga are not installed: run scripts/setup.d/30-network-daemons.sh (bash scripts/test.sh runs it).");
        var set = RenderedSample.Render();
        var config = RenderedSample.ModuleConfig(set, Module);
        var prefix = JsonNode.Parse(config)!["nat64_prefix"]!.GetValue<string>();
        var dir = Directory.CreateTempSubdirectory("flatracoon-dns64-").FullName;
        var ns = "frenf-" + Guid.NewGuid().ToString("N")[..6];
        Process? auth = null, dns64 = null, tayga = null;
        try
        {
            // The upstream resolver: an authority on ::1 for RFC 7050's IPv4-only name, as the public resolvers answer it.
            var authPort = AgentSupport.FreePort();
            var dnsPort = AgentSupport.FreePort();
            Directory.CreateDirectory(Path.Combine(dir, "auth"));
            File.WriteAllText(Path.Combine(dir, "ipv4only.zone"), "$TTL 60\n@ SOA ns hostmaster 1 60 60 600 60\n@ NS ns\nns AAAA ::1\n@ A 192.0.0.170\n@ A 192.0.0.171\n");
            File.WriteAllText(Path.Combine(dir, "auth.conf"), $"options {{ directory \"{dir}/auth\"; pid-file none; session-keyfile \"{dir}/auth/session.key\"; listen-on {{ none; }}; listen-on-v6 port {authPort} {{ ::1; }}; recursion no; }};\nzone \"ipv4only.arpa\" {{ type primary; file \"{dir}/ipv4only.zone\"; }};\n");
            // The rendered DNS64 config, with only what must differ on this machine: loopback, free ports, a folder, the upstream above.
            var rendered = RenderedSample.Artifact(set, Module, "dns64-named.conf");
            var local = rendered;
            string Replace(string text, string pattern, string replacement)
            {
                Assert.Matches(pattern, text);
                return Regex.Replace(text, pattern, replacement);
            }
            local = Replace(local, "directory \"/var/cache/bind\";", $"directory \"{dir}\"; session-keyfile \"{dir}/session.key\";");
            local = Replace(local, @"listen-on port 5353 \{ none; \};", $"listen-on port {dnsPort} {{ none; }};");
            local = Replace(local, @"listen-on-v6 port 5353 \{ any; \};", $"listen-on-v6 port {dnsPort} {{ ::1; }};");
            local = Replace(local, @"forwarders \{[^}]*\};", $"forwarders {{ ::1 port {authPort}; }};");
            File.WriteAllText(Path.Combine(dir, "dns64.conf"), local);
            auth = AgentSupport.StartDaemon($"named -g -c '{dir}/auth.conf' >'{dir}/auth.log' 2>&1");
            dns64 = AgentSupport.StartDaemon($"named -g -c '{dir}/dns64.conf' >'{dir}/dns64.log' 2>&1");

            // tayga started by the rendered NAT64 script in a namespace of this test; the enforcer reads that namespace's routes.
            File.WriteAllText(Path.Combine(dir, "tayga.conf"), RenderedSample.Artifact(set, Module, "tayga.conf"));
            File.WriteAllText(Path.Combine(dir, "nat64-up.sh"), RenderedSample.Artifact(set, Module, "nat64-up.sh"));
            Assert.Equal(0, (await AgentSupport.Run("ip", null, "netns", "add", ns)).Code);
            await AgentSupport.Run("ip", null, "-n", ns, "link", "set", "lo", "up");
            tayga = AgentSupport.StartDaemon($"ip netns exec {ns} sh '{dir}/nat64-up.sh' '{dir}/tayga.conf' >'{dir}/tayga.log' 2>&1");
            var routes = Path.Combine(dir, "ipv6_route");
            async Task<bool> CaptureRoutes()
            {
                var (code, text) = await AgentSupport.Run("ip", null, "netns", "exec", ns, "cat", "/proc/net/ipv6_route");
                File.WriteAllText(routes, text);
                return code == 0 && text.Contains(Nat64Dns64.TunDevice, StringComparison.Ordinal);
            }
            Assert.True(await AgentSupport.Eventually(CaptureRoutes), File.ReadAllText(Path.Combine(dir, "tayga.log")));

            var port = AgentSupport.FreePort();
            var configFile = Path.Combine(dir, "config.json");
            File.WriteAllText(configFile, config);
            await using var enforcer = RunningProgram.Start(RunningProgram.Ipv6SiteEnforcer, Array.Empty<string>(), new Dictionary<string, string>
            {
                ["FLATRACOON_CONFIG"] = configFile,
                ["FLATRACOON_IPV6_ROUTES"] = routes,
                ["FLATRACOON_DNS64_SERVER"] = $"[::1]:{dnsPort}",
                ["PORT"] = port.ToString(),
            });
            enforcer.WaitForLine(l => l.Contains("serving /healthz", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            var healthz = $"http://127.0.0.1:{port}/healthz";
            (int Status, string Text) last = default;
            async Task<bool> Answers(int status) => (last = await AgentSupport.GetAsync(healthz)).Status == status;

            Assert.True(await AgentSupport.Eventually(() => Answers(200)), last.Text + File.ReadAllText(Path.Combine(dir, "dns64.log")));
            _output.WriteLine(last.Text);
            // 192.0.0.170 and .171 inside the rendered /96.
            var synthesised = prefix.Replace("::/96", "::c000:aa", StringComparison.Ordinal);
            Assert.Matches(new Regex($"dns64: ok: .*synthesised ({Regex.Escape(synthesised)}|{Regex.Escape(synthesised[..^1])}b) for ipv4only.arpa"), last.Text);
            Assert.Contains($"nat64: ok: {prefix} is routed through {Nat64Dns64.TunDevice}", last.Text);
            var (_, metrics) = await AgentSupport.GetAsync($"http://127.0.0.1:{port}/metrics");
            Assert.Contains("flatracoon_ipv6_site_nat64_route_up 1\n", metrics);
            Assert.Contains("flatracoon_ipv6_site_dns64_up 1\n", metrics);

            // The route goes: unhealthy; it comes back: healthy.
            Assert.Equal(0, (await AgentSupport.Run("ip", null, "-n", ns, "-6", "route", "del", prefix, "dev", Nat64Dns64.TunDevice)).Code);
            await CaptureRoutes();
            var network = System.Net.IPNetwork.Parse(prefix);
            Assert.DoesNotContain(Convert.ToHexString(network.BaseAddress.GetAddressBytes()).ToLowerInvariant() + " 60 ", File.ReadAllText(routes));
            Assert.True(await AgentSupport.Eventually(() => Answers(503)), last.Text);
            Assert.Contains("nat64: failing", last.Text);
            Assert.Contains("dns64: ok", last.Text);
            Assert.Equal(0, (await AgentSupport.Run("ip", null, "-n", ns, "-6", "route", "add", prefix, "dev", Nat64Dns64.TunDevice)).Code);
            Assert.True(await CaptureRoutes());
            Assert.True(await AgentSupport.Eventually(() => Answers(200)), last.Text);

            // The resolver stops: unhealthy, and it says which check failed.
            AgentSupport.Stop(dns64);
            dns64 = null;
            Assert.True(await AgentSupport.Eventually(() => Answers(503)), last.Text);
            Assert.Contains("dns64: failing", last.Text);
            Assert.Contains("nat64: ok", last.Text);
            (_, metrics) = await AgentSupport.GetAsync($"http://127.0.0.1:{port}/metrics");
            Assert.Contains("flatracoon_ipv6_site_dns64_up 0\n", metrics);
        }
        finally
        {
            AgentSupport.Stop(dns64);
            AgentSupport.Stop(auth);
            AgentSupport.Stop(tayga);
            await AgentSupport.Run("ip", null, "netns", "del", ns);
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task A_bad_setting_is_one_line_and_exit_code_2()
    {
        var dir = Directory.CreateTempSubdirectory("flatracoon-enforcer-bad-");
        try
        {
            var config = Path.Combine(dir.FullName, "config.json");
            File.WriteAllText(config, """{"nat64_prefix":"2001:db8:f1a7:64::/96"}""");
            await using var enforcer = RunningProgram.Start(RunningProgram.Ipv6SiteEnforcer, Array.Empty<string>(), new Dictionary<string, string>
            {
                ["FLATRACOON_CONFIG"] = config,
                ["FLATRACOON_DNS64_SERVER"] = "not-an-address",
            });
            await enforcer.WaitForExitAsync();
            Assert.Equal(2, enforcer.ExitCode);
            Assert.Equal("error: FLATRACOON_DNS64_SERVER must be an address and port ([::1]:5353), not 'not-an-address'.", enforcer.StandardError.Trim());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}

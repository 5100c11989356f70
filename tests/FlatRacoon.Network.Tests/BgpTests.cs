using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FlatRacoon.Modules.BgpBackboneLab;
using FlatRacoon.Narration;
using FlatRacoon.Rendering;
using FlatRacoon.Samples;
using Xunit;

using FlatRacoon.Tests.Shared;

namespace FlatRacoon.Network.Tests;

public class BgpTests
{
    private static BgpTopology SampleTopology() =>
        BgpTopology.FromConfig(ConfigJson.ToElement(NetStack.Create().Build().Module(BgpTopology.ModuleName)!.Config));

    [Fact]
    public async Task Bird_parses_every_rendered_config_and_vtysh_checks_every_FRR_config()
    {
        var set = RenderedSample.Render();
        var dir = Tools.TempDir("bgp-configs");
        try
        {
            foreach (var router in SampleTopology().Routers)
            {
                var bird = Path.Combine(dir, router.Name + ".bird.conf");
                File.WriteAllText(bird, RenderedSample.Artifact(set, BgpTopology.ModuleName, router.Name + ".bird.conf"));
                var (code, output) = await Tools.Run("bird", "-p", "-c", bird);
                Assert.True(code == 0, $"bird -p {router.Name}: {output}");
                var frr = Path.Combine(dir, router.Name + ".frr.conf");
                File.WriteAllText(frr, RenderedSample.Artifact(set, BgpTopology.ModuleName, router.Name + ".frr.conf"));
                (code, output) = await Tools.Run("vtysh", "-C", "-f", frr);
                Assert.True(code == 0, $"vtysh -C {router.Name}: {output}");
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task A_broken_policy_is_rejected_by_the_real_parsers()
    {
        var topology = SampleTopology();
        var broken = topology with
        {
            ImportPolicies = topology.ImportPolicies.Add(new BgpPolicy("broken", BgpPolicyAction.Reject,
                ImmutableArray.Create("2001:db8:zz::/48"), ImmutableArray<string>.Empty, ImmutableArray<string>.Empty)),
        };
        var dir = Tools.TempDir("bgp-broken");
        try
        {
            var router = broken.Routers[0];
            var bird = Path.Combine(dir, "bird.conf");
            File.WriteAllText(bird, BirdConfigWriter.Write(broken, router));
            var (code, output) = await Tools.Run("bird", "-p", "-c", bird);
            Assert.NotEqual(0, code);
            Assert.Contains("bird.conf:", output);
            var frr = Path.Combine(dir, "frr.conf");
            File.WriteAllText(frr, FrrConfigWriter.Write(broken, router));
            (code, output) = await Tools.Run("vtysh", "-C", "-f", frr);
            Assert.NotEqual(0, code);
            // The unbroken topology passes both, so the failure is the policy's.
            File.WriteAllText(bird, BirdConfigWriter.Write(topology, router));
            Assert.Equal(0, (await Tools.Run("bird", "-p", "-c", bird)).Code);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Expected_routes_follow_the_policies_of_the_sample()
    {
        var expected = BgpExpectedRoutes.Derive(SampleTopology());
        bool Has(string router, string prefix) => expected.ByRouter[router].Single(r => r.Prefix == prefix).Present;
        Assert.True(Has("r3", "2001:db8:b9f:200::/56"));   // reflected by r1
        Assert.False(Has("r4", "2001:db8:b9f:300::/56"));  // community 64496:300 stays inside
        Assert.False(Has("r1", "2001:db8:b9f:2ff::/64"));  // lab-internal /64 not exported by r2
        Assert.True(Has("r4", "2001:db8:b9f:200::/56"));   // the covering /56 is
        Assert.False(Has("r2", "fd00:bad::/48"));          // ULA rejected on import
        Assert.Equal(expected.ToJson(), BgpExpectedRoutes.FromJson(expected.ToJson()).ToJson());
    }

    [Fact]
    public async Task Lab_bgp_on_the_sample_passes_and_leaves_nothing_behind()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var stdout = new StringWriter();
        var code = await NetStack.Create().RunAsync(new[] { "lab", "bgp" }, stdout, new StringWriter(), cts.Token);
        var report = stdout.ToString();
        Assert.True(code == 0, report);
        Assert.Contains("All 6 session ends are Established.", report);
        Assert.Contains("The lab PASSED", report);
        Assert.Contains("2001:db8:b9f:300::/56: export policy 'core-stays-inside' on r2 does not send it", report);
        await AssertNothingLeft(report);
    }

    [Fact]
    public async Task Changing_one_policy_makes_the_lab_report_the_mismatch()
    {
        var topology = SampleTopology();
        var expected = BgpExpectedRoutes.Derive(topology);
        // Someone "relaxes" the ULA filter: the reviewed expectation no longer holds.
        var changed = topology with
        {
            ImportPolicies = topology.ImportPolicies.Select(p => p.Name == "no-ula" ? p with { Action = BgpPolicyAction.Accept } : p).ToImmutableArray(),
        };
        var narration = new StringWriter();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var result = await new BgpLab(new TextNarrator(narration)) { SettleTimeout = TimeSpan.FromSeconds(5) }.RunAsync(changed, expected, cts.Token);
        var report = narration.ToString();
        Assert.True(result.Established, report);
        Assert.False(result.Passed, report);
        Assert.Contains(result.Mismatches, m => m.Router == "r2" && m.Prefix == "fd00:bad::/48");
        Assert.Contains("MISMATCH on r2: fd00:bad::/48 expected filtered", report);
        Assert.Contains("The lab FAILED", report);
        await AssertNothingLeft(report);

        // Through the command: the reviewed table as --expected, the changed stack fails with exit 1.
        var file = Path.Combine(Path.GetTempPath(), $"expected-{Guid.NewGuid():N}.json");
        try
        {
            var tampered = expected.ToJson().Replace("\"prefix\": \"2001:db8:b9f:300::/56\",\n        \"present\": false", "\"prefix\": \"2001:db8:b9f:300::/56\",\n        \"present\": true", StringComparison.Ordinal);
            Assert.NotEqual(expected.ToJson(), tampered);
            File.WriteAllText(file, tampered);
            var stdout = new StringWriter();
            var code = await NetStack.Create().RunAsync(new[] { "lab", "bgp", "--expected", file, "--settle", "3" }, stdout, new StringWriter(), cts.Token);
            Assert.True(code == 1, stdout.ToString());
            Assert.Contains("MISMATCH on r4: 2001:db8:b9f:300::/56 expected present", stdout.ToString());
            await AssertNothingLeft(stdout.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_cancelled_lab_still_tears_down()
    {
        using var cts = new CancellationTokenSource();
        var narration = new StringWriter();
        var lab = new BgpLab(new CallbackNarrator(e =>
        {
            narration.WriteLine(e.Message);
            if (e.Step == "lab.router")
            {
                cts.Cancel();
            }
        }));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => lab.RunAsync(SampleTopology(), BgpExpectedRoutes.Derive(SampleTopology()), cts.Token));
        Assert.Contains("Torn down", narration.ToString());
        await AssertNothingLeft(narration.ToString());
    }

    private static async Task AssertNothingLeft(string report)
    {
        var tags = System.Text.RegularExpressions.Regex.Matches(report, @"frlab-[0-9a-f]{6}-\d+").Select(m => m.Value).Distinct().ToList();
        Assert.NotEmpty(tags);
        var (_, namespaces) = await Tools.Run("ip", "netns", "list");
        foreach (var ns in tags)
        {
            Assert.DoesNotContain(ns, namespaces);
        }
        foreach (System.Text.RegularExpressions.Match pid in System.Text.RegularExpressions.Regex.Matches(report, @"\(pid (\d+)\)"))
        {
            Assert.False(File.Exists($"/proc/{pid.Groups[1].Value}/cmdline") && File.ReadAllText($"/proc/{pid.Groups[1].Value}/cmdline").StartsWith("bird"), "bird still runs: " + pid.Value);
        }
    }

    private sealed class CallbackNarrator : INarrator
    {
        private readonly Action<NarrationEvent> _callback;
        public CallbackNarrator(Action<NarrationEvent> callback) => _callback = callback;
        public void Narrate(NarrationEvent e) => _callback(e);
    }
}

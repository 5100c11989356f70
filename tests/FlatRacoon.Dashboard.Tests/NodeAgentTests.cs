using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using FlatRacoon.Deployment;
using FlatRacoon.Modules.FlatracoonOs;
using FlatRacoon.NodeAgent;
using FlatRacoon.Testing.Fake;
using Xunit;
using Xunit.Abstractions;

using FlatRacoon.Tests.Shared;

namespace FlatRacoon.Dashboard.Tests;

/// <summary>
/// The flatracoon-os node agent (src/FlatRacoon.NodeAgent) run as a process against the fake API
/// server with ONLY the ClusterRole its module renders (403 for anything else): it applies the
/// node role the module's Ignition writes, keeps another manager's label, and restores a label
/// or taint that the real kubectl removed or changed.
/// </summary>
public sealed class NodeAgentTests
{
    private const string Module = FlatracoonOsRenderer.ModuleName;
    private const string Node = "node-a";
    private readonly ITestOutputHelper _output;

    public NodeAgentTests(ITestOutputHelper output) => _output = output;

    /// <summary>The node-role.json the rendered Ignition of <paramref name="role"/> writes to the host.</summary>
    private static string RoleFile(FlatRacoon.Rendering.ManifestSet render, string role)
    {
        var ignition = JsonNode.Parse(RenderedSample.Artifact(render, Module, $"ignition-{role}.json"))!;
        var file = ignition["storage"]!["files"]!.AsArray().Single(f => f!["path"]!.GetValue<string>() == FlatracoonOsRenderer.HostRoleFile)!;
        var source = file["contents"]!["source"]!.GetValue<string>();
        Assert.StartsWith("data:,", source);
        return Uri.UnescapeDataString(source["data:,".Length..]);
    }

    private static string? Label(JsonObject node, string key) => node["metadata"]?["labels"]?[key]?.GetValue<string>();

    private static IReadOnlyList<(string Key, string Effect)> Taints(JsonObject node) =>
        (node["spec"]?["taints"] as JsonArray ?? new JsonArray()).Select(t => (t!["key"]!.GetValue<string>(), t["effect"]!.GetValue<string>())).ToList();

    [Fact(Timeout = 240_000)]
    public async Task The_agent_keeps_its_nodes_role_labels_and_taints_with_only_the_rendered_cluster_role()
    {
        var render = RenderedSample.Render();
        var set = DeploymentSet.From(render);
        var account = set.Objects.First(o => o.Module == Module && o.Kind == "ServiceAccount");
        var rbac = new RenderedRbac(set.Objects.Select(o => o.Body), KubeObject.Namespace(account.Body)!, KubeObject.Name(account.Body));
        Assert.Equal(new[] { "get", "list", "patch", "watch" }, rbac.Grants.Select(g => g.Verb).OrderBy(v => v, StringComparer.Ordinal));
        Assert.All(rbac.Grants, g => Assert.Equal(("", "nodes", null), (g.Group, g.Resource, g.Namespace)));

        // The DaemonSet gives the agent the host's role file, read-only, and nothing else of the host.
        var pod = set.Objects.Single(o => o.Module == Module && o.Kind == "DaemonSet").Body["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]![0]!;
        Assert.Equal(FlatracoonOsRenderer.AgentRoleDirectory + "/node-role.json",
            container["env"]!.AsArray().Single(e => e!["name"]!.GetValue<string>() == FlatracoonOsRenderer.RoleFileVariable)!["value"]!.GetValue<string>());
        var mount = container["volumeMounts"]!.AsArray().Single(m => m!["mountPath"]!.GetValue<string>() == FlatracoonOsRenderer.AgentRoleDirectory)!;
        Assert.True(mount["readOnly"]!.GetValue<bool>());
        Assert.Equal("/etc/flatracoon", pod["volumes"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == mount["name"]!.GetValue<string>())!["hostPath"]!["path"]!.GetValue<string>());
        Assert.Single(pod["volumes"]!.AsArray(), v => v!["hostPath"] is not null);
        Assert.True(container["securityContext"]!["runAsNonRoot"]!.GetValue<bool>());
        Assert.Equal(new[] { "ALL" }, container["securityContext"]!["capabilities"]!["drop"]!.AsArray().Select(c => c!.GetValue<string>()));

        var dir = Directory.CreateTempSubdirectory("flatracoon-node-agent-");
        var fake = await FakeApiServer.StartAsync();
        var stopped = false;
        try
        {
            var kubeconfig = fake.WriteKubeconfig(Path.Combine(dir.FullName, "kubeconfig"));
            var roleFile = Path.Combine(dir.FullName, "node-role.json");
            var roleJson = RoleFile(render, "control-plane");
            File.WriteAllText(roleFile, roleJson);
            var role = NodeRole.Parse(roleJson, roleFile);
            Assert.Equal("control-plane", role.Role);
            var config = Path.Combine(dir.FullName, "config.json");
            File.WriteAllText(config, RenderedSample.ModuleConfig(render, Module));
            // The node as its kubelet registered it.
            fake.ApplyAs("kubelet", JsonNode.Parse("""{"apiVersion":"v1","kind":"Node","metadata":{"name":"NODE","labels":{"kubernetes.io/hostname":"NODE"}},"spec":{"taints":[{"key":"node.kubernetes.io/not-ready","effect":"NoSchedule"}]}}""".Replace("NODE", Node, StringComparison.Ordinal))!.AsObject());

            var denied = rbac.EnforceOn(fake);
            var port = AgentSupport.FreePort();
            await using var agent = RunningProgram.Start(RunningProgram.NodeAgent, Array.Empty<string>(), new Dictionary<string, string>
            {
                ["NODE_NAME"] = Node,
                [FlatracoonOsRenderer.RoleFileVariable] = roleFile,
                ["FLATRACOON_CONFIG"] = config,
                ["FLATRACOON_RESYNC_SECONDS"] = "0.2",
                ["KUBECONFIG"] = kubeconfig,
                ["PORT"] = port.ToString(),
            });
            agent.WaitForLine(l => l.Contains("serving /healthz", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

            JsonObject Current() => fake.Find("Node", null, Node)!;
            bool AsConfigured(JsonObject node) => role.Labels.All(l => Label(node, l.Key) == l.Value)
                && role.Taints.All(t => Taints(node).Contains((t.Key, t.Effect)));
            async Task Restored(string what)
            {
                Assert.True(await AgentSupport.Eventually(() => Task.FromResult(AsConfigured(Current()))), $"{what}: {Current().ToJsonString()}; stderr: {agent.StandardError}");
            }
            await Restored("first apply");
            Assert.NotEmpty(role.Taints);
            var node = Current();
            // The kubelet's label and taint stay, and stay the kubelet's.
            Assert.Equal(Node, Label(node, "kubernetes.io/hostname"));
            Assert.Contains(("node.kubernetes.io/not-ready", "NoSchedule"), Taints(node));
            var managers = node["metadata"]!["managedFields"]!.AsArray().OfType<JsonObject>().ToList();
            var own = managers.Single(m => m["manager"]!.GetValue<string>() == NodeAgent.NodeAgent.FieldManager);
            Assert.Equal("Apply", own["operation"]!.GetValue<string>());
            var ownLabels = own["fieldsV1"]!["f:metadata"]!["f:labels"]!.AsObject().Select(p => p.Key).ToList();
            Assert.Equal(role.Labels.Keys.Select(k => "f:" + k).OrderBy(k => k, StringComparer.Ordinal), ownLabels.OrderBy(k => k, StringComparer.Ordinal));
            Assert.NotNull(managers.Single(m => m["manager"]!.GetValue<string>() == "kubelet")["fieldsV1"]!["f:metadata"]!["f:labels"]!["f:kubernetes.io/hostname"]);

            var kubectl = new Dictionary<string, string> { ["KUBECONFIG"] = kubeconfig };
            async Task Kubectl(params string[] args)
            {
                var (code, output) = await AgentSupport.Run("kubectl", kubectl, args);
                _output.WriteLine($"kubectl {string.Join(" ", args)}: {output.Trim()}");
                Assert.True(code == 0, output);
            }
            // Another manager's label is never touched.
            await Kubectl("label", "node", Node, "team=network");
            var applies = fake.Requests.Count(r => r.Query.Contains("fieldManager=" + NodeAgent.NodeAgent.FieldManager, StringComparison.Ordinal));
            Assert.True(await AgentSupport.Eventually(() => Task.FromResult(fake.Requests.Count(r => r.Path == $"/api/v1/nodes/{Node}" && r.Method == "GET") > 10), 10));
            await Task.Delay(1000);
            Assert.Equal("network", Label(Current(), "team"));
            Assert.True(AsConfigured(Current()));
            // Nothing differed: no apply was sent meanwhile.
            Assert.Equal(applies, fake.Requests.Count(r => r.Query.Contains("fieldManager=" + NodeAgent.NodeAgent.FieldManager, StringComparison.Ordinal)));

            // A removed label, a changed label and a removed taint come back; the other manager's label stays.
            await Kubectl("label", "node", Node, FlatracoonOsRenderer.RoleLabel + "-");
            Assert.True(Label(Current(), FlatracoonOsRenderer.RoleLabel) is null || AsConfigured(Current()));
            await Restored("removed label");
            await Kubectl("label", "--overwrite", "node", Node, FlatracoonOsRenderer.RoleLabel + "=worker");
            await Restored("changed label");
            var taint = role.Taints[0];
            await Kubectl("taint", "node", Node, $"{taint.Key}:{taint.Effect}-");
            await Restored("removed taint");
            node = Current();
            Assert.Equal("network", Label(node, "team"));
            Assert.Equal(Node, Label(node, "kubernetes.io/hostname"));
            Assert.Contains(("node.kubernetes.io/not-ready", "NoSchedule"), Taints(node));
            Assert.Equal(Taints(node).Count, Taints(node).Distinct().Count());

            var (healthStatus, health) = await AgentSupport.GetAsync($"http://127.0.0.1:{port}/healthz");
            Assert.Equal(200, healthStatus);
            var (_, metrics) = await AgentSupport.GetAsync($"http://127.0.0.1:{port}/metrics");
            _output.WriteLine(metrics);
            Assert.Matches(new Regex(@"flatracoon_node_agent_applies_total [4-9]\n"), metrics);
            Assert.Matches(new Regex(@"flatracoon_node_agent_reconciliations_total \d{2,}\n"), metrics);
            Assert.Contains("flatracoon_node_agent_reconcile_failures_total 0\n", metrics);
            Assert.Matches(new Regex(@"flatracoon_node_agent_last_success_timestamp_seconds \d{10}"), metrics);
            // The sample's update_strategy is reboot: the live update window is not the agent's business.
            Assert.Contains("flatracoon_node_agent_update_window_open 0\n", metrics);

            Assert.Empty(denied);
            // The agent's only writes are server-side applies of its node under its own field manager; kubectl's are kubectl's.
            var writes = fake.Requests.Where(r => r.IsWrite).ToList();
            Assert.All(writes, w => Assert.Equal($"/api/v1/nodes/{Node}", w.Path));
            Assert.All(writes.Where(w => !w.Query.Contains("fieldManager=kubectl", StringComparison.Ordinal)),
                w => Assert.Contains($"fieldManager={NodeAgent.NodeAgent.FieldManager}&force=true", w.Query));
            Assert.DoesNotContain(rbac.Unused(fake.Requests.Where(r => !r.Query.Contains("kubectl", StringComparison.Ordinal))), g => g.Verb is "get" or "patch");

            // The API goes away: /healthz says so.
            await fake.DisposeAsync();
            stopped = true;
            (int Status, string Text) last = default;
            Assert.True(await AgentSupport.Eventually(async () => (last = await AgentSupport.GetAsync($"http://127.0.0.1:{port}/healthz")).Status == 503), last.Text);
            Assert.Contains("api:", last.Text);
        }
        finally
        {
            if (!stopped)
            {
                await fake.DisposeAsync();
            }
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Without_NODE_NAME_it_is_one_line_and_exit_code_2()
    {
        await using var agent = RunningProgram.Start(RunningProgram.NodeAgent, Array.Empty<string>(), new Dictionary<string, string> { ["NODE_NAME"] = "" });
        await agent.WaitForExitAsync();
        Assert.Equal(2, agent.ExitCode);
        Assert.Equal("error: NODE_NAME is not set: the node this agent runs on (the DaemonSet sets it from spec.nodeName).", agent.StandardError.Trim());
    }

    [Theory]
    [InlineData("2026-12-06T02:00", true)]   // Sunday, the window opens
    [InlineData("2026-12-06T03:59", true)]
    [InlineData("2026-12-06T04:00", false)]  // 120 minutes later it is closed
    [InlineData("2026-12-05T02:30", false)]  // Saturday
    public void The_update_window_of_the_sample_opens_on_its_days_for_its_duration(string at, bool open)
    {
        var config = JsonDocument.Parse(RenderedSample.ModuleConfig(RenderedSample.Render(), Module)).RootElement;
        var window = UpdateWindow.From(config);
        Assert.Equal(open, window.IsOpen(DateTime.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_window_that_starts_late_stays_open_past_midnight()
    {
        var window = UpdateWindow.From(JsonDocument.Parse("""{"update_window":{"days":["sat"],"start":"23:30","duration_minutes":60}}""").RootElement);
        Assert.True(window.IsOpen(new DateTime(2026, 12, 6, 0, 15, 0)));   // Sunday 00:15
        Assert.False(window.IsOpen(new DateTime(2026, 12, 6, 0, 30, 0)));
        Assert.False(window.IsOpen(new DateTime(2026, 12, 5, 0, 15, 0)));   // Saturday 00:15: Friday has no window
        Assert.Throws<FormatException>(() => UpdateWindow.From(JsonDocument.Parse("""{"update_window":{"days":["someday"]}}""").RootElement));
    }
}

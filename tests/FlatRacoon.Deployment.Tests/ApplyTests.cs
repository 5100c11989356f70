using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using FlatRacoon.Rendering;
using Xunit;

namespace FlatRacoon.Deployment.Tests;

public class ApplyTests
{
    [Fact(Timeout = 60_000)]
    public async Task The_sample_stack_applies_wave_by_wave_and_waits_for_each_wave()
    {
        await using var h = await Harness.StartAsync();
        var set = Harness.Sample();
        var deployer = h.Deployer();

        var result = await deployer.ApplyAsync(set);

        Assert.True(result.Changed);
        Assert.Equal(1, result.Revision);
        var live = h.Fake.Snapshot();
        foreach (var o in set.Objects)
        {
            Assert.True(live.ContainsKey(o.Key), $"{o.Display} was not applied");
        }

        // Writes happen in wave order: every object of wave w is written after every object of earlier waves.
        var writes = h.Fake.Requests.Where(r => r.IsWrite && r.Method == "PATCH").Select(r => r.Path).ToList();
        int FirstWrite(DesiredObject o) => writes.FindIndex(p => p.EndsWith("/" + KubeObject.Name(o.Body), StringComparison.Ordinal) && p.Contains(Plural(o.Kind), StringComparison.Ordinal));
        for (var wave = 1; wave < set.WaveCount; wave++)
        {
            var earlierLast = set.Objects.Where(o => o.Wave < wave).Max(FirstWrite);
            var thisFirst = set.Objects.Where(o => o.Wave == wave).Min(FirstWrite);
            Assert.True(earlierLast < thisFirst, $"wave {wave} started before wave {wave - 1} was written");
        }

        // Every workload of a wave is reported ready before the next wave starts.
        var events = h.Narrator.Events.ToList();
        for (var wave = 0; wave < set.WaveCount - 1; wave++)
        {
            var nextStart = events.FindIndex(e => e.Step == "apply.wave" && (int)e.Data!["wave"]! == wave + 1);
            foreach (var workload in set.Objects.Where(o => o.Wave == wave && Readiness.IsWaitedOn(o.Body)))
            {
                var ready = events.FindIndex(e => e.Step == "wait.ready" && (string)e.Data!["object"]! == workload.Display);
                Assert.True(ready >= 0 && ready < nextStart, $"{workload.Display} was not ready before wave {wave + 1}");
            }
        }
        Assert.Contains(h.Narrator.Messages, m => m.StartsWith($"wave 5/5 {set.WaveName(4)}: applying", StringComparison.Ordinal) && m.Contains("ipfs-overlay", StringComparison.Ordinal));
        Assert.Contains(h.Narrator.Messages, m => m.Contains("waiting for StatefulSet ipfs-overlay/ipfs-overlay", StringComparison.Ordinal) || m.Contains("ready: StatefulSet ipfs-overlay/ipfs-overlay", StringComparison.Ordinal));
        Assert.Contains(h.Narrator.Messages, m => m.StartsWith("Recorded revision 1", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_second_apply_reports_no_changes_and_writes_nothing()
    {
        await using var h = await Harness.StartAsync();
        await h.Deployer().ApplyAsync(Harness.Sample());
        h.Fake.ResetCounters();

        var deployer = h.Deployer();
        var result = await deployer.ApplyAsync(Harness.Sample());

        Assert.False(result.Changed);
        Assert.Equal(1, result.Revision);
        Assert.False(result.Plan.HasChanges);
        Assert.DoesNotContain(h.Fake.Requests, r => r.IsWrite);
        Assert.Contains("No changes: the cluster already matches revision 1.", h.Narrator.Messages);
    }

    [Fact(Timeout = 60_000)]
    public async Task After_a_config_change_plan_shows_exactly_the_changed_fields()
    {
        await using var h = await Harness.StartAsync();
        await h.Deployer().ApplyAsync(Harness.Sample());

        var changed = Harness.Edit(Harness.Sample(), o =>
        {
            if (o.Kind == "StatefulSet" && KubeObject.Name(o.Body) == "ipfs-overlay")
            {
                o.Body["spec"]!["replicas"] = 5;
                o.Body["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "ghcr.io/flatracoon/ipfs-overlay:9.9.9";
            }
            if (o.Kind == "ConfigMap" && KubeObject.Name(o.Body) == "hesiod-dns-map-config")
            {
                o.Body["data"]!["extra.txt"] = "added";
            }
            return o;
        });
        var plan = await h.Deployer().PlanAsync(changed);

        var updates = plan.Objects.Where(o => o.Action != PlanAction.Unchanged).ToList();
        Assert.Equal(new[] { "ConfigMap hesiod-dns-map/hesiod-dns-map-config", "StatefulSet ipfs-overlay/ipfs-overlay" }, updates.Select(u => u.Display).OrderBy(d => d, StringComparer.Ordinal));
        Assert.All(updates, u => Assert.Equal(PlanAction.Update, u.Action));
        var sts = updates.Single(u => u.Kind == "StatefulSet");
        Assert.Equal(new[] { "spec.replicas", "spec.template.spec.containers[name=ipfs-overlay].image" }, sts.Changes.Select(c => c.Path).OrderBy(p => p, StringComparer.Ordinal));
        Assert.Equal("5", sts.Changes.Single(c => c.Path == "spec.replicas").After);
        var cm = updates.Single(u => u.Kind == "ConfigMap");
        Assert.Equal(new FieldChange("data[\"extra.txt\"]", null, "\"added\""), Assert.Single(cm.Changes));

        var json = plan.ToJson();
        Assert.Equal(2, json["summary"]!["update"]!.GetValue<int>());
        Assert.Contains("spec.replicas: 3 -> 5", plan.ToText(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Conflicts_with_other_managers_are_reported_by_object_and_field_and_force_takes_over()
    {
        await using var h = await Harness.StartAsync();
        await h.Deployer().ApplyAsync(Harness.Sample());
        h.Fake.EditAs("kubectl-scale", "Deployment", "network-dashboard", "network-dashboard", new[] { "spec", "replicas" }, JsonValue.Create(7)!);
        h.Fake.ResetCounters();

        var deployer = h.Deployer();
        var error = await Assert.ThrowsAsync<ConflictException>(() => deployer.ApplyAsync(Harness.Sample()));

        var (obj, conflict) = Assert.Single(error.Conflicts);
        Assert.Equal("Deployment network-dashboard/network-dashboard", obj);
        Assert.Equal(new FieldConflict("kubectl-scale", ".spec.replicas"), conflict);
        Assert.Contains("--force-conflicts", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(h.Fake.Requests, r => r.IsWrite);

        var forced = await h.Deployer(Harness.FastOptions with { ForceConflicts = true }).ApplyAsync(Harness.Sample());
        Assert.Equal(2, forced.Revision);
        var live = h.Fake.Find("Deployment", "network-dashboard", "network-dashboard")!;
        Assert.NotEqual(7, live["spec"]!["replicas"]!.GetValue<long>());
        Assert.DoesNotContain(live["metadata"]!["managedFields"]!.AsArray(), m => m!["manager"]!.GetValue<string>() == "kubectl-scale");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_kind_the_cluster_does_not_serve_is_a_clear_error()
    {
        await using var h = await Harness.StartAsync();
        var sample = Harness.Sample();
        var widget = new DesiredObject("ipfs-overlay", 4, new JsonObject
        {
            ["apiVersion"] = "example.com/v1",
            ["kind"] = "Widget",
            ["metadata"] = new JsonObject { ["name"] = "w", ["namespace"] = "ipfs-overlay" },
        });
        var error = await Assert.ThrowsAsync<DeploymentException>(() => h.Deployer().PlanAsync(Harness.Edit(sample, o => o, widget)));
        Assert.Contains("does not serve kind Widget in example.com/v1", error.Message, StringComparison.Ordinal);
    }

    internal static string Plural(string kind) => kind.ToLowerInvariant() switch
    {
        "networkpolicy" => "networkpolicies",
        "networkattachmentdefinition" => "network-attachment-definitions",
        "runtimeclass" => "runtimeclasses",
        var k when k.EndsWith('s') => k + "es",
        var k => k + "s",
    };
}

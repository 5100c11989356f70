using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FlatRacoon.Testing.Fake;
using FlatRacoon.Rendering;
using Xunit;

namespace FlatRacoon.Deployment.Tests;

public class LifecycleTests
{
    [Fact(Timeout = 60_000)]
    public async Task Prune_deletes_what_left_the_stack_in_reverse_wave_order_and_never_a_look_alike()
    {
        await using var h = await Harness.StartAsync();
        var sample = Harness.Sample();
        var extra = Harness.ConfigMap("ipfs-overlay", "ipfs-extra", "ipfs-overlay", 4, sample.ApplySetId);
        await h.Deployer().ApplyAsync(Harness.Edit(sample, o => o, extra));

        // Look-alikes: our stack's labels, but another ApplySet id, or none; and one with the id as a prefix.
        var otherSet = Harness.ConfigMap("ipfs-overlay", "lookalike-other-set", "ipfs-overlay", 4, "applyset-someone-else-v1");
        var noSet = Harness.ConfigMap("ipfs-overlay", "lookalike-no-set", "ipfs-overlay", 4, sample.ApplySetId);
        noSet.Body["metadata"]!["labels"]!.AsObject().Remove(Labels.ApplySetPartOf);
        var prefixed = Harness.ConfigMap("ipfs-overlay", "lookalike-prefixed", "ipfs-overlay", 4, sample.ApplySetId + "x");
        foreach (var o in new[] { otherSet, noSet, prefixed })
        {
            h.Fake.ApplyAs("kubectl", o.Body);
        }
        h.Fake.ResetCounters();

        // network-dashboard and the extra ConfigMap leave the stack.
        var smaller = Harness.Edit(sample, o =>
        {
            if (o.Module == "network-dashboard")
            {
                return null;
            }
            if (o.Key == sample.Parent.Key)
            {
                // As the renderer would write it for the smaller stack.
                var annotations = o.Body["metadata"]!["annotations"]!.AsObject();
                annotations[Labels.ApplySetAdditionalNamespaces] = string.Join(",", KubeObject.Annotation(o.Body, Labels.ApplySetAdditionalNamespaces)!.Split(',').Where(n => n != "network-dashboard"));
            }
            return o;
        });
        var deployer = h.Deployer();
        var plan = await deployer.PlanAsync(smaller);
        var removed = sample.Objects.Where(o => o.Module == "network-dashboard").Select(o => o.Display).Append(extra.Display).OrderBy(d => d, StringComparer.Ordinal).ToArray();
        Assert.Equal(removed, plan.Objects.Where(o => o.Action == PlanAction.Delete).Select(o => o.Display).OrderBy(d => d, StringComparer.Ordinal));

        var result = await h.Deployer().ApplyAsync(smaller);

        Assert.Equal(2, result.Revision);
        // A pruned namespace stays Terminating until the namespace controller has removed its content
        // (https://kubernetes.io/docs/tasks/administer-cluster/namespaces/#deleting-a-namespace): wait for it.
        var pruned = sample.Objects.Where(o => o.Module == "network-dashboard").Append(extra).ToList();
        var live = h.Fake.Snapshot();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (pruned.Any(o => live.ContainsKey(o.Key)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(h.Fake.Options.ReadyDelay);
            live = h.Fake.Snapshot();
        }
        foreach (var gone in pruned)
        {
            Assert.False(live.ContainsKey(gone.Key), $"{gone.Display} was not pruned");
        }
        foreach (var kept in new[] { otherSet, noSet, prefixed })
        {
            Assert.True(live.ContainsKey(kept.Key), $"{kept.Display} is not ours and was deleted");
        }
        Assert.DoesNotContain(h.Fake.Requests, r => r.Method == "DELETE" && r.Path.Contains("lookalike", StringComparison.Ordinal));

        // Reverse wave order: the wave-4 objects go before the wave-0 namespace.
        var deletes = h.Fake.Requests.Where(r => r.Method == "DELETE" && !r.Path.Contains("/secrets/", StringComparison.Ordinal)).Select(r => r.Path).ToList();
        Assert.EndsWith("/namespaces/network-dashboard", deletes.Last(), StringComparison.Ordinal);
        Assert.Contains(h.Narrator.Messages, m => m.Contains("pruned Deployment network-dashboard/network-dashboard", StringComparison.Ordinal));
        // The parent lists only what is left.
        var parent = h.Fake.Find("ConfigMap", StackRenderer.SystemNamespace, sample.StackName + "-applyset")!;
        Assert.DoesNotContain("network-dashboard", KubeObject.Annotation(parent, Labels.ApplySetAdditionalNamespaces)!, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Atomic_apply_with_a_workload_that_never_becomes_ready_restores_the_previous_revision_exactly()
    {
        await using var h = await Harness.StartAsync();
        var sample = Harness.Sample();
        await h.Deployer().ApplyAsync(sample);
        var before = h.Comparable();

        var broken = Harness.Edit(sample, o =>
        {
            if (o.Kind == "StatefulSet" && KubeObject.Name(o.Body) == "ipfs-overlay")
            {
                o.Body["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "ghcr.io/flatracoon/ipfs-overlay:broken";
                o.Body["metadata"]!["labels"]!["extra"] = "yes";
            }
            if (o.Kind == "ConfigMap" && KubeObject.Name(o.Body) == "flatracoon-os-config")
            {
                o.Body["data"]!["new-key"] = "new";
            }
            return o;
        }, Harness.ConfigMap("ipfs-overlay", "ipfs-new", "ipfs-overlay", 4, sample.ApplySetId));
        h.Fake.Options.NeverReady = o => o["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"]?.GetValue<string>()?.EndsWith(":broken", StringComparison.Ordinal) == true;

        var deployer = h.Deployer(Harness.FastOptions with { Atomic = true, WaveTimeout = TimeSpan.FromMilliseconds(1500) });
        var error = await Assert.ThrowsAsync<ApplyFailedException>(() => deployer.ApplyAsync(broken));

        Assert.True(error.RolledBack);
        Assert.Equal(1, error.ClusterRevision);
        Assert.Contains("rolled back: the cluster is at revision 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("StatefulSet ipfs-overlay/ipfs-overlay was not ready", error.Message, StringComparison.Ordinal);
        Assert.Contains(h.Narrator.Messages, m => m.StartsWith("  waiting for StatefulSet ipfs-overlay/ipfs-overlay: 2/3 ready", StringComparison.Ordinal));
        var after = h.Comparable();
        Assert.Equal(before.Keys.OrderBy(k => k, StringComparer.Ordinal), after.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var (key, value) in before)
        {
            Assert.True(value == after[key], $"{key} differs after the rollback:\n{value}\n{after[key]}");
        }
        Assert.Equal(new[] { 1 }, (await deployer.HistoryAsync(sample.StackName)).Select(r => r.Number));
    }

    [Fact(Timeout = 60_000)]
    public async Task An_apply_interrupted_by_a_crash_between_waves_converges_when_run_again()
    {
        await using var h = await Harness.StartAsync(Harness.FastRetry with { MaxAttempts = 2 });
        var sample = Harness.Sample();
        h.Fake.CrashAfterWrites(sample.Objects.Count(o => o.Wave <= 1)); // the server goes away after wave 1's writes

        var error = await Assert.ThrowsAsync<ApplyFailedException>(() => h.Deployer().ApplyAsync(sample));
        Assert.False(error.RolledBack);
        Assert.Null(error.ClusterRevision);
        Assert.Contains("holds revision none", error.Message, StringComparison.Ordinal);
        Assert.Contains("run apply again", error.Message, StringComparison.Ordinal);
        var partial = h.Fake.Snapshot();
        Assert.True(partial.Count > 0 && partial.Count < sample.Objects.Length, $"{partial.Count} objects after the crash");

        h.Fake.Recover();
        var deployer = h.Deployer();
        var plan = await deployer.PlanAsync(sample);
        Assert.True(plan.Count(PlanAction.Unchanged) > 0, "the objects written before the crash are recognised as done");
        var result = await deployer.ApplyAsync(sample);
        Assert.Equal(1, result.Revision);

        var again = await h.Deployer().ApplyAsync(sample);
        Assert.False(again.Changed);
        var status = await h.Deployer().StatusAsync(sample);
        Assert.All(status.Objects, o => Assert.True(o.Present && o.State == ReadinessState.Ready, $"{o.Object}: {o.Message}"));
    }

    [Fact(Timeout = 60_000)]
    public async Task An_apply_cancelled_midway_converges_when_run_again()
    {
        await using var h = await Harness.StartAsync();
        var sample = Harness.Sample();
        using var cancel = new CancellationTokenSource();
        var deployer = h.Deployer();
        h.Narrator.OnEvent = e =>
        {
            if (e.Step == "apply.wave" && (int)e.Data!["wave"]! == 2)
            {
                cancel.Cancel();
            }
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => deployer.ApplyAsync(sample, cancel.Token));

        var result = await h.Deployer().ApplyAsync(sample);
        Assert.Equal(1, result.Revision);
        Assert.False((await h.Deployer().PlanAsync(sample)).HasChanges);
    }

    [Fact(Timeout = 60_000)]
    public async Task History_is_bounded_and_rollback_re_applies_a_stored_revision_as_a_new_one()
    {
        await using var h = await Harness.StartAsync();
        var sample = Harness.Sample();
        var options = Harness.FastOptions with { HistoryMax = 2 };
        DeploymentSet Version(string value) => Harness.Edit(sample, o => o, Harness.ConfigMap("ipfs-overlay", "versioned", "ipfs-overlay", 4, sample.ApplySetId, value));
        await h.Deployer(options).ApplyAsync(Version("one"));
        await h.Deployer(options).ApplyAsync(Version("two"));
        await h.Deployer(options).ApplyAsync(Version("three"));

        var history = await h.Deployer(options).HistoryAsync(sample.StackName);
        Assert.Equal(new[] { 2, 3 }, history.Select(r => r.Number));
        Assert.All(history, r => Assert.Equal("test", r.User));
        Assert.Equal("0 created, 1 updated, 0 deleted", history[^1].Summary);

        var rollback = await h.Deployer(options).RollbackAsync(sample.StackName, to: 2);
        Assert.Equal(4, rollback.Revision);
        Assert.Equal("two", h.Fake.Find("ConfigMap", "ipfs-overlay", "versioned")!["data"]!["key"]!.GetValue<string>());
        var latest = (await h.Deployer(options).HistoryAsync(sample.StackName))[^1];
        Assert.Equal("rollback to 2", latest.Description);
        // The revision stores the set as applied: apply-time Secrets with their resolved values.
        var key = await h.Deployer(options).Revisions(sample.StackName).KeyAsync(default);
        Assert.Equal((await Version("two").ResolveSecretsAsync(options.SecretResolver)).Identity(key), latest.Hash);

        var missing = await Assert.ThrowsAsync<DeploymentException>(() => h.Deployer(options).RollbackAsync(sample.StackName, to: 1));
        Assert.Contains("not in the history", missing.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Destroy_removes_the_stack_in_reverse_wave_order_and_nothing_else()
    {
        await using var h = await Harness.StartAsync();
        var sample = Harness.Sample();
        await h.Deployer().ApplyAsync(sample);
        var stranger = Harness.ConfigMap(StackRenderer.SystemNamespace, "someone-elses", "x", 0, "applyset-other-v1");
        h.Fake.ApplyAs("helm", stranger.Body);
        h.Fake.ResetCounters();

        await h.Deployer().DestroyAsync(sample);

        // Deleted namespaces stay Terminating until the namespace controller has removed their content
        // (https://kubernetes.io/docs/tasks/administer-cluster/namespaces/#deleting-a-namespace):
        // destroy waits for each wave to be gone before the next, so when it returns nothing is left.
        var live = h.Fake.Snapshot();
        Assert.All(sample.Members, m => Assert.False(live.ContainsKey(m.Key), $"{m.Display} is still there"));
        var events = h.Narrator.Events.ToList();
        var waited = events.Where(e => e.Step == "wait.object").Select(e => (string)e.Data!["object"]!).ToList();
        Assert.Contains(waited, o => o.StartsWith("Namespace ", StringComparison.Ordinal));
        Assert.All(waited, o => Assert.Contains(events, e => e.Step == "wait.deleted" && (string)e.Data!["object"]! == o));
        Assert.Contains(events, e => e.Step == "wait.object" && ((string)e.Data!["status"]!).Contains("finalizers: kubernetes", StringComparison.Ordinal));
        Assert.True(live.ContainsKey(stranger.Key));
        Assert.Empty(await h.Deployer().HistoryAsync(sample.StackName));
        var deletes = h.Fake.Requests.Where(r => r.Method == "DELETE").Select(r => r.Path).ToList();
        var lastWorkload = deletes.FindLastIndex(p => p.Contains("/apps/", StringComparison.Ordinal));
        var firstNamespace = deletes.FindIndex(p => p.StartsWith("/api/v1/namespaces/", StringComparison.Ordinal) && p.Count(c => c == '/') == 4);
        Assert.True(lastWorkload < firstNamespace, "namespaces were deleted before the workloads in them");
    }
}

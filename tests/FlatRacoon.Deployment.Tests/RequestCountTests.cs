using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using FlatRacoon.Rendering;
using Xunit;

namespace FlatRacoon.Deployment.Tests;

/// <summary>
/// How many API requests the engine makes (a count is behaviour, not timing): an apply writes each
/// object once and reads nothing per object, a plan of unchanged objects asks the server nothing per
/// object, and what the shortcut skips is still found when something did change.
/// </summary>
public class RequestCountTests
{
    private const string Stack = "counted";

    /// <summary><paramref name="n"/> objects (every tenth a Deployment, the rest ConfigMaps) in two namespaces, plus the namespaces and the ApplySet parent.</summary>
    private static DeploymentSet Synthetic(int n)
    {
        var id = StackRenderer.ApplySetId(Stack + "-applyset", StackRenderer.SystemNamespace, "ConfigMap", "");
        JsonObject Meta(string name, string? ns, int wave) => new()
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["labels"] = new JsonObject { [Labels.ManagedBy] = "flatracoon", [Labels.PartOf] = Stack, [Labels.Module] = "m", [Labels.ApplySetPartOf] = id },
            ["annotations"] = new JsonObject { [Labels.Wave] = wave.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
        var objects = new List<DesiredObject>
        {
            new(ManifestSet.StackFolder, 0, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = StackRenderer.SystemNamespace } }),
            new("m", 0, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = Meta("ns-a", null, 0) }),
            new("m", 0, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = Meta("ns-b", null, 0) }),
        };
        for (var i = 0; i < n; i++)
        {
            var ns = i % 2 == 0 ? "ns-a" : "ns-b";
            var wave = 1 + i % 2;
            objects.Add(new DesiredObject("m", wave, i % 10 == 0
                ? new JsonObject
                {
                    ["apiVersion"] = "apps/v1",
                    ["kind"] = "Deployment",
                    ["metadata"] = Meta($"d{i:D4}", ns, wave),
                    ["spec"] = new JsonObject
                    {
                        ["replicas"] = 1,
                        ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = $"d{i:D4}" } },
                        ["template"] = new JsonObject
                        {
                            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = $"d{i:D4}" } },
                            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "ghcr.io/example/app:1.0.0" }) },
                        },
                    },
                }
                : new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "ConfigMap",
                    ["metadata"] = Meta($"c{i:D4}", ns, wave),
                    ["data"] = new JsonObject { ["index"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                }));
        }
        objects.Add(new DesiredObject(ManifestSet.StackFolder, 0, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject
            {
                ["name"] = Stack + "-applyset",
                ["namespace"] = StackRenderer.SystemNamespace,
                ["labels"] = new JsonObject { [Labels.ApplySetId] = id },
                ["annotations"] = new JsonObject
                {
                    [Labels.ApplySetTooling] = StackRenderer.Tooling,
                    [Labels.ApplySetContainsGroupKinds] = "ConfigMap,Deployment.apps,Namespace",
                    [Labels.ApplySetAdditionalNamespaces] = "ns-a,ns-b",
                },
            },
        }));
        return new DeploymentSet(Stack, id, objects);
    }

    private static async Task<(int Requests, int Reads, List<string> Writes)> ApplyToEmptyCluster(int n)
    {
        await using var h = await Harness.StartAsync();
        h.Fake.Options.ReadyDelay = TimeSpan.Zero;
        var result = await h.Deployer().ApplyAsync(Synthetic(n));
        Assert.Equal(1, result.Revision);
        var requests = h.Fake.Requests.ToList();
        return (requests.Count, requests.Count(r => !r.IsWrite), requests.Where(r => r.IsWrite).Select(r => r.Method + " " + r.Path).ToList());
    }

    [Fact(Timeout = 60_000)]
    public async Task An_apply_writes_each_object_once_and_its_reads_do_not_grow_with_the_objects()
    {
        var hundred = await ApplyToEmptyCluster(100);
        var twoHundred = await ApplyToEmptyCluster(200);

        // Each object is written exactly once (one server-side apply), and nothing is read per object:
        // no read before applying into a namespace this apply creates, no readiness read of a
        // workload the apply answer already shows ready.
        foreach (var run in new[] { hundred, twoHundred })
        {
            var repeated = run.Writes.GroupBy(w => w).Where(g => g.Count() > 1 && !g.Key.Contains("/secrets/", StringComparison.Ordinal)).Select(g => g.Key).ToList();
            Assert.True(repeated.Count == 0, "written more than once: " + string.Join(", ", repeated));
        }
        Assert.Equal(hundred.Reads, twoHundred.Reads);
        Assert.Equal(100, twoHundred.Requests - hundred.Requests);
        Assert.True(twoHundred.Requests <= 1.3 * 200, $"{twoHundred.Requests} requests for 200 objects");
    }

    [Fact(Timeout = 60_000)]
    public async Task An_apply_lists_the_revisions_once_and_trims_the_history_from_that_list()
    {
        await using var h = await Harness.StartAsync();
        h.Fake.Options.ReadyDelay = TimeSpan.Zero;
        var options = Harness.FastOptions with { HistoryMax = 2 };
        await h.Deployer(options).ApplyAsync(Synthetic(20));
        await h.Deployer(options).ApplyAsync(Synthetic(21));
        h.Fake.ResetCounters();

        Assert.Equal(3, (await h.Deployer(options).ApplyAsync(Synthetic(22))).Revision);

        // The list read before the plan says which revisions exist: recording revision 3 deletes revision 1
        // without listing them again.
        Assert.Single(h.Fake.Requests, r => r.Method == "GET" && r.Path.EndsWith("/secrets", StringComparison.Ordinal));
        var deleted = Assert.Single(h.Fake.Requests, r => r.Method == "DELETE");
        Assert.EndsWith($"/secrets/flatracoon.{Stack}.v1", deleted.Path, StringComparison.Ordinal);
        Assert.Equal(new[] { 2, 3 }, (await h.Deployer(options).HistoryAsync(Stack)).Select(r => r.Number));
    }

    [Fact(Timeout = 60_000)]
    public async Task Revisions_are_listed_as_metadata_only_and_still_say_number_hash_and_summary()
    {
        await using var h = await Harness.StartAsync();
        h.Fake.Options.ReadyDelay = TimeSpan.Zero;
        var set = Synthetic(20);
        await h.Deployer().ApplyAsync(set);
        await h.Deployer().ApplyAsync(Synthetic(21));
        h.Fake.ResetCounters();

        var history = await h.Deployer().HistoryAsync(Stack);

        Assert.Equal(new[] { 1, 2 }, history.Select(r => r.Number));
        Assert.All(history, r => Assert.StartsWith("hmac-sha256:", r.Hash, StringComparison.Ordinal));
        Assert.Contains("1 created", history[1].Summary, StringComparison.Ordinal);
        // One list of the revision Secrets, asking for their metadata only: each one's stored set (its
        // data) stays on the server, and the stack's key Secret is not among them.
        var list = Assert.Single(h.Fake.Requests, r => r.Method == "GET" && r.Path.EndsWith("/secrets", StringComparison.Ordinal));
        Assert.Contains("as=PartialObjectMetadataList", list.Accept, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_first_plan_of_a_stack_reads_no_object_and_dry_runs_only_what_it_cannot_place()
    {
        await using var h = await Harness.StartAsync();
        var set = Synthetic(100);

        var plan = await h.Deployer().PlanAsync(set);

        Assert.Equal(set.Objects.Length, plan.Count(PlanAction.Create));
        Assert.Contains(plan.Objects, o => o.Kind == "ConfigMap" && o.Changes.Any(c => c.Path == "data.index"));
        // A new stack's objects are new: a dry-run answering 201 Created says so, no object is read
        // (the only GET of an object is the ApplySet parent's, once, when the plan begins).
        var reads = h.Fake.Requests.Where(r => r.Method == "GET" && !r.Query.Contains("labelSelector", StringComparison.Ordinal)
            && (r.Path.Contains("/namespaces/", StringComparison.Ordinal) || r.Path.StartsWith("/api/v1/namespaces", StringComparison.Ordinal))).ToList();
        Assert.True(reads.Count == 1 && reads[0].Path.EndsWith("/configmaps/" + Stack + "-applyset", StringComparison.Ordinal),
            string.Join(", ", reads.Select(r => r.Path)));
        // Dry-run: the three namespaces; what lives in a new namespace (the parent too) cannot be dry-run and is not.
        Assert.Equal(3, h.Fake.Requests.Count(r => r.DryRun));
    }

    [Fact(Timeout = 60_000)]
    public async Task The_first_plan_reads_and_diffs_an_object_that_exists_before_the_stack_does()
    {
        await using var h = await Harness.StartAsync();
        var set = Synthetic(10);
        var taken = set.Objects.First(o => o.Kind == "ConfigMap" && !ReferenceEquals(o, set.Parent));
        h.Fake.ApplyAs("bootstrap", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = KubeObject.Namespace(taken.Body) } });
        h.Fake.ApplyAs("someone-else", new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = KubeObject.Name(taken.Body), ["namespace"] = KubeObject.Namespace(taken.Body) },
            ["data"] = new JsonObject { ["index"] = "before" },
        });

        var plan = await h.Deployer().PlanAsync(set);

        // The dry-run did not answer 201: the object is read, and the plan shows the other manager's
        // field as a conflict, as it does for any object it did not create.
        var existing = Assert.Single(plan.Objects, o => o.Name == KubeObject.Name(taken.Body) && o.Kind == "ConfigMap");
        Assert.Equal(PlanAction.Update, existing.Action);
        Assert.Contains(existing.Conflicts, c => c.Manager == "someone-else" && c.Field.Contains("data.index", StringComparison.Ordinal));
        Assert.Contains(h.Fake.Requests, r => r.Method == "GET" && r.Path.EndsWith("/configmaps/" + KubeObject.Name(taken.Body), StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_plan_of_unchanged_objects_asks_the_server_nothing_per_object()
    {
        await using var h = await Harness.StartAsync();
        h.Fake.Options.ReadyDelay = TimeSpan.Zero;
        var set = Synthetic(100);
        await h.Deployer().ApplyAsync(set);
        h.Fake.ResetCounters();

        var plan = await h.Deployer().PlanAsync(set);

        Assert.Equal(set.Objects.Length, plan.Count(PlanAction.Unchanged));
        Assert.False(plan.HasChanges);
        // No object of the stack's namespaces is dry-run (the system namespace, declared with no field
        // of ours to own, may be: one request, whatever the size of the stack).
        Assert.DoesNotContain(h.Fake.Requests, r => r.DryRun && !r.Path.EndsWith("/namespaces/" + StackRenderer.SystemNamespace, StringComparison.Ordinal));
        // What is left is discovery, the parent, one list per kind and namespace.
        Assert.True(h.Fake.Requests.Count < 20, $"{h.Fake.Requests.Count} requests: {string.Join(", ", h.Fake.Requests.Select(r => r.Method + " " + r.Path))}");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_field_removed_from_the_declaration_or_a_changed_value_is_still_planned_as_an_update()
    {
        await using var h = await Harness.StartAsync();
        h.Fake.Options.ReadyDelay = TimeSpan.Zero;
        var set = Synthetic(20);
        await h.Deployer().ApplyAsync(set);

        // Removed: the declaration is still a subset of live, but we own a field it no longer has.
        var removed = Harness.Edit(set, o =>
        {
            if (KubeObject.Name(o.Body) == "c0001")
            {
                ((JsonObject)o.Body["metadata"]!["labels"]!).Remove(Labels.Module);
            }
            return o;
        });
        var plan = await h.Deployer().PlanAsync(removed);
        var update = Assert.Single(plan.Objects, o => o.Action != PlanAction.Unchanged);
        Assert.Equal(PlanAction.Update, update.Action);
        Assert.Equal("c0001", update.Name);
        Assert.Contains(update.Changes, c => c.Path.Contains(Labels.Module, StringComparison.Ordinal) && c.After is null);

        // Changed: a value differs from live.
        var changed = Harness.Edit(set, o =>
        {
            if (KubeObject.Name(o.Body) == "d0010")
            {
                o.Body["spec"]!["replicas"] = 3;
            }
            return o;
        });
        plan = await h.Deployer().PlanAsync(changed);
        update = Assert.Single(plan.Objects, o => o.Action != PlanAction.Unchanged);
        Assert.Equal("d0010", update.Name);
        Assert.Contains(update.Changes, c => c.Path == "spec.replicas" && c.After == "3");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_value_another_manager_changed_is_planned_as_an_update_back()
    {
        await using var h = await Harness.StartAsync();
        h.Fake.Options.ReadyDelay = TimeSpan.Zero;
        var set = Synthetic(20);
        await h.Deployer().ApplyAsync(set);
        // Someone edits a value we declared (kubectl edit): live no longer holds our value.
        var patch = await h.Api.SendAsync(System.Net.Http.HttpMethod.Patch, "/api/v1/namespaces/ns-b/configmaps/c0001?fieldManager=kubectl-edit&force=true",
            "edit", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c0001\",\"namespace\":\"ns-b\"},\"data\":{\"index\":\"changed\"}}", "application/apply-patch+yaml");
        Assert.True(patch.IsSuccess, patch.StatusMessage);

        var plan = await h.Deployer().PlanAsync(set);

        var update = Assert.Single(plan.Objects, o => o.Action != PlanAction.Unchanged);
        Assert.Equal("c0001", update.Name);
        Assert.Contains(update.Changes, c => c.Path == "data.index");
    }
}

using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using FlatRacoon.Testing.Fake;
using Xunit;

namespace FlatRacoon.Deployment.Tests;

/// <summary>
/// The engine on objects other managers share (a sidecar injector, an HPA, an operator), against the
/// fake's structured-merge-diff server-side apply (https://kubernetes.io/docs/reference/using-api/server-side-apply/).
/// </summary>
public sealed class SharedObjectTests
{
    private const string Ns = "network-dashboard";
    private const string Name = "network-dashboard";

    private static DeploymentSet WithoutReplicas(DeploymentSet set) => Harness.Edit(set, o =>
    {
        if (o.Kind == "Deployment" && KubeObject.Name(o.Body) == Name)
        {
            ((JsonObject)o.Body["spec"]!).Remove("replicas"); // the module leaves replicas to the HPA
        }
        return o;
    });

    private static JsonObject Live(Harness h) => h.Fake.Find("Deployment", Ns, Name)!;

    private static JsonArray Containers(JsonObject o) => o["spec"]!["template"]!["spec"]!["containers"]!.AsArray();

    /// <summary>An injector applies a sidecar and an env var in our first container; an HPA writes replicas through the scale subresource.</summary>
    private static string ShareWithInjectorAndHpa(Harness h)
    {
        var ours = Containers(Live(h))[0]!["name"]!.GetValue<string>();
        h.Fake.ApplyAs("sidecar-injector", new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = Name, ["namespace"] = Ns },
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["spec"] = new JsonObject
                    {
                        ["containers"] = new JsonArray(
                            new JsonObject { ["name"] = ours, ["env"] = new JsonArray(new JsonObject { ["name"] = "PROXY_ADDR", ["value"] = "127.0.0.1:15001" }) },
                            new JsonObject { ["name"] = "proxy", ["image"] = "envoyproxy/envoy:v1.31.0" }),
                    },
                },
            },
        });
        h.Fake.EditAs("horizontal-pod-autoscaler", "Deployment", Ns, Name, new[] { "spec", "replicas" }, JsonValue.Create(7)!, subresource: "scale");
        return ours;
    }

    private static void AssertTheirsKept(Harness h, string ours)
    {
        var live = Live(h);
        var containers = Containers(live);
        Assert.Contains(containers, c => c!["name"]!.GetValue<string>() == "proxy" && c["image"]!.GetValue<string>() == "envoyproxy/envoy:v1.31.0");
        var app = containers.Single(c => c!["name"]!.GetValue<string>() == ours)!;
        Assert.Contains(app["env"]!.AsArray(), e => e!["name"]!.GetValue<string>() == "PROXY_ADDR");
        Assert.Equal(7, live["spec"]!["replicas"]!.GetValue<int>());
        Assert.Contains(live["metadata"]!["managedFields"]!.AsArray(), m => m!["manager"]!.GetValue<string>() == "sidecar-injector");
    }

    [Fact(Timeout = 120_000)]
    public async Task Plan_shows_no_diff_for_fields_other_managers_own_and_apply_keeps_them()
    {
        await using var h = await Harness.StartAsync();
        var set = WithoutReplicas(Harness.Sample());
        await h.Deployer().ApplyAsync(set);
        var ours = ShareWithInjectorAndHpa(h);

        var plan = await h.Deployer().PlanAsync(set);
        var dashboard = plan.Objects.Single(o => o.Kind == "Deployment" && o.Name == Name);
        Assert.Equal(PlanAction.Unchanged, dashboard.Action);
        Assert.Empty(dashboard.Changes);
        Assert.Empty(plan.Conflicts);
        Assert.False(plan.HasChanges, plan.ToText());

        var result = await h.Deployer().ApplyAsync(set);
        Assert.False(result.Changed);
        AssertTheirsKept(h, ours);
    }

    [Fact(Timeout = 120_000)]
    public async Task Our_conflicts_are_reported_by_object_and_field_path_and_force_conflicts_takes_only_ours()
    {
        await using var h = await Harness.StartAsync();
        var set = WithoutReplicas(Harness.Sample());
        await h.Deployer().ApplyAsync(set);
        var ours = ShareWithInjectorAndHpa(h);
        var image = Containers(Live(h)).Single(c => c!["name"]!.GetValue<string>() == ours)!["image"]!.GetValue<string>();
        // An operator console pins our container's image (an Update, as kubectl set image does).
        var index = Containers(Live(h)).Select((c, i) => (c, i)).Single(p => p.c!["name"]!.GetValue<string>() == ours).i;
        h.Fake.ApplyAs("ops-console", new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = Name, ["namespace"] = Ns },
            ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = ours, ["image"] = image + "-pinned" }) } } },
        });
        Assert.Equal(image + "-pinned", Containers(Live(h))[index]!["image"]!.GetValue<string>());
        var field = $".spec.template.spec.containers[name=\"{ours}\"].image";

        var plan = await h.Deployer().PlanAsync(set);
        var dashboard = plan.Objects.Single(o => o.Kind == "Deployment" && o.Name == Name);
        Assert.Equal(new FieldConflict("ops-console", field), Assert.Single(dashboard.Conflicts));
        // The plan's changes are only what we would take: the image, not the sidecar, env or replicas.
        var change = Assert.Single(dashboard.Changes);
        Assert.Contains("image", change.Path, StringComparison.Ordinal);

        h.Fake.ResetCounters();
        var error = await Assert.ThrowsAsync<ConflictException>(() => h.Deployer().ApplyAsync(set));
        var (obj, conflict) = Assert.Single(error.Conflicts);
        Assert.Equal($"Deployment {Ns}/{Name}", obj);
        Assert.Equal(new FieldConflict("ops-console", field), conflict);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(h.Fake.Requests, r => r.IsWrite);

        await h.Deployer(Harness.FastOptions with { ForceConflicts = true }).ApplyAsync(set);
        var live = Live(h);
        Assert.Equal(image, Containers(live)[index]!["image"]!.GetValue<string>());
        // Force moved only the conflicting field: the console keeps the item it shares with us (its key), not the image.
        var console = live["metadata"]!["managedFields"]!.AsArray().Single(m => m!["manager"]!.GetValue<string>() == "ops-console")!["fieldsV1"]!;
        var item = console["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]![$"k:{{\"name\":\"{ours}\"}}"]!.AsObject();
        Assert.False(item.ContainsKey("f:image"));
        Assert.True(item.ContainsKey("f:name"));
        AssertTheirsKept(h, ours);
    }

    [Fact(Timeout = 120_000)]
    public async Task Prune_and_rollback_never_remove_another_managers_fields()
    {
        await using var h = await Harness.StartAsync();
        var sample = WithoutReplicas(Harness.Sample());
        await h.Deployer().ApplyAsync(sample); // revision 1
        var ours = ShareWithInjectorAndHpa(h);
        // Two extra ConfigMaps of ours; an operator adds a key to one of them.
        var shared = Harness.ConfigMap(Ns, "shared-settings", Name, 4, sample.ApplySetId);
        var alone = Harness.ConfigMap(Ns, "alone-settings", Name, 4, sample.ApplySetId);
        var withExtras = Harness.Edit(sample, o => o, shared, alone);
        await h.Deployer().ApplyAsync(withExtras); // revision 2
        h.Fake.ApplyAs("settings-operator", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "shared-settings", ["namespace"] = Ns },
            ["data"] = new JsonObject { ["operator-key"] = "theirs" },
        });

        // Revision 3 drops both ConfigMaps and changes the dashboard's image: prune deletes the one
        // only we manage and keeps the shared one; the dashboard update keeps the sidecar and replicas.
        var changed = Harness.Edit(sample, o =>
        {
            if (o.Kind == "Deployment" && KubeObject.Name(o.Body) == Name)
            {
                var c = o.Body["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single(x => x!["name"]!.GetValue<string>() == ours)!;
                c["image"] = c["image"]!.GetValue<string>() + "-next";
            }
            return o;
        });
        await h.Deployer().ApplyAsync(changed);
        Assert.Null(h.Fake.Find("ConfigMap", Ns, "alone-settings"));
        var kept = h.Fake.Find("ConfigMap", Ns, "shared-settings")!;
        Assert.Equal("theirs", kept["data"]!["operator-key"]!.GetValue<string>());
        Assert.Contains(h.Narrator.Messages, m => m.Contains($"kept ConfigMap {Ns}/shared-settings", StringComparison.Ordinal) && m.Contains("'settings-operator'", StringComparison.Ordinal));
        AssertTheirsKept(h, ours);

        // Rollback to revision 1: our image comes back, their fields stay.
        await h.Deployer().RollbackAsync(sample.StackName, 1);
        var live = Live(h);
        Assert.DoesNotContain("-next", Containers(live).Single(c => c!["name"]!.GetValue<string>() == ours)!["image"]!.GetValue<string>(), StringComparison.Ordinal);
        AssertTheirsKept(h, ours);
        Assert.Equal("theirs", h.Fake.Find("ConfigMap", Ns, "shared-settings")!["data"]!["operator-key"]!.GetValue<string>());
    }
}

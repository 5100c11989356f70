using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using FlatRacoon.Testing.Fake;
using Xunit;

namespace FlatRacoon.FakeApiServer.Tests;

/// <summary>
/// Server-side apply in the fake, checked against the documented semantics:
/// https://kubernetes.io/docs/reference/using-api/server-side-apply/ (field management, conflicts,
/// merge strategy of lists by x-kubernetes-list-type / x-kubernetes-list-map-keys).
/// </summary>
public sealed class StructuredMergeTests
{
    private const string Path = "/apis/apps/v1/namespaces/default/deployments/web";

    internal static JsonObject Deployment(string image = "nginx:1.27", int? replicas = 2, string? sidecar = null, string? env = null, bool ours = true)
    {
        var container = new JsonObject { ["name"] = ours ? "app" : sidecar };
        if (ours)
        {
            container["image"] = image;
            container["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 8080 });
        }
        else
        {
            container["image"] = "envoy:1.31";
        }
        if (env is not null)
        {
            container["env"] = new JsonArray(new JsonObject { ["name"] = env, ["value"] = "1" });
        }
        var spec = new JsonObject
        {
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web" } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web" } },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(container) },
            },
        };
        if (replicas is { } r)
        {
            spec["replicas"] = r;
        }
        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = "default" },
            ["spec"] = spec,
        };
    }

    internal static async Task<FlatRacoon.Testing.Fake.FakeApiServer> StartAsync()
    {
        var fake = await FlatRacoon.Testing.Fake.FakeApiServer.StartAsync();
        fake.ApplyAs("bootstrap", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "default" } });
        return fake;
    }

    private static JsonArray Containers(JsonObject o) => o["spec"]!["template"]!["spec"]!["containers"]!.AsArray();

    [Fact]
    public async Task A_second_manager_adds_a_sidecar_and_an_env_var_beside_ours_without_conflict_and_both_are_kept()
    {
        await using var fake = await StartAsync();
        Assert.Equal(201, (await Http.ApplyAsync(fake.BaseUri, Path, "ours", Deployment())).Status);

        // The injector applies only what it owns: a container by its key, and an env var inside ours.
        var theirs = Deployment(replicas: null, sidecar: "proxy", ours: false);
        theirs["spec"]!.AsObject().Remove("selector");
        Containers(theirs).Add(new JsonObject { ["name"] = "app", ["env"] = new JsonArray(new JsonObject { ["name"] = "PROXY", ["value"] = "on" }) });
        var (status, body) = await Http.ApplyAsync(fake.BaseUri, Path, "injector", theirs);
        Assert.True(status == 200, body.ToJsonString());

        var live = fake.Find("Deployment", "default", "web")!;
        var containers = Containers(live);
        Assert.Equal(new[] { "app", "proxy" }, containers.Select(c => c!["name"]!.GetValue<string>()).ToArray());
        var app = containers[0]!;
        Assert.Equal("nginx:1.27", app["image"]!.GetValue<string>());
        Assert.Equal("PROXY", app["env"]![0]!["name"]!.GetValue<string>());
        // Defaulted key: a port without protocol is keyed as TCP.
        Assert.Equal("TCP", app["ports"]![0]!["protocol"]!.GetValue<string>());

        // managedFields per list item, as FieldsV1.
        var managed = live["metadata"]!["managedFields"]!.AsArray();
        var injector = managed.Single(m => m!["manager"]!.GetValue<string>() == "injector")!["fieldsV1"]!;
        var injectorContainers = injector["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!.AsObject();
        Assert.True(injectorContainers.ContainsKey("k:{\"name\":\"proxy\"}"));
        Assert.True(injectorContainers["k:{\"name\":\"app\"}"]!["f:env"]!.AsObject().ContainsKey("k:{\"name\":\"PROXY\"}"));
        var oursFields = managed.Single(m => m!["manager"]!.GetValue<string>() == "ours")!["fieldsV1"]!;
        Assert.True(oursFields["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!["k:{\"name\":\"app\"}"]!["f:ports"]!.AsObject()
            .ContainsKey("k:{\"containerPort\":8080,\"protocol\":\"TCP\"}"));

        // Our next apply (unchanged) keeps theirs.
        Assert.Equal(200, (await Http.ApplyAsync(fake.BaseUri, Path, "ours", Deployment())).Status);
        live = fake.Find("Deployment", "default", "web")!;
        Assert.Equal(2, Containers(live).Count);
        Assert.NotNull(Containers(live)[0]!["env"]);
    }

    [Fact]
    public async Task A_conflicting_change_is_a_409_naming_the_field_path_and_manager_and_force_takes_only_that_field()
    {
        await using var fake = await StartAsync();
        await Http.ApplyAsync(fake.BaseUri, Path, "ours", Deployment());
        var before = fake.Find("Deployment", "default", "web")!["metadata"]!["resourceVersion"]!.GetValue<string>();

        var (status, body) = await Http.ApplyAsync(fake.BaseUri, Path, "other", Deployment(image: "nginx:1.28", replicas: 2));
        Assert.Equal(409, status);
        Assert.Equal("Conflict", body["reason"]!.GetValue<string>());
        Assert.Equal("Apply failed with 1 conflict: conflict with \"ours\": .spec.template.spec.containers[name=\"app\"].image", body["message"]!.GetValue<string>());
        var cause = body["details"]!["causes"]![0]!;
        Assert.Equal("FieldManagerConflict", cause["reason"]!.GetValue<string>());
        Assert.Equal(".spec.template.spec.containers[name=\"app\"].image", cause["field"]!.GetValue<string>());
        Assert.Equal(before, fake.Find("Deployment", "default", "web")!["metadata"]!["resourceVersion"]!.GetValue<string>());

        (status, body) = await Http.ApplyAsync(fake.BaseUri, Path, "other", Deployment(image: "nginx:1.28", replicas: 2), force: true);
        Assert.True(status == 200, body.ToJsonString());
        var managed = fake.Find("Deployment", "default", "web")!["metadata"]!["managedFields"]!.AsArray();
        var ours = managed.Single(m => m!["manager"]!.GetValue<string>() == "ours")!["fieldsV1"]!;
        var ourApp = ours["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!["k:{\"name\":\"app\"}"]!.AsObject();
        Assert.False(ourApp.ContainsKey("f:image"));       // the conflicting field changed hands
        Assert.True(ourApp.ContainsKey("f:ports"));         // everything else stays ours (shared where equal)
        Assert.True(ours["f:spec"]!.AsObject().ContainsKey("f:replicas"));
    }

    [Fact]
    public async Task Fields_a_manager_stops_applying_are_removed_unless_another_manager_owns_them()
    {
        await using var fake = await StartAsync();
        var withEnv = Deployment(env: "DEBUG");
        await Http.ApplyAsync(fake.BaseUri, Path, "ours", withEnv);
        var theirs = Deployment(replicas: null, sidecar: "proxy", ours: false);
        theirs["spec"]!.AsObject().Remove("selector");
        await Http.ApplyAsync(fake.BaseUri, Path, "injector", theirs);

        // We stop applying env DEBUG and replicas: both go (replicas is defaulted back to 1 by the server).
        var (status, _) = await Http.ApplyAsync(fake.BaseUri, Path, "ours", Deployment(replicas: null));
        Assert.Equal(200, status);
        var live = fake.Find("Deployment", "default", "web")!;
        Assert.Null(Containers(live)[0]!["env"]);
        Assert.Equal(1, live["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("proxy", Containers(live)[1]!["name"]!.GetValue<string>());

        // The injector stops applying its sidecar: the sidecar goes, ours stays.
        var none = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["metadata"] = new JsonObject { ["name"] = "web" } };
        Assert.Equal(200, (await Http.ApplyAsync(fake.BaseUri, Path, "injector", none)).Status);
        live = fake.Find("Deployment", "default", "web")!;
        Assert.Equal(new[] { "app" }, Containers(live).Select(c => c!["name"]!.GetValue<string>()).ToArray());
    }

    [Fact]
    public async Task A_stale_resourceVersion_in_an_apply_body_is_a_409()
    {
        // https://kubernetes.io/docs/reference/using-api/server-side-apply/#using-server-side-apply-in-a-controller
        // ("resourceVersion ... the apply is rejected with a conflict if it does not match").
        await using var fake = await StartAsync();
        await Http.ApplyAsync(fake.BaseUri, Path, "ours", Deployment());
        var stale = Deployment(image: "nginx:1.28");
        stale["metadata"]!["resourceVersion"] = "1";
        var (status, body) = await Http.ApplyAsync(fake.BaseUri, Path, "ours", stale);
        Assert.Equal(409, status);
        Assert.Contains("the object has been modified", body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("web", body["details"]!["name"]!.GetValue<string>());

        var current = Deployment(image: "nginx:1.28");
        current["metadata"]!["resourceVersion"] = fake.Find("Deployment", "default", "web")!["metadata"]!["resourceVersion"]!.DeepClone();
        Assert.Equal(200, (await Http.ApplyAsync(fake.BaseUri, Path, "ours", current)).Status);
    }

    [Fact]
    public async Task Missing_objects_answer_a_full_404_Status()
    {
        // https://kubernetes.io/docs/reference/using-api/api-concepts/#resources (Status kind: details name, group, kind).
        await using var fake = await StartAsync();
        var (status, body) = await Http.SendAsync(fake.BaseUri, HttpMethod.Get, "/apis/apps/v1/namespaces/default/deployments/nope");
        Assert.Equal(404, status);
        Assert.Equal("deployments.apps \"nope\" not found", body["message"]!.GetValue<string>());
        Assert.Equal("nope", body["details"]!["name"]!.GetValue<string>());
        Assert.Equal("apps", body["details"]!["group"]!.GetValue<string>());
        Assert.Equal("deployments", body["details"]!["kind"]!.GetValue<string>());
    }
}

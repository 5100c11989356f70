using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace FlatRacoon.FakeApiServer.Tests;

/// <summary>
/// Real kubectl's imperative verbs against the fake: create (POST), replace (PUT), patch (strategic,
/// merge, JSON), scale (the scale subresource), label and annotate, client-side apply and edit,
/// get with server-side printing, explain with the OpenAPI v3 schemas. Each expectation is what the
/// Kubernetes documentation cited at the test says a real API server answers.
/// </summary>
public sealed class KubectlWriteTests
{
    private const string Web = Kubectl.WebDeployment;

    private static async Task<Kubectl> CreatedAsync()
    {
        var k = await Kubectl.StartAsync();
        k.Fake.Options.ReadyDelay = TimeSpan.Zero; // the simulated controllers report every replica ready at once
        var (exit, output, error) = await k.RunAsync("create", "-f", k.File("web.yaml", Web));
        Assert.True(exit == 0, error);
        Assert.Equal("deployment.apps/web created", output.Trim());
        return k;
    }

    /// <summary>A number as JSON holds it (stored objects keep what was written: int or long).</summary>
    private static long N(JsonNode? node) => long.Parse(node!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject Live(Kubectl k) => k.Fake.Find("Deployment", "default", "web")!;

    private static JsonArray Containers(JsonObject o) => o["spec"]!["template"]!["spec"]!["containers"]!.AsArray();

    private static JsonObject ManagerEntry(JsonObject o, string manager) =>
        o["metadata"]!["managedFields"]!.AsArray().Select(m => m!.AsObject()).Single(m => m["manager"]!.GetValue<string>() == manager);

    [Fact]
    public async Task Create_posts_the_object_owned_by_the_creator_and_a_second_create_is_AlreadyExists()
    {
        // https://kubernetes.io/docs/reference/using-api/api-concepts/#api-verbs (POST creates; 409 AlreadyExists)
        // and https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management (an Update owns the fields it sets).
        await using var k = await CreatedAsync();
        var created = ManagerEntry(Live(k), "kubectl-create");
        Assert.Equal("Update", created["operation"]!.GetValue<string>());
        Assert.NotNull(created["fieldsV1"]!["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!["k:{\"name\":\"app\"}"]!["f:image"]);
        Assert.Equal(1, N(Live(k)["metadata"]!["generation"]!));

        var (exit, _, error) = await k.RunAsync("create", "-f", k.File("web.yaml", Web));
        Assert.Equal(1, exit);
        Assert.Contains("Error from server (AlreadyExists): error when creating", error, StringComparison.Ordinal);
        Assert.Contains("deployments.apps \"web\" already exists", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_with_validation_on_refuses_an_unknown_field_and_an_invalid_port()
    {
        // https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation (kubectl's default --validate=strict:
        // the server's strict decoder refuses unknown fields) and #validation (422 with field paths).
        await using var k = await Kubectl.StartAsync();
        var unknown = k.File("unknown.yaml", Web.Replace("        image: nginx:1.27", "        image: nginx:1.27\n        imagePullPolice: Always", StringComparison.Ordinal));
        var (exit, _, error) = await k.RunAsync("create", "-f", unknown);
        Assert.Equal(1, exit);
        Assert.Contains("strict decoding error: unknown field \"spec.template.spec.containers[0].imagePullPolice\"", error, StringComparison.Ordinal);
        Assert.Null(k.Fake.Find("Deployment", "default", "web"));

        (exit, _, error) = await k.RunAsync("create", "-f", k.File("port.yaml", Web.Replace("containerPort: 8080", "containerPort: 99999", StringComparison.Ordinal)));
        Assert.Equal(1, exit);
        Assert.Contains("The Deployment \"web\" is invalid: spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 99999: must be between 1 and 65535, inclusive", error, StringComparison.Ordinal);
        Assert.Null(k.Fake.Find("Deployment", "default", "web"));
    }

    [Fact]
    public async Task Replace_puts_the_whole_object_and_a_stale_resourceVersion_is_a_conflict()
    {
        // https://kubernetes.io/docs/reference/kubectl/generated/kubectl_replace/ (PUT) and
        // https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions (optimistic concurrency: 409 when it changed).
        await using var k = await CreatedAsync();
        var version = Live(k)["metadata"]!["resourceVersion"]!.GetValue<string>();
        var (exit, output, error) = await k.RunAsync("replace", "-f", k.File("web2.yaml", Web.Replace("nginx:1.27", "nginx:1.28", StringComparison.Ordinal)));
        Assert.True(exit == 0, error);
        Assert.Equal("deployment.apps/web replaced", output.Trim());
        Assert.Equal("nginx:1.28", Containers(Live(k))[0]!["image"]!.GetValue<string>());
        Assert.Equal(2, N(Live(k)["metadata"]!["generation"]!));
        Assert.NotNull(ManagerEntry(Live(k), "kubectl-replace")["fieldsV1"]!["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!["k:{\"name\":\"app\"}"]!["f:image"]);

        var stale = Web.Replace("  namespace: default\n", $"  namespace: default\n  resourceVersion: \"{version}\"\n", StringComparison.Ordinal).Replace("nginx:1.27", "nginx:1.29", StringComparison.Ordinal);
        (exit, _, error) = await k.RunAsync("replace", "-f", k.File("stale.yaml", stale));
        Assert.Equal(1, exit);
        Assert.Contains("Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; please apply your changes to the latest version and try again", error, StringComparison.Ordinal);
        Assert.Equal("nginx:1.28", Containers(Live(k))[0]!["image"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_strategic_merges_containers_by_name_and_patch_delete_removes_one()
    {
        // https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/#use-a-strategic-merge-patch-to-update-a-deployment
        // (containers have patchStrategy merge on patchMergeKey name: a patch adds a container beside ours)
        // and #notes-on-the-strategic-merge-patch ($patch: delete).
        await using var k = await CreatedAsync();
        var (exit, output, error) = await k.RunAsync("patch", "deploy", "web", "-p", """{"spec":{"template":{"spec":{"containers":[{"name":"proxy","image":"envoy:1.31"}]}}}}""");
        Assert.True(exit == 0, error);
        Assert.Equal("deployment.apps/web patched", output.Trim());
        Assert.Equal(new[] { "app=nginx:1.27", "proxy=envoy:1.31" }, Containers(Live(k)).Select(c => $"{c!["name"]}={c["image"]}").ToArray());
        var patcher = ManagerEntry(Live(k), "kubectl-patch")["fieldsV1"]!["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!.AsObject();
        Assert.Equal(new[] { "k:{\"name\":\"proxy\"}" }, patcher.Select(p => p.Key).ToArray()); // it owns what it changed, not our container

        (exit, output, error) = await k.RunAsync("patch", "deploy", "web", "--type", "strategic", "-p", """{"spec":{"template":{"spec":{"containers":[{"name":"proxy","$patch":"delete"}]}}}}""");
        Assert.True(exit == 0, error);
        Assert.Equal(new[] { "app" }, Containers(Live(k)).Select(c => c!["name"]!.GetValue<string>()).ToArray());

        // A patch that changes nothing is "patched (no change)" and writes nothing.
        var version = Live(k)["metadata"]!["resourceVersion"]!.GetValue<string>();
        (exit, output, error) = await k.RunAsync("patch", "deploy", "web", "-p", """{"spec":{"replicas":2}}""");
        Assert.True(exit == 0, error);
        Assert.Equal("deployment.apps/web patched (no change)", output.Trim());
        Assert.Equal(version, Live(k)["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_merge_replaces_lists_whole_and_null_deletes_a_key()
    {
        // https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/#use-a-json-merge-patch-to-update-a-deployment
        // (RFC 7386: a list in a merge patch replaces the whole list; null deletes).
        await using var k = await CreatedAsync();
        var (exit, _, error) = await k.RunAsync("label", "deploy", "web", "tier=frontend", "team=web");
        Assert.True(exit == 0, error);
        (exit, var output, error) = await k.RunAsync("patch", "deploy", "web", "--type", "merge", "-p",
            """{"metadata":{"labels":{"team":null}},"spec":{"template":{"spec":{"containers":[{"name":"proxy","image":"envoy:1.31"}]}}}}""");
        Assert.True(exit == 0, error);
        Assert.Equal("deployment.apps/web patched", output.Trim());
        Assert.Equal(new[] { "proxy" }, Containers(Live(k)).Select(c => c!["name"]!.GetValue<string>()).ToArray());
        Assert.Equal("""{"tier":"frontend"}""", Live(k)["metadata"]!["labels"]!.ToJsonString());
    }

    [Fact]
    public async Task Patch_json_applies_operations_in_order_and_a_failed_test_changes_nothing()
    {
        // https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/ (--type json: RFC 6902 operations).
        await using var k = await CreatedAsync();
        var (exit, output, error) = await k.RunAsync("patch", "deploy", "web", "--type", "json", "-p",
            """[{"op":"add","path":"/spec/template/spec/containers/0/env","value":[{"name":"MODE","value":"fast"}]},{"op":"replace","path":"/spec/replicas","value":3},{"op":"test","path":"/spec/replicas","value":3}]""");
        Assert.True(exit == 0, error);
        Assert.Equal("deployment.apps/web patched", output.Trim());
        Assert.Equal(3, N(Live(k)["spec"]!["replicas"]!));
        Assert.Equal("MODE", Containers(Live(k))[0]!["env"]![0]!["name"]!.GetValue<string>());

        (exit, _, error) = await k.RunAsync("patch", "deploy", "web", "--type", "json", "-p",
            """[{"op":"replace","path":"/spec/replicas","value":9},{"op":"test","path":"/spec/paused","value":true}]""");
        Assert.Equal(1, exit);
        Assert.Contains("The request is invalid: testing value /spec/paused failed", error, StringComparison.Ordinal);
        Assert.Equal(3, N(Live(k)["spec"]!["replicas"]!));
    }

    [Fact]
    public async Task Scale_writes_replicas_through_the_scale_subresource_and_the_owner_is_recorded_with_it()
    {
        // https://kubernetes.io/docs/reference/kubectl/generated/kubectl_scale/ and
        // https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/deployment-v1/#patch-scale-of-the-specified-deployment
        // (autoscaling/v1 Scale; managedFields name the subresource: https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management).
        await using var k = await CreatedAsync();
        var (exit, output, error) = await k.RunAsync("scale", "deploy", "web", "--replicas=5");
        Assert.True(exit == 0, error);
        Assert.Equal("deployment.apps/web scaled", output.Trim());
        Assert.Equal(5, N(Live(k)["spec"]!["replicas"]!));
        var scaler = Live(k)["metadata"]!["managedFields"]!.AsArray().Select(m => m!.AsObject()).Single(m => m["subresource"]?.GetValue<string>() == "scale");
        Assert.Equal("Update", scaler["operation"]!.GetValue<string>());
        Assert.Equal("""{"f:spec":{"f:replicas":{}}}""", scaler["fieldsV1"]!.ToJsonString());
        Assert.Null(ManagerEntry(Live(k), "kubectl-create")["fieldsV1"]!["f:spec"]!["f:replicas"]); // replicas changed hands

        // Our server-side apply of replicas 2 now conflicts with the scaler, named with its subresource.
        (exit, _, error) = await k.RunAsync("apply", "--server-side", "-f", k.File("web.yaml", Web));
        Assert.Equal(1, exit);
        Assert.Matches("Apply failed with 1 conflict: conflict with \"kubectl\" with subresource \"scale\" using apps/v1 at [0-9TZ:-]+: \\.spec\\.replicas", error);

        (exit, _, error) = await k.RunAsync("scale", "deploy", "web", "--replicas=-1");
        Assert.NotEqual(0, exit);
        Assert.Equal(5, N(Live(k)["spec"]!["replicas"]!));
    }

    [Fact]
    public async Task Label_and_annotate_change_metadata_only_and_a_label_is_removed_with_a_dash()
    {
        // https://kubernetes.io/docs/reference/kubectl/generated/kubectl_label/ and
        // https://kubernetes.io/docs/reference/kubectl/generated/kubectl_annotate/ (metadata changes do not bump generation:
        // https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/object-meta/#ObjectMeta).
        await using var k = await CreatedAsync();
        var (exit, output, error) = await k.RunAsync("label", "deploy", "web", "tier=frontend");
        Assert.True(exit == 0, error);
        Assert.Equal("deployment.apps/web labeled", output.Trim());
        (exit, output, error) = await k.RunAsync("annotate", "deploy", "web", "owner=team-a");
        Assert.True(exit == 0, error);
        Assert.Equal("deployment.apps/web annotated", output.Trim());
        (exit, _, error) = await k.RunAsync("label", "deploy", "web", "tier=backend");
        Assert.NotEqual(0, exit);
        Assert.Contains("'tier' already has a value (frontend), and --overwrite is false", error, StringComparison.Ordinal);

        var live = Live(k);
        Assert.Equal("frontend", live["metadata"]!["labels"]!["tier"]!.GetValue<string>());
        Assert.Equal("team-a", live["metadata"]!["annotations"]!["owner"]!.GetValue<string>());
        Assert.Equal(1, N(live["metadata"]!["generation"]!));
        Assert.Equal("""{"f:metadata":{"f:labels":{"f:tier":{}}}}""", ManagerEntry(live, "kubectl-label")["fieldsV1"]!.ToJsonString());

        (exit, _, error) = await k.RunAsync("label", "deploy", "web", "tier-");
        Assert.True(exit == 0, error);
        Assert.Null(Live(k)["metadata"]!["labels"]);
        Assert.DoesNotContain(Live(k)["metadata"]!["managedFields"]!.AsArray(), m => m!["manager"]!.GetValue<string>() == "kubectl-label");
    }

    [Fact]
    public async Task Client_side_apply_and_edit_send_strategic_merge_patches_that_keep_another_writers_container()
    {
        // https://kubernetes.io/docs/tasks/manage-kubernetes-objects/declarative-config/#how-apply-calculates-differences-and-merges-changes
        // (last-applied-configuration, a strategic merge patch that leaves fields it never set) and
        // https://kubernetes.io/docs/reference/kubectl/generated/kubectl_edit/.
        await using var k = await Kubectl.StartAsync();
        var (exit, output, error) = await k.RunAsync("apply", "-f", k.File("web.yaml", Web));
        Assert.True(exit == 0, error);
        Assert.Equal("deployment.apps/web created", output.Trim());
        Assert.NotNull(Live(k)["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"]);

        (exit, _, error) = await k.RunAsync("patch", "deploy", "web", "-p", """{"spec":{"template":{"spec":{"containers":[{"name":"proxy","image":"envoy:1.31"}]}}}}""");
        Assert.True(exit == 0, error);
        (exit, output, error) = await k.RunAsync("apply", "-f", k.File("web2.yaml", Web.Replace("nginx:1.27", "nginx:1.28", StringComparison.Ordinal)));
        Assert.True(exit == 0, error);
        Assert.Equal("deployment.apps/web configured", output.Trim());
        Assert.Equal(new[] { "app=nginx:1.28", "proxy=envoy:1.31" }, Containers(Live(k)).Select(c => $"{c!["name"]}={c["image"]}").ToArray());
        Assert.Equal("Update", ManagerEntry(Live(k), "kubectl-client-side-apply")["operation"]!.GetValue<string>());

        var editor = new Dictionary<string, string> { ["KUBE_EDITOR"] = "sed -i s/nginx:1.28/nginx:1.29/" };
        (exit, output, error) = await k.RunWithAsync(editor, "edit", "deploy", "web");
        Assert.True(exit == 0, error);
        Assert.Equal("deployment.apps/web edited", output.Trim());
        Assert.Equal("nginx:1.29", Containers(Live(k))[0]!["image"]!.GetValue<string>());
        Assert.NotNull(ManagerEntry(Live(k), "kubectl-edit")["fieldsV1"]!["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!["k:{\"name\":\"app\"}"]!["f:image"]);
    }

    [Fact]
    public async Task Diff_without_server_side_shows_the_change_from_a_dry_run_patch()
    {
        // https://kubernetes.io/docs/reference/kubectl/generated/kubectl_diff/ (a dry-run request: dryRun=All stores nothing,
        // https://kubernetes.io/docs/reference/using-api/api-concepts/#dry-run).
        await using var k = await Kubectl.StartAsync();
        var (exit, _, error) = await k.RunAsync("apply", "-f", k.File("web.yaml", Web));
        Assert.True(exit == 0, error);
        (exit, var output, error) = await k.RunAsync("diff", "-f", k.File("web2.yaml", Web.Replace("nginx:1.27", "nginx:1.28", StringComparison.Ordinal)));
        Assert.Equal(1, exit);
        Assert.Contains("\n-      - image: nginx:1.27\n", output, StringComparison.Ordinal);
        Assert.Contains("\n+      - image: nginx:1.28\n", output, StringComparison.Ordinal);
        Assert.Equal("nginx:1.27", Containers(Live(k))[0]!["image"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_prints_the_columns_the_server_prints_for_each_kind()
    {
        // https://kubernetes.io/docs/reference/using-api/api-concepts/#receiving-resources-as-tables (kubectl get asks for
        // meta.k8s.io/v1 Table; the columns are the API server's printers').
        await using var k = await CreatedAsync();
        var objects = """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: default}
            spec:
              selector: {app: web}
              ports:
              - {port: 80, targetPort: 8080}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: default}
            data: {a: "1", b: "2"}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: token, namespace: default}
            stringData: {t: x}
            """;
        var (exit, _, error) = await k.RunAsync("apply", "--server-side", "-f", k.File("objects.yaml", objects));
        Assert.True(exit == 0, error);

        static string[][] Table(string text) => text.Trim().Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();

        (exit, var output, error) = await k.RunAsync("get", "deploy", "-o", "wide");
        Assert.True(exit == 0, error);
        var deploy = Table(output);
        Assert.Equal(new[] { "NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR" }, deploy[0]);
        Assert.Equal(new[] { "web", "2/2", "2", "2" }, deploy[1][..4]);
        Assert.Equal(new[] { "app", "nginx:1.27", "app=web" }, deploy[1][5..]);

        (exit, output, error) = await k.RunAsync("get", "svc", "web");
        Assert.True(exit == 0, error);
        var svc = Table(output);
        Assert.Equal(new[] { "NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE" }, svc[0]);
        Assert.Equal(new[] { "web", "ClusterIP" }, svc[1][..2]);
        Assert.Equal(new[] { "<none>", "80/TCP" }, svc[1][3..5]);

        (exit, output, error) = await k.RunAsync("get", "cm,secret", "--no-headers");
        Assert.True(exit == 0, error);
        var rows = Table(output).Select(r => string.Join(' ', r[..^1])).ToArray(); // without AGE
        Assert.Equal(new[] { "configmap/settings 2", "secret/token Opaque 1" }, rows);

        (exit, output, error) = await k.RunAsync("get", "ns", "default", "--show-labels");
        Assert.True(exit == 0, error);
        Assert.Equal(new[] { "NAME", "STATUS", "AGE", "LABELS" }, Table(output)[0]);
        Assert.Equal("Active", Table(output)[1][1]);
    }

    [Fact]
    public async Task Explain_reads_fields_types_and_descriptions_from_the_OpenAPI_v3_schemas()
    {
        // https://kubernetes.io/docs/reference/kubectl/generated/kubectl_explain/ and
        // https://kubernetes.io/docs/concepts/overview/kubernetes-api/#openapi-v3 (components.schemas with x-kubernetes-group-version-kind).
        await using var k = await Kubectl.StartAsync();
        var (exit, output, error) = await k.RunAsync("explain", "deployment.spec.replicas");
        Assert.True(exit == 0, error);
        Assert.Contains("FIELD: replicas <integer>", output, StringComparison.Ordinal);
        Assert.Contains("Number of desired pods.", output, StringComparison.Ordinal);

        (exit, output, error) = await k.RunAsync("explain", "deploy.spec.template.spec.containers");
        Assert.True(exit == 0, error);
        Assert.Contains("FIELD: containers <[]Container>", output, StringComparison.Ordinal);
        Assert.Matches(@"\n  name\s+<string> -required-\n", output);

        (exit, _, error) = await k.RunAsync("explain", "deploy.spec.nonsense");
        Assert.NotEqual(0, exit);
        Assert.Contains("field \"nonsense\" does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollout_status_and_wait_follow_the_simulated_controllers_through_a_watch()
    {
        // https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes (watch events) as
        // https://kubernetes.io/docs/reference/kubectl/generated/kubectl_rollout/kubectl_rollout_status/ and
        // https://kubernetes.io/docs/reference/kubectl/generated/kubectl_wait/ use them.
        await using var k = await Kubectl.StartAsync();
        k.Fake.Options.ReadyDelay = TimeSpan.FromSeconds(1);
        var (exit, _, error) = await k.RunAsync("apply", "--server-side", "-f", k.File("web.yaml", Web));
        Assert.True(exit == 0, error);
        (exit, var output, error) = await k.RunAsync("rollout", "status", "deploy/web", "--timeout=60s");
        Assert.True(exit == 0, error);
        Assert.EndsWith("deployment \"web\" successfully rolled out", output.Trim(), StringComparison.Ordinal);

        (exit, output, error) = await k.RunAsync("wait", "--for=condition=Available", "deploy/web", "--timeout=60s");
        Assert.True(exit == 0, error);
        Assert.Equal("deployment.apps/web condition met", output.Trim());

        k.Fake.Options.NeverReady = o => o["metadata"]?["name"]?.GetValue<string>() == "web";
        (exit, _, error) = await k.RunAsync("wait", "--for=condition=Available", "deploy/web", "--timeout=2s");
        Assert.Equal(1, exit);
        Assert.Contains("timed out waiting for the condition on deployments/web", error, StringComparison.Ordinal);
    }
}

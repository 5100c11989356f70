using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace FlatRacoon.FakeApiServer.Tests;

/// <summary>
/// The fake's write verbs, tables and OpenAPI documents over raw HTTP, for what kubectl does not
/// show directly: the patch directives client-side apply sends, Update ownership against appliers,
/// the status subresource, the Table object and the OpenAPI schemas' Kubernetes extensions.
/// </summary>
public sealed class WriteVerbHttpTests
{
    private const string Path = "/apis/apps/v1/namespaces/default/deployments/web";

    private static async Task<(int Status, JsonObject Body)> SendAsync(Uri baseUri, HttpMethod method, string path, string? body, string contentType, string? accept = null)
    {
        using var client = new HttpClient { BaseAddress = baseUri };
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new StringContent(body);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        }
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text) as JsonObject ?? new JsonObject());
    }

    private static Task<(int Status, JsonObject Body)> PatchAsync(Uri baseUri, string type, string manager, string patch, string path = Path) =>
        SendAsync(baseUri, HttpMethod.Patch, $"{path}?fieldManager={manager}", patch, type);

    private static async Task<FlatRacoon.Testing.Fake.FakeApiServer> WithWebAsync()
    {
        var fake = await StructuredMergeTests.StartAsync();
        fake.Options.ReadyDelay = TimeSpan.Zero;
        var web = StructuredMergeTests.Deployment();
        web["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Add(new JsonObject { ["name"] = "proxy", ["image"] = "envoy:1.31" });
        var (status, body) = await SendAsync(fake.BaseUri, HttpMethod.Post, "/apis/apps/v1/namespaces/default/deployments?fieldManager=creator", web.ToJsonString(), "application/json");
        Assert.True(status == 201, body.ToJsonString());
        return fake;
    }

    private static JsonArray Containers(JsonObject o) => o["spec"]!["template"]!["spec"]!["containers"]!.AsArray();

    [Fact]
    public async Task A_missing_required_field_is_named_by_its_path_with_the_item_indexes()
    {
        // https://kubernetes.io/docs/reference/using-api/api-concepts/#validation: 422 Invalid, one cause per field,
        // the field named as the API server names it (spec.template.spec.containers[1].name).
        await using var fake = await StructuredMergeTests.StartAsync();
        var web = StructuredMergeTests.Deployment();
        var containers = Containers(web);
        containers[0]!["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 80 }, new JsonObject { ["name"] = "admin" });
        containers.Add(new JsonObject { ["image"] = "envoy:1.31" });
        var (status, body) = await SendAsync(fake.BaseUri, HttpMethod.Post, "/apis/apps/v1/namespaces/default/deployments?fieldManager=creator", web.ToJsonString(), "application/json");

        Assert.Equal(422, status);
        var causes = body["details"]!["causes"]!.AsArray().Select(c => (c!["field"]!.GetValue<string>(), c["message"]!.GetValue<string>())).ToList();
        Assert.Contains(("spec.template.spec.containers[0].ports[1].containerPort", "Required value"), causes);
        Assert.Contains(("spec.template.spec.containers[1].name", "Required value"), causes);
        Assert.Equal(2, causes.Count);
        Assert.Contains("spec.template.spec.containers[1].name: Required value", body["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Strategic_merge_patch_directives_retainKeys_setElementOrder_and_deleteFromPrimitiveList()
    {
        // https://github.com/kubernetes/community/blob/master/contributors/devel/sig-api-machinery/strategic-merge-patch.md
        // ($retainKeys on a retainKeys strategy, $setElementOrder for merged lists, $deleteFromPrimitiveList for merge sets),
        // as client-side apply sends them: https://kubernetes.io/docs/tasks/manage-kubernetes-objects/declarative-config/.
        await using var fake = await WithWebAsync();
        Assert.Equal("RollingUpdate", fake.Find("Deployment", "default", "web")!["spec"]!["strategy"]!["type"]!.GetValue<string>());

        var (status, body) = await PatchAsync(fake.BaseUri, "application/strategic-merge-patch+json", "switcher", """{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}""");
        Assert.True(status == 200, body.ToJsonString());
        Assert.Equal("""{"type":"Recreate"}""", body["spec"]!["strategy"]!.ToJsonString()); // rollingUpdate cleared

        (status, body) = await PatchAsync(fake.BaseUri, "application/strategic-merge-patch+json", "orderer",
            """{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"proxy"},{"name":"app"}],"containers":[{"name":"app","image":"nginx:1.28"}]}}}}""");
        Assert.True(status == 200, body.ToJsonString());
        Assert.Equal(new[] { "proxy=envoy:1.31", "app=nginx:1.28" }, Containers(body).Select(c => $"{c!["name"]}={c["image"]}").ToArray());

        (status, body) = await PatchAsync(fake.BaseUri, "application/merge-patch+json", "finalizer", """{"metadata":{"finalizers":["a.example/x","b.example/y"]}}""");
        Assert.True(status == 200, body.ToJsonString());
        (status, body) = await PatchAsync(fake.BaseUri, "application/strategic-merge-patch+json", "finalizer", """{"metadata":{"$deleteFromPrimitiveList/finalizers":["a.example/x"]}}""");
        Assert.True(status == 200, body.ToJsonString());
        Assert.Equal("""["b.example/y"]""", body["metadata"]!["finalizers"]!.ToJsonString());

        // A strategic merge patch is refused for a custom resource (no patch strategies), as on a real server.
        (status, body) = await SendAsync(fake.BaseUri, HttpMethod.Patch, "/apis/cert-manager.io/v1/namespaces/default/certificates/c?fieldManager=x", "{}", "application/strategic-merge-patch+json");
        Assert.Equal(404, status); // it does not exist: the 404 comes first
    }

    [Fact]
    public async Task An_update_takes_the_fields_it_changes_from_an_applier_who_then_conflicts()
    {
        // https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management ("Update" operations change
        // ownership of the fields they change) and #conflicts (an applier then conflicts with the updater).
        await using var fake = await StructuredMergeTests.StartAsync();
        Assert.Equal(201, (await Http.ApplyAsync(fake.BaseUri, Path, "ours", StructuredMergeTests.Deployment())).Status);

        var (status, body) = await PatchAsync(fake.BaseUri, "application/merge-patch+json", "editor", """{"spec":{"replicas":4}}""");
        Assert.True(status == 200, body.ToJsonString());
        var managers = body["metadata"]!["managedFields"]!.AsArray();
        Assert.Null(managers.Single(m => m!["manager"]!.GetValue<string>() == "ours")!["fieldsV1"]!["f:spec"]!["f:replicas"]);
        Assert.Equal("""{"f:spec":{"f:replicas":{}}}""", managers.Single(m => m!["manager"]!.GetValue<string>() == "editor")!["fieldsV1"]!.ToJsonString());

        (status, body) = await Http.ApplyAsync(fake.BaseUri, Path, "ours", StructuredMergeTests.Deployment());
        Assert.Equal(409, status);
        Assert.Matches("^Apply failed with 1 conflict: conflict with \"editor\" using apps/v1 at [0-9TZ:-]+: .spec.replicas$", body["message"]!.GetValue<string>());
        Assert.Equal(".spec.replicas", body["details"]!["causes"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_update_and_the_status_subresource_keep_to_their_own_parts_of_the_object()
    {
        // https://kubernetes.io/docs/reference/using-api/api-concepts/#subresources (the main resource ignores status;
        // the status subresource changes only status) and #api-verbs (POST to the collection, generateName;
        // https://kubernetes.io/docs/reference/using-api/api-concepts/#generated-values).
        await using var fake = await WithWebAsync();
        var (status, body) = await SendAsync(fake.BaseUri, HttpMethod.Patch, Path + "/status?fieldManager=controller", """{"status":{"replicas":7},"spec":{"replicas":9}}""", "application/merge-patch+json");
        Assert.True(status == 200, body.ToJsonString());
        Assert.Equal(2, long.Parse(fake.Find("Deployment", "default", "web")!["spec"]!["replicas"]!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture));
        var controller = body["metadata"]!["managedFields"]!.AsArray().Single(m => m!["manager"]!.GetValue<string>() == "controller")!;
        Assert.Equal("status", controller["subresource"]!.GetValue<string>());

        var current = fake.Find("Deployment", "default", "web")!;
        current["status"] = new JsonObject { ["replicas"] = 99 };
        current["spec"]!["replicas"] = 3;
        (status, body) = await SendAsync(fake.BaseUri, HttpMethod.Put, Path + "?fieldManager=replacer", current.ToJsonString(), "application/json");
        Assert.True(status == 200, body.ToJsonString());
        Assert.Equal("3", body["spec"]!["replicas"]!.ToJsonString());

        var cm = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"generateName":"settings-","namespace":"default"},"data":{"a":"1"}}""";
        (status, body) = await SendAsync(fake.BaseUri, HttpMethod.Post, "/api/v1/namespaces/default/configmaps", cm, "application/json");
        Assert.Equal(201, status);
        Assert.Matches("^settings-[a-z0-9]{5}$", body["metadata"]!["name"]!.GetValue<string>());
        (status, body) = await SendAsync(fake.BaseUri, HttpMethod.Post, "/api/v1/namespaces/nowhere/configmaps", cm, "application/json");
        Assert.Equal(400, status);
        Assert.Equal("the namespace of the provided object does not match the namespace sent on the request", body["message"]!.GetValue<string>());
        (status, body) = await SendAsync(fake.BaseUri, HttpMethod.Post, "/api/v1/namespaces/nowhere/configmaps", cm.Replace(",\"namespace\":\"default\"", "", StringComparison.Ordinal), "application/json");
        Assert.Equal(404, status);
        Assert.Equal("namespaces \"nowhere\" not found", body["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_get_asking_for_a_table_answers_a_meta_v1_Table_with_the_printer_columns()
    {
        // https://kubernetes.io/docs/reference/using-api/api-concepts/#receiving-resources-as-tables
        // (Accept: application/json;as=Table;v=v1;g=meta.k8s.io; includeObject=None|Metadata|Object).
        await using var fake = await WithWebAsync();
        const string Table = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
        var (status, body) = await SendAsync(fake.BaseUri, HttpMethod.Get, "/apis/apps/v1/namespaces/default/deployments", null, "", Table);
        Assert.Equal(200, status);
        Assert.Equal("Table", body["kind"]!.GetValue<string>());
        Assert.Equal("meta.k8s.io/v1", body["apiVersion"]!.GetValue<string>());
        Assert.Equal(new[] { "Name:0", "Ready:0", "Up-to-date:0", "Available:0", "Age:0", "Containers:1", "Images:1", "Selector:1" },
            body["columnDefinitions"]!.AsArray().Select(c => $"{c!["name"]}:{c["priority"]}").ToArray());
        var row = body["rows"]![0]!;
        Assert.Equal("""["web","2/2",2,2]""", new JsonArray(row["cells"]!.AsArray().Take(4).Select(c => c!.DeepClone()).ToArray()).ToJsonString());
        Assert.Equal("app,proxy", row["cells"]![5]!.GetValue<string>());
        Assert.Equal("PartialObjectMetadata", row["object"]!["kind"]!.GetValue<string>());

        (_, body) = await SendAsync(fake.BaseUri, HttpMethod.Get, Path + "?includeObject=Object", null, "", Table);
        Assert.Equal("Deployment", body["rows"]![0]!["object"]!["kind"]!.GetValue<string>());
        (_, body) = await SendAsync(fake.BaseUri, HttpMethod.Get, Path + "?includeObject=None", null, "", Table);
        Assert.Null(body["rows"]![0]!["object"]);

        // Without the table media type: the object itself.
        (_, body) = await SendAsync(fake.BaseUri, HttpMethod.Get, Path, null, "", "application/json");
        Assert.Equal("Deployment", body["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenAPI_documents_carry_schemas_with_the_Kubernetes_extensions()
    {
        // https://kubernetes.io/docs/concepts/overview/kubernetes-api/#openapi-interface-definition (v2 at /openapi/v2,
        // v3 per group-version at /openapi/v3/apis/<group>/<version>) and
        // https://kubernetes.io/docs/reference/using-api/server-side-apply/#merge-strategy (x-kubernetes-list-type, -list-map-keys).
        await using var fake = await StructuredMergeTests.StartAsync();
        var (status, v2) = await SendAsync(fake.BaseUri, HttpMethod.Get, "/openapi/v2", null, "", "application/json");
        Assert.Equal(200, status);
        Assert.Equal("2.0", v2["swagger"]!.GetValue<string>());
        var deployment = v2["definitions"]!["io.k8s.models.v1.Deployment"]!;
        Assert.Equal("""[{"group":"apps","kind":"Deployment","version":"v1"}]""", deployment["x-kubernetes-group-version-kind"]!.ToJsonString());
        Assert.Equal("#/definitions/io.k8s.models.v1.DeploymentSpec", deployment["properties"]!["spec"]!["$ref"]!.GetValue<string>());
        var containers = v2["definitions"]!["io.k8s.models.v1.PodSpec"]!["properties"]!["containers"]!;
        Assert.Equal("map", containers["x-kubernetes-list-type"]!.GetValue<string>());
        Assert.Equal("""["name"]""", containers["x-kubernetes-list-map-keys"]!.ToJsonString());
        Assert.Equal("merge", containers["x-kubernetes-patch-strategy"]!.GetValue<string>());
        Assert.Equal("name", containers["x-kubernetes-patch-merge-key"]!.GetValue<string>());
        Assert.Contains("name", v2["definitions"]!["io.k8s.models.v1.Container"]!["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.StartsWith("Number of desired pods.", v2["definitions"]!["io.k8s.models.v1.DeploymentSpec"]!["properties"]!["replicas"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);

        (status, _) = await SendAsync(fake.BaseUri, HttpMethod.Get, "/openapi/v2", null, "", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf");
        Assert.Equal(404, status); // protobuf is not served

        var (_, v3) = await SendAsync(fake.BaseUri, HttpMethod.Get, "/openapi/v3/apis/apps/v1", null, "", "application/json");
        var spec = v3["components"]!["schemas"]!["io.k8s.models.v1.Deployment"]!["properties"]!["spec"]!;
        Assert.Equal("#/components/schemas/io.k8s.models.v1.DeploymentSpec", spec["allOf"]![0]!["$ref"]!.GetValue<string>());
        Assert.NotNull(v3["paths"]!["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]!["patch"]);
    }

    [Fact]
    public async Task A_watch_streams_the_current_state_then_each_change_and_ends_at_timeoutSeconds()
    {
        // https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes and #semantics-for-watch
        // (without a resourceVersion: synthetic ADDED events for the current state, then changes; from a resourceVersion: only later changes).
        await using var fake = await WithWebAsync();
        var version = fake.Find("Deployment", "default", "web")!["metadata"]!["resourceVersion"]!.GetValue<string>();
        using var client = new HttpClient { BaseAddress = fake.BaseUri };
        // Response headers arrive once the watch has read the current state: the change below comes after it.
        using var watch = await client.GetAsync("apis/apps/v1/namespaces/default/deployments?watch=1&timeoutSeconds=3", HttpCompletionOption.ResponseHeadersRead);
        using var fromVersion = await client.GetAsync($"apis/apps/v1/namespaces/default/deployments?watch=1&timeoutSeconds=3&resourceVersion={version}", HttpCompletionOption.ResponseHeadersRead);
        using var events = new System.IO.StreamReader(await watch.Content.ReadAsStreamAsync());
        var added = JsonNode.Parse((await events.ReadLineAsync())!)!;
        Assert.Equal("ADDED", added["type"]!.GetValue<string>());
        Assert.Equal("Deployment", added["object"]!["kind"]!.GetValue<string>());

        Assert.Equal(200, (await PatchAsync(fake.BaseUri, "application/merge-patch+json", "editor", """{"metadata":{"labels":{"tier":"web"}}}""")).Status);
        var modified = JsonNode.Parse((await events.ReadLineAsync())!)!;
        Assert.Equal("MODIFIED", modified["type"]!.GetValue<string>());
        Assert.Equal("web", modified["object"]!["metadata"]!["labels"]!["tier"]!.GetValue<string>());
        Assert.Null(await events.ReadLineAsync()); // the server ends the watch at timeoutSeconds

        var later = (await fromVersion.Content.ReadAsStringAsync()).Trim().Split('\n').Select(l => JsonNode.Parse(l)!["type"]!.GetValue<string>()).ToArray();
        Assert.Equal(new[] { "MODIFIED" }, later);
    }

    [Fact]
    public async Task Metadata_only_answers_carry_each_objects_metadata_and_none_of_its_data()
    {
        // As client-go's metadata client asks (k8s.io/client-go/metadata): Accept ...;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1.
        await using var fake = await StructuredMergeTests.StartAsync();
        foreach (var name in new[] { "b", "a" })
        {
            var cm = new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "ConfigMap",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default", ["labels"] = new JsonObject { ["team"] = "net" }, ["annotations"] = new JsonObject { ["note"] = name } },
                ["data"] = new JsonObject { ["big"] = new string('x', 10_000) },
            };
            var (status, _) = await Http.ApplyAsync(fake.BaseUri, $"/api/v1/namespaces/default/configmaps/{name}", "test", cm);
            Assert.Equal(201, status);
        }

        var (listed, list) = await SendAsync(fake.BaseUri, HttpMethod.Get, "/api/v1/namespaces/default/configmaps?labelSelector=team%3Dnet", null, "application/json",
            "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json");
        Assert.Equal(200, listed);
        Assert.Equal("PartialObjectMetadataList", list["kind"]!.GetValue<string>());
        Assert.Equal("meta.k8s.io/v1", list["apiVersion"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(list["metadata"]!["resourceVersion"]!.GetValue<string>()));
        var items = list["items"]!.AsArray().Select(i => i!.AsObject()).ToArray();
        Assert.Equal(new[] { "a", "b" }, items.Select(i => i["metadata"]!["name"]!.GetValue<string>()));
        Assert.All(items, i =>
        {
            Assert.Equal("PartialObjectMetadata", i["kind"]!.GetValue<string>());
            Assert.Equal(i["metadata"]!["name"]!.GetValue<string>(), i["metadata"]!["annotations"]!["note"]!.GetValue<string>());
            Assert.NotNull(i["metadata"]!["managedFields"]);
            Assert.Null(i["data"]);
        });

        var (one, single) = await SendAsync(fake.BaseUri, HttpMethod.Get, "/api/v1/namespaces/default/configmaps/a", null, "application/json",
            "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1");
        Assert.Equal(200, one);
        Assert.Equal("PartialObjectMetadata", single["kind"]!.GetValue<string>());
        Assert.Null(single["data"]);
        // Without the parameter, the whole object.
        var (_, whole) = await SendAsync(fake.BaseUri, HttpMethod.Get, "/api/v1/namespaces/default/configmaps/a", null, "application/json", "application/json");
        Assert.Equal(10_000, whole["data"]!["big"]!.GetValue<string>().Length);
    }
}

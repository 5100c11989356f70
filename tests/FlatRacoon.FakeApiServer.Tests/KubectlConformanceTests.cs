using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace FlatRacoon.FakeApiServer.Tests;

/// <summary>
/// Real kubectl (a client nobody here wrote) against the fake. Each expectation is what the
/// Kubernetes documentation says a real API server answers; the page is cited at each test.
/// </summary>
public sealed class KubectlConformanceTests
{
    private const string Web = Kubectl.WebDeployment;

    private const string Sidecar = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: default
        spec:
          template:
            spec:
              containers:
              - name: proxy
                image: envoy:1.31
              - name: app
                env:
                - name: PROXY
                  value: "on"

        """;

    private static async Task<Kubectl> WithWebAsync()
    {
        var k = await Kubectl.StartAsync();
        var (exit, output, error) = await k.RunAsync("apply", "--server-side", "-f", k.File("web.yaml", Web));
        Assert.True(exit == 0, error);
        Assert.Equal("deployment.apps/web serverside-applied", output.Trim());
        return k;
    }

    [Fact]
    public async Task Version_reports_the_server_version()
    {
        // https://kubernetes.io/docs/reference/kubectl/generated/kubectl_version/ (GET /version).
        await using var k = await Kubectl.StartAsync();
        var (exit, output, error) = await k.RunAsync("version");
        Assert.True(exit == 0, error);
        Assert.Contains("Server Version: v1.32.0+flatracoon-fake", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_resources_lists_kinds_with_short_names_and_short_names_resolve()
    {
        // https://kubernetes.io/docs/reference/kubectl/generated/kubectl_api-resources/ and
        // https://kubernetes.io/docs/reference/kubectl/#resource-types (deploy, svc, ns ... short names; category "all").
        await using var k = await Kubectl.StartAsync();
        var (exit, output, error) = await k.RunAsync("api-resources", "-o", "wide");
        Assert.True(exit == 0, error);
        var deployments = output.Split('\n').Single(l => l.StartsWith("deployments ", StringComparison.Ordinal));
        Assert.Equal(new[] { "deployments", "deploy", "apps/v1", "true", "Deployment" }, deployments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(5).ToArray());
        Assert.Contains("all", deployments, StringComparison.Ordinal);
        Assert.Contains(output.Split('\n'), l => l.StartsWith("services ", StringComparison.Ordinal) && l.Contains(" svc ", StringComparison.Ordinal));

        (exit, output, error) = await k.RunAsync("get", "ns", "-o", "name");
        Assert.True(exit == 0, error);
        Assert.Contains("namespace/default", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_server_side_with_validation_on_stores_the_object_and_get_shows_managedFields_per_list_item()
    {
        // https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management (managedFields, FieldsV1, k:{...} per list item).
        await using var k = await WithWebAsync();
        var (exit, output, error) = await k.RunAsync("get", "deploy", "web", "-o", "yaml", "--show-managed-fields");
        Assert.True(exit == 0, error);
        Assert.Contains("manager: kubectl", output, StringComparison.Ordinal);
        Assert.Contains("operation: Apply", output, StringComparison.Ordinal);
        Assert.Contains("k:{\"name\":\"app\"}:", output, StringComparison.Ordinal);
        Assert.Contains("k:{\"containerPort\":8080,\"protocol\":\"TCP\"}:", output, StringComparison.Ordinal);
        Assert.Contains("protocol: TCP", output, StringComparison.Ordinal); // defaulted by the server
    }

    [Fact]
    public async Task Validation_on_refuses_unknown_fields_and_invalid_values_and_warn_drops_the_unknown_field()
    {
        // https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation (Strict: error; Warn: dropped with a warning)
        // and https://kubernetes.io/docs/reference/using-api/api-concepts/#validation (422 Invalid, field path).
        await using var k = await Kubectl.StartAsync();
        var unknown = k.File("unknown.yaml", Web.Replace("        image: nginx:1.27", "        image: nginx:1.27\n        imagePullPolice: Always", StringComparison.Ordinal));
        var (exit, _, error) = await k.RunAsync("apply", "--server-side", "-f", unknown);
        Assert.NotEqual(0, exit);
        Assert.Contains(".spec.template.spec.containers[name=\"app\"].imagePullPolice: field not declared in schema", error, StringComparison.Ordinal);
        Assert.Null(k.Fake.Find("Deployment", "default", "web"));

        (exit, _, error) = await k.RunAsync("apply", "--server-side", "--validate=warn", "-f", unknown);
        Assert.True(exit == 0, error);
        Assert.Contains("Warning: unknown field \"spec.template.spec.containers[0].imagePullPolice\"", error, StringComparison.Ordinal);
        Assert.Null(k.Fake.Find("Deployment", "default", "web")!["spec"]!["template"]!["spec"]!["containers"]![0]!["imagePullPolice"]);

        var invalid = k.File("invalid.yaml", Web.Replace("containerPort: 8080", "containerPort: 99999", StringComparison.Ordinal).Replace("name: web\n", "name: Web_2\n", StringComparison.Ordinal));
        (exit, _, error) = await k.RunAsync("apply", "--server-side", "-f", invalid);
        Assert.NotEqual(0, exit);
        Assert.Contains("The Deployment \"Web_2\" is invalid: ", error, StringComparison.Ordinal);
        Assert.Contains("metadata.name: Invalid value: \"Web_2\": a lowercase RFC 1123 subdomain", error, StringComparison.Ordinal);
        Assert.Contains("spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 99999: must be between 1 and 65535, inclusive", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_manager_adds_a_sidecar_and_an_env_var_beside_ours_and_both_are_kept()
    {
        // https://kubernetes.io/docs/reference/using-api/server-side-apply/#merge-strategy
        // (lists with x-kubernetes-list-type: map merge by their keys; containers are keyed by name, env by name).
        await using var k = await WithWebAsync();
        var (exit, output, error) = await k.RunAsync("apply", "--server-side", "--field-manager=injector", "-f", k.File("sidecar.yaml", Sidecar));
        Assert.True(exit == 0, error);
        Assert.Equal("deployment.apps/web serverside-applied", output.Trim());

        (exit, output, error) = await k.RunAsync("get", "deploy", "web", "-o", "jsonpath={range .spec.template.spec.containers[*]}{.name}={.image} env={.env[*].name};{end}");
        Assert.True(exit == 0, error);
        Assert.Equal("app=nginx:1.27 env=PROXY;proxy=envoy:1.31 env=;", output);

        // Our apply again: no conflict, theirs kept.
        (exit, _, error) = await k.RunAsync("apply", "--server-side", "-f", k.File("web.yaml", Web));
        Assert.True(exit == 0, error);
        (_, output, _) = await k.RunAsync("get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[*].name}");
        Assert.Equal("app proxy", output);
    }

    [Fact]
    public async Task A_conflicting_change_is_refused_naming_the_field_and_force_conflicts_takes_only_that_field()
    {
        // https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts and #overriding-conflicts
        // (409 naming each conflicting field and its manager; with force the applier becomes the sole manager of those fields only).
        await using var k = await WithWebAsync();
        await k.RunAsync("apply", "--server-side", "--field-manager=injector", "-f", k.File("sidecar.yaml", Sidecar));
        var changed = k.File("web2.yaml", Web.Replace("nginx:1.27", "nginx:1.28", StringComparison.Ordinal));

        var (exit, _, error) = await k.RunAsync("apply", "--server-side", "--field-manager=other", "-f", changed);
        Assert.NotEqual(0, exit);
        // The conflict names an applier by its name only (apimachinery's field manager conflict message).
        Assert.Contains("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.template.spec.containers[name=\"app\"].image", error, StringComparison.Ordinal);

        (exit, _, error) = await k.RunAsync("apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", changed);
        Assert.True(exit == 0, error);
        var live = k.Fake.Find("Deployment", "default", "web")!;
        Assert.Equal("nginx:1.28", live["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Equal("proxy", live["spec"]!["template"]!["spec"]!["containers"]![1]!["name"]!.GetValue<string>()); // the sidecar stays
        var managers = live["metadata"]!["managedFields"]!.AsArray();
        var kubectl = managers.Single(m => m!["manager"]!.GetValue<string>() == "kubectl")!["fieldsV1"]!;
        var app = kubectl["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!["k:{\"name\":\"app\"}"]!.AsObject();
        Assert.False(app.ContainsKey("f:image"));
        Assert.True(app.ContainsKey("f:ports"));
        Assert.True(kubectl["f:spec"]!.AsObject().ContainsKey("f:replicas"));
        Assert.Contains(managers, m => m!["manager"]!.GetValue<string>() == "injector");
    }

    [Fact]
    public async Task Diff_server_side_shows_only_the_change_and_exits_0_without_one()
    {
        // https://kubernetes.io/docs/reference/kubectl/generated/kubectl_diff/ (exit 0: no differences, 1: differences; server-side dry run).
        await using var k = await WithWebAsync();
        await k.RunAsync("apply", "--server-side", "--field-manager=injector", "-f", k.File("sidecar.yaml", Sidecar));
        var (exit, output, error) = await k.RunAsync("diff", "--server-side", "-f", k.File("web.yaml", Web));
        Assert.True(exit == 0, output + error);

        (exit, output, _) = await k.RunAsync("diff", "--server-side", "-f", k.File("web2.yaml", Web.Replace("nginx:1.27", "nginx:1.28", StringComparison.Ordinal)));
        Assert.Equal(1, exit);
        Assert.Contains("-        image: nginx:1.27", output, StringComparison.Ordinal);
        Assert.Contains("+        image: nginx:1.28", output, StringComparison.Ordinal);
        Assert.DoesNotContain("envoy", output.Split('\n').Where(l => l.StartsWith('+') || l.StartsWith('-')), StringComparer.Ordinal);
        Assert.Equal("nginx:1.27", k.Fake.Find("Deployment", "default", "web")!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_removes_the_object_and_a_namespace_stays_Terminating_until_its_content_is_gone()
    {
        // https://kubernetes.io/docs/reference/kubectl/generated/kubectl_delete/ ; 404 Status: https://kubernetes.io/docs/reference/using-api/api-concepts/#resources ;
        // namespace deletion: https://kubernetes.io/docs/tasks/administer-cluster/namespaces/#deleting-a-namespace (Terminating while its content is removed).
        await using var k = await WithWebAsync();
        var (exit, output, error) = await k.RunAsync("delete", "deploy", "web");
        Assert.True(exit == 0, error);
        Assert.Equal("deployment.apps \"web\" deleted", output.Trim());
        (exit, _, error) = await k.RunAsync("get", "deploy", "web");
        Assert.NotEqual(0, exit);
        Assert.Contains("Error from server (NotFound): deployments.apps \"web\" not found", error, StringComparison.Ordinal);

        var ns = k.File("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: team\ndata:\n  a: b\n");
        (exit, _, error) = await k.RunAsync("apply", "--server-side", "-f", ns);
        Assert.True(exit == 0, error);
        k.Fake.Options.ReadyDelay = TimeSpan.FromHours(1); // the namespace controller has not run yet
        (exit, _, error) = await k.RunAsync("delete", "namespace", "team", "--wait=false");
        Assert.True(exit == 0, error);
        (_, output, _) = await k.RunAsync("get", "namespace", "team", "-o", "jsonpath={.status.phase}");
        Assert.Equal("Terminating", output);
        (exit, _, error) = await k.RunAsync("apply", "--server-side", "-f", k.File("new.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\n  namespace: team\n"));
        Assert.NotEqual(0, exit);
        Assert.Contains("because it is being terminated", error, StringComparison.Ordinal);

        k.Fake.Options.ReadyDelay = TimeSpan.Zero; // the controller runs: the content goes, then the namespace
        (exit, _, error) = await k.RunAsync("get", "namespace", "team");
        Assert.NotEqual(0, exit);
        Assert.Contains("namespaces \"team\" not found", error, StringComparison.Ordinal);
        Assert.Null(k.Fake.Find("ConfigMap", "team", "c"));
    }

    [Fact]
    public async Task Field_selectors_filter_lists_and_unsupported_fields_are_refused()
    {
        // https://kubernetes.io/docs/concepts/overview/working-with-objects/field-selectors/
        await using var k = await WithWebAsync();
        var (exit, output, error) = await k.RunAsync("get", "ns", "--field-selector", "metadata.name=default", "-o", "name");
        Assert.True(exit == 0, error);
        Assert.Equal("namespace/default", output.Trim());
        (exit, _, error) = await k.RunAsync("get", "deploy", "--field-selector", "spec.replicas=2");
        Assert.NotEqual(0, exit);
        Assert.Contains("field label not supported: spec.replicas", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_runnable_prints_a_kubeconfig_path_serves_kubectl_and_stops_on_SIGTERM()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "FlatRacoon.FakeApiServer.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "--port", "0", "--kubeconfig", Path.Combine(Path.GetTempPath(), $"fake-{Guid.NewGuid():N}.kubeconfig") })
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        try
        {
            var kubeconfig = (await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1)))!;
            Assert.True(File.Exists(kubeconfig), kubeconfig);
            var get = new ProcessStartInfo("kubectl", new[] { "--kubeconfig=" + kubeconfig, "get", "namespace", "default", "-o", "name" }) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var kubectl = Process.Start(get)!;
            var output = await kubectl.StandardOutput.ReadToEndAsync();
            await kubectl.WaitForExitAsync();
            Assert.Equal("namespace/default", output.Trim());
            File.Delete(kubeconfig);
        }
        finally
        {
            Process.Start("kill", new[] { "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) })!.WaitForExit();
        }
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(0, process.ExitCode);
    }

    [Theory]
    [InlineData("--port", "http", "--port takes a number from 0 to 65535, not 'http'")]
    [InlineData("--latency-ms", "soon", "--latency-ms takes a whole number of milliseconds, not 'soon'")]
    [InlineData("--ready-delay-ms", "-5", "--ready-delay-ms takes a whole number of milliseconds, not '-5'")]
    public async Task The_runnable_refuses_bad_arguments_with_one_line_and_a_non_zero_exit(string option, string value, string problem)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "FlatRacoon.FakeApiServer.dll");
        var start = new ProcessStartInfo("dotnet", new[] { dll, option, value }) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(2, process.ExitCode);
        Assert.Equal($"error: {problem} (usage: FlatRacoon.FakeApiServer [--port N] [--kubeconfig PATH] [--no-crds] [--latency-ms N] [--ready-delay-ms N])", error.Trim());
    }
}

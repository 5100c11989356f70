using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using FlatRacoon.Deployment;
using FlatRacoon.Testing.Fake;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace FlatRacoon.Dashboard.Tests;

/// <summary>
/// The in-cluster servers of poly-observability-mcp and poly-secret-mcp, run as processes
/// against the fake API server with ONLY the RBAC their modules render: the fake does not
/// authorize, so every request the rendered rules do not allow (evaluated with Kubernetes' RBAC
/// semantics, <see cref="RenderedRbac"/>) is answered 403 Forbidden by a fault rule, as the real
/// API server would. The tests then check both ways: what the program needs is granted (the
/// answers are complete), and nothing more is granted (every grant was used by a request).
/// </summary>
public sealed class ModuleServerAccessTests
{
    private readonly ITestOutputHelper _output;

    public ModuleServerAccessTests(ITestOutputHelper output) => _output = output;

    private static int FreePort() => FlatRacoon.Tests.Shared.Daemons.FreePort();

    private static string TextOf(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));

    private static List<RecordedRequest> Enforce(Cluster cluster, RenderedRbac rbac) => rbac.EnforceOn(cluster.Fake);

    private void Show(string title, IEnumerable<object> items)
    {
        _output.WriteLine(title);
        foreach (var item in items)
        {
            _output.WriteLine("  " + item);
        }
    }

    /// <summary>Every grant some request of the program used; fails naming the unused ones.</summary>
    private void AssertEveryGrantUsed(RenderedRbac rbac, IEnumerable<RecordedRequest> requests)
    {
        var unused = rbac.Unused(requests);
        Show("grants:", rbac.Grants);
        Assert.True(unused.Count == 0, "granted but never used: " + string.Join("; ", unused));
    }

    [Fact(Timeout = 240_000)]
    public async Task Poly_observability_mcp_reads_the_whole_status_with_only_its_rendered_rbac_and_is_granted_nothing_it_does_not_read()
    {
        await using var cluster = await Cluster.StartWithSampleAsync();
        var set = Cluster.Sample();
        var module = set.Objects.First(o => o.Module == "poly-observability-mcp" && o.Kind == "ServiceAccount");
        var rbac = new RenderedRbac(set.Objects.Select(o => o.Body), KubeObject.Namespace(module.Body)!, KubeObject.Name(module.Body));

        // What the rules say, whatever the program does: reads only, never a Secret, no wildcard.
        Assert.NotEmpty(rbac.Grants);
        Assert.All(rbac.Grants, g => Assert.Contains(g.Verb, new[] { "get", "list" }));
        Assert.All(rbac.Grants, g => Assert.NotEqual("secrets", g.Resource));
        Assert.All(rbac.Grants, g => Assert.DoesNotContain("*", new[] { g.Verb, g.Group, g.Resource, g.Name ?? "" }));
        Assert.All(rbac.Grants.Where(g => g.Verb == "get"), g => Assert.NotNull(g.Name));

        var denied = Enforce(cluster, rbac);
        var port = FreePort();
        await using var server = RunningProgram.Start(RunningProgram.SampleProgram, new[] { "mcp", "--http", port.ToString(), "--tools", "observability", "--kubeconfig", cluster.Kubeconfig });
        server.WaitForLine(l => l.Contains("/mcp", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        var status = SnapshotJson.Read(await http.GetStringAsync($"http://127.0.0.1:{port}/status"));
        Assert.Equal(11, status.Modules.Count);
        Assert.All(status.Modules, m => Assert.Equal("ready", m.State));
        // Every module with a health endpoint answered through the service proxy (not 403).
        var withHealth = status.Modules.Where(m => m.Health is not null).ToList();
        Assert.NotEmpty(withHealth);
        Assert.All(withHealth, m => Assert.Equal(200, m.Health!.StatusCode));
        // Revisions are Secrets: not granted, so the status says so instead of showing one.
        Assert.Null(status.Revision);
        Assert.Contains("cannot read the stack's revisions", status.Problem);

        await using (var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri($"http://127.0.0.1:{port}/mcp") })))
        {
            var tools = await client.ListToolsAsync();
            Assert.Equal(new[] { "explain", "get_object", "graph", "module_status", "validate" }, tools.Select(t => t.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray());
            Assert.All(tools, t => Assert.True(t.ProtocolTool.Annotations?.ReadOnlyHint));
            var moduleStatus = await client.CallToolAsync("module_status", new Dictionary<string, object?>());
            Assert.NotEqual(true, moduleStatus.IsError);
            var fromTool = SnapshotJson.Read(TextOf(moduleStatus));
            Assert.All(fromTool.Modules, m => Assert.Equal("ready", m.State));
            Assert.DoesNotContain(Cluster.SecretValue, TextOf(moduleStatus));
        }

        var requests = cluster.Fake.Requests.ToList();
        Show("denied:", denied.Select(RequestAttributes.Parse));
        // The one request refused is the revision list, which the reader is built to do without.
        Assert.NotEmpty(denied);
        Assert.All(denied.Select(RequestAttributes.Parse), a => Assert.Equal(("list", "secrets", "flatracoon-system"), (a.Verb, a.Resource, a.Namespace)));
        Assert.Equal(0, requests.Count(r => r.IsWrite));
        AssertEveryGrantUsed(rbac, requests);
    }

    [Fact(Timeout = 240_000)]
    public async Task Poly_secret_mcp_lists_references_and_their_status_with_only_its_rendered_rbac_and_never_returns_a_value()
    {
        await using var cluster = await Cluster.StartWithSampleAsync();
        var set = Cluster.Sample();
        var account = set.Objects.First(o => o.Module == "poly-secret-mcp" && o.Kind == "ServiceAccount");
        var rbac = new RenderedRbac(set.Objects.Select(o => o.Body), KubeObject.Namespace(account.Body)!, KubeObject.Name(account.Body));
        Assert.All(rbac.Grants, g => Assert.Equal("get", g.Verb));
        Assert.All(rbac.Grants, g => Assert.NotNull(g.Name));

        // What the sample materialises: apply-time Secrets (with their references) and ExternalSecrets' targets.
        var applyTime = set.Objects.Where(o => o.Kind == "Secret" && KubeObject.Annotation(o.Body, DeploymentSet.SecretReferencesAnnotation) is not null).ToList();
        var external = set.Objects.Where(o => o.Kind == "ExternalSecret").ToList();
        Assert.NotEmpty(applyTime);

        var denied = Enforce(cluster, rbac);
        await using var client = await McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "poly-secret-mcp",
            Command = "dotnet",
            Arguments = new[] { RunningProgram.SampleProgram, "mcp", "--tools", "secrets", "--kubeconfig", cluster.Kubeconfig },
        }));
        var tools = await client.ListToolsAsync();
        Assert.Equal(new[] { "secret_references", "secret_status" }, tools.Select(t => t.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray());

        var references = await client.CallToolAsync("secret_references", new Dictionary<string, object?>());
        var referencesText = TextOf(references);
        _output.WriteLine(referencesText);
        Assert.NotEqual(true, references.IsError);
        var listed = JsonNode.Parse(referencesText)!["secrets"]!.AsArray().OfType<JsonObject>().ToList();
        Assert.Equal(applyTime.Count + external.Count, listed.Count);
        foreach (var secret in applyTime)
        {
            var entry = listed.Single(s => s["name"]!.GetValue<string>() == KubeObject.Name(secret.Body) && s["namespace"]!.GetValue<string>() == KubeObject.Namespace(secret.Body));
            Assert.Equal("apply-time", entry["materialization"]!.GetValue<string>());
            var declared = JsonNode.Parse(KubeObject.Annotation(secret.Body, DeploymentSet.SecretReferencesAnnotation)!)!.AsObject();
            Assert.Equal(declared.Select(p => (p.Key, p.Value!.GetValue<string>())).OrderBy(p => p.Key, StringComparer.Ordinal),
                entry["keys"]!.AsArray().Select(k => (k!["key"]!.GetValue<string>(), k["reference"]!.GetValue<string>())));
            Assert.All(entry["keys"]!.AsArray(), k => Assert.False(string.IsNullOrEmpty(k!["setting"]?.GetValue<string>())));
        }

        var status = await client.CallToolAsync("secret_status", new Dictionary<string, object?>());
        var statusText = TextOf(status);
        _output.WriteLine(statusText);
        Assert.NotEqual(true, status.IsError);
        var states = JsonNode.Parse(statusText)!["secrets"]!.AsArray().OfType<JsonObject>().ToList();
        foreach (var secret in applyTime)
        {
            var state = states.Single(s => s["name"]!.GetValue<string>() == KubeObject.Name(secret.Body) && s["namespace"]!.GetValue<string>() == KubeObject.Namespace(secret.Body));
            Assert.True(state["present"]!.GetValue<bool>());
            Assert.Empty(state["keys_missing"]!.AsArray());
            Assert.NotEmpty(state["keys_present"]!.AsArray());
            Assert.Contains(state["writes"]!.AsArray(), w => w!["manager"]!.GetValue<string>() == "flatracoon");
            Assert.False(string.IsNullOrEmpty(state["last_written"]?.GetValue<string>()));
        }
        Assert.All(states.Where(s => s["materialization"]!.GetValue<string>() == "external-secret"), s => Assert.NotNull(s["external_secret"]));

        // No value, in any form, in any answer; and no field that could carry one.
        foreach (var text in new[] { referencesText, statusText })
        {
            Assert.DoesNotContain(Cluster.SecretValue, text);
            Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Cluster.SecretValue)), text);
            Assert.DoesNotContain("\"data\"", text);
            Assert.DoesNotContain("\"stringData\"", text);
        }

        var requests = cluster.Fake.Requests.ToList();
        Show("denied:", denied.Select(RequestAttributes.Parse));
        Assert.Empty(denied);
        Assert.Equal(0, requests.Count(r => r.IsWrite));
        AssertEveryGrantUsed(rbac, requests);
    }

    /// <summary>
    /// In every environment of the sample, the rendered rules cover what the servers read there,
    /// derived from the set (each workload by name; each materialised Secret by name) and stay
    /// read-only, Secret-free for observability, and bound to the module's own service account.
    /// </summary>
    [Theory]
    [InlineData("development")]
    [InlineData("staging")]
    [InlineData("production")]
    public void In_every_environment_the_servers_rules_cover_each_workload_and_materialised_secret_by_name_and_only_read(string environment)
    {
        var set = DeploymentSet.From(FlatRacoon.Rendering.StackRenderer.Render(FlatRacoon.Samples.NetStack.Create(FlatRacoon.Samples.NetStack.Environment(environment)).Build()));
        RenderedRbac For(string module)
        {
            var account = set.Objects.First(o => o.Module == module && o.Kind == "ServiceAccount");
            return new RenderedRbac(set.Objects.Select(o => o.Body), KubeObject.Namespace(account.Body)!, KubeObject.Name(account.Body));
        }
        var observability = For("poly-observability-mcp");
        Assert.All(observability.Grants, g => Assert.Contains(g.Verb, new[] { "get", "list" }));
        Assert.DoesNotContain(observability.Grants, g => g.Resource == "secrets");
        foreach (var workload in set.Objects.Where(o => o.Kind is "Deployment" or "StatefulSet" or "DaemonSet" or "Job"))
        {
            var read = new RecordedRequest("GET", $"/apis/{KubeObject.ApiVersion(workload.Body)}/namespaces/{KubeObject.Namespace(workload.Body)}/{workload.Kind.ToLowerInvariant()}s/{KubeObject.Name(workload.Body)}", "");
            Assert.True(observability.Allows(read), $"{environment}: poly-observability-mcp may not read {workload.Display}");
        }
        foreach (var ns in set.Objects.Where(o => o.Kind == "Deployment").Select(o => KubeObject.Namespace(o.Body)).Distinct())
        {
            Assert.True(observability.Allows(new RecordedRequest("GET", $"/api/v1/namespaces/{ns}/events", "?fieldSelector=type%3DWarning")), $"{environment}: no event list in {ns}");
        }

        var secrets = For("poly-secret-mcp");
        Assert.All(secrets.Grants, g => Assert.Equal("get", g.Verb));
        Assert.All(secrets.Grants, g => Assert.Contains(g.Resource, new[] { "secrets", "externalsecrets" }));
        var materialised = set.Objects.Where(o => o.Kind == "Secret" && KubeObject.Annotation(o.Body, DeploymentSet.SecretReferencesAnnotation) is not null)
            .Select(o => (Namespace: KubeObject.Namespace(o.Body)!, Name: KubeObject.Name(o.Body)))
            .Concat(set.Objects.Where(o => o.Kind == "ExternalSecret").Select(o => (Namespace: KubeObject.Namespace(o.Body)!, Name: o.Body["spec"]!["target"]!["name"]!.GetValue<string>())))
            .ToList();
        Assert.NotEmpty(materialised);
        foreach (var (ns, name) in materialised)
        {
            Assert.True(secrets.Allows(new RecordedRequest("GET", $"/api/v1/namespaces/{ns}/secrets/{name}", "")), $"{environment}: poly-secret-mcp may not read Secret {ns}/{name}");
        }
        // Exactly those Secrets: as many Secret grants as materialised Secrets.
        Assert.Equal(materialised.Distinct().Count(), secrets.Grants.Count(g => g.Resource == "secrets"));
    }

    [Theory]
    [InlineData("--tools", "everything")]
    public async Task An_unknown_tool_set_is_one_clear_line_and_exit_code_2(string option, string value)
    {
        var stdout = new System.IO.StringWriter();
        var stderr = new System.IO.StringWriter();
        var code = await FlatRacoon.Samples.NetStack.Create().RunAsync(new[] { "mcp", option, value }, stdout, stderr);
        Assert.Equal(StackProgram.Usage, code);
        var error = stderr.ToString().Trim();
        Assert.StartsWith("error: --tools takes stack, observability, secrets", error);
        Assert.DoesNotContain("\n", error);
    }

    [Fact]
    public async Task Allow_writes_with_a_read_only_tool_set_is_refused()
    {
        var stderr = new System.IO.StringWriter();
        var code = await FlatRacoon.Samples.NetStack.Create().RunAsync(new[] { "mcp", "--tools", "secrets", "--allow-writes" }, new System.IO.StringWriter(), stderr);
        Assert.Equal(StackProgram.Usage, code);
        Assert.Contains("--allow-writes needs --tools stack", stderr.ToString());
    }
}

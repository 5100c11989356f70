using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using FlatRacoon.Deployment;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace FlatRacoon.Dashboard.Tests;

/// <summary>
/// The MCP SDK's own client starts the sample stack program with <c>mcp</c> over stdio, against
/// the fake API server. The program runs in a private mount namespace whose /run holds the
/// sample's SOPS age key at the path its default reference names, so plan resolves it for real.
/// </summary>
public sealed class McpTests
{
    private readonly ITestOutputHelper _output;

    public McpTests(ITestOutputHelper output) => _output = output;

    private static StdioClientTransport Transport(Cluster cluster, params string[] extra)
    {
        const string script = """
            set -e
            mount -t tmpfs tmpfs /run
            mkdir -p /run/secrets/flatracoon/sops
            printf %s "$FLATRACOON_TEST_AGE_KEY" > /run/secrets/flatracoon/sops/age.key
            exec dotnet "$@"
            """;
        return new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "netstack",
            Command = "unshare",
            Arguments = new[] { "--mount", "--propagation", "private", "sh", "-c", script, "sh", RunningProgram.SampleProgram, "mcp", "--kubeconfig", cluster.Kubeconfig }.Concat(extra).ToArray(),
            EnvironmentVariables = new Dictionary<string, string?> { ["FLATRACOON_TEST_AGE_KEY"] = Cluster.SecretValue },
        });
    }

    private static string TextOf(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));

    [Fact(Timeout = 180_000)]
    public async Task An_agent_lists_the_tools_reads_status_plan_and_explain_and_cannot_apply_without_allow_writes()
    {
        await using var cluster = await Cluster.StartWithSampleAsync();
        var writesBefore = cluster.Fake.WriteCount;
        await using var client = await McpClient.CreateAsync(Transport(cluster));
        var answers = new List<string>();

        var tools = await client.ListToolsAsync();
        Assert.Equal(new[] { "apply", "explain", "get_object", "graph", "history", "plan", "rollback", "status", "validate" },
            tools.Select(t => t.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray());
        Assert.True(tools.Single(t => t.Name == "apply").ProtocolTool.Annotations?.DestructiveHint);
        Assert.True(tools.Single(t => t.Name == "status").ProtocolTool.Annotations?.ReadOnlyHint);

        async Task<CallToolResult> Call(string tool, Dictionary<string, object?>? arguments = null)
        {
            var result = await client.CallToolAsync(tool, arguments ?? new Dictionary<string, object?>());
            var text = TextOf(result);
            _output.WriteLine($"--- {tool} (error: {result.IsError})\n{text}");
            answers.Add(text);
            return result;
        }

        var status = await Call("status");
        Assert.NotEqual(true, status.IsError);
        Assert.Contains("Stack 'flatracoon-netstack': revision 1", TextOf(status));

        var plan = await Call("plan");
        Assert.NotEqual(true, plan.IsError);
        Assert.Contains("flatracoon-netstack", TextOf(plan));

        var explain = await Call("explain");
        Assert.NotEqual(true, explain.IsError);
        Assert.Contains("Wave 1 deploys", TextOf(explain));

        var history = await Call("history");
        Assert.NotEqual(true, history.IsError);
        Assert.Contains(Cluster.User, TextOf(history));

        var validate = await Call("validate");
        Assert.NotEqual(true, validate.IsError);

        var graph = await Call("graph", new() { ["format"] = "dot" });
        Assert.StartsWith("digraph", TextOf(graph).TrimStart());

        // Rendered-object lookup: a workload as JSON, and a Secret with every value blanked.
        var deployment = await Call("get_object", new() { ["kind"] = "Deployment", ["name"] = "network-dashboard" });
        Assert.NotEqual(true, deployment.IsError);
        Assert.Contains("\"kind\": \"Deployment\"", TextOf(deployment));
        var secret = Cluster.Sample().Objects.First(o => o.Kind == "Secret");
        var secretAnswer = await Call("get_object", new() { ["kind"] = "Secret", ["name"] = KubeObject.Name(secret.Body), ["namespace"] = KubeObject.Namespace(secret.Body) });
        Assert.NotEqual(true, secretAnswer.IsError);
        // The render holds references only (values are resolved at apply time): the reference is shown, a value never.
        Assert.Contains("flatracoon.io/secret-references", TextOf(secretAnswer));
        var missing = await Call("get_object", new() { ["kind"] = "Deployment", ["name"] = "nope" });
        Assert.True(missing.IsError);

        var apply = await Call("apply");
        Assert.True(apply.IsError);
        Assert.Contains("--allow-writes", TextOf(apply));
        var rollback = await Call("rollback", new() { ["revision"] = 1 });
        Assert.True(rollback.IsError);
        Assert.Contains("--allow-writes", TextOf(rollback));
        Assert.Equal(writesBefore, cluster.Fake.WriteCount);

        // No answer carries a secret value, in any form.
        foreach (var answer in answers)
        {
            Assert.DoesNotContain(Cluster.SecretValue, answer);
            Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Cluster.SecretValue)), answer);
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task With_allow_writes_apply_runs_the_engine_against_the_cluster_and_shows_no_secret()
    {
        await using var cluster = await Cluster.StartWithSampleAsync();
        await using var client = await McpClient.CreateAsync(Transport(cluster, "--allow-writes"));
        var apply = await client.CallToolAsync("apply", new Dictionary<string, object?>());
        var text = TextOf(apply);
        _output.WriteLine(text);
        Assert.NotEqual(true, apply.IsError);
        Assert.Contains("No changes: the cluster already matches revision 1", text);
        Assert.DoesNotContain(Cluster.SecretValue, text);
        var history = TextOf(await client.CallToolAsync("history", new Dictionary<string, object?>()));
        Assert.DoesNotContain(Cluster.SecretValue, history);
    }
}

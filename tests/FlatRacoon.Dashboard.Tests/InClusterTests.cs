using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using FlatRacoon.Rendering;
using FlatRacoon.Samples;
using ModelContextProtocol.Client;
using Xunit;

namespace FlatRacoon.Dashboard.Tests;

/// <summary>
/// The in-cluster shapes, run as processes on loopback: the stack program's <c>mcp --http</c>
/// (poly-k8s-mcp's and poly-observability-mcp's image) serving MCP and <c>/status</c>, and the
/// network-dashboard image reading the rendered stack.json and that <c>/status</c>.
/// </summary>
public sealed class InClusterTests
{
    private static int FreePort() => FlatRacoon.Tests.Shared.Daemons.FreePort();

    [Fact(Timeout = 180_000)]
    public async Task The_dashboard_image_reads_stack_json_and_the_status_that_mcp_http_serves()
    {
        await using var cluster = await Cluster.StartWithSampleAsync();
        var mcpPort = FreePort();
        await using var mcp = RunningProgram.Start(RunningProgram.SampleProgram, new[] { "mcp", "--http", mcpPort.ToString(), "--kubeconfig", cluster.Kubeconfig });
        mcp.WaitForLine(l => l.Contains("/mcp", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        // poly-observability-mcp's /status: the snapshot the dashboard shows.
        var status = SnapshotJson.Read(await http.GetStringAsync($"http://127.0.0.1:{mcpPort}/status"));
        Assert.Equal(NetStack.Name, status.Stack);
        Assert.Equal(11, status.Modules.Count);
        Assert.All(status.Modules, m => Assert.Equal("ready", m.State));
        Assert.Equal(1, status.Revision?.Number);
        Assert.Equal("ok\n", await http.GetStringAsync($"http://127.0.0.1:{mcpPort}/healthz"));

        // The same tools over streamable HTTP.
        await using (var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri($"http://127.0.0.1:{mcpPort}/mcp") })))
        {
            var tools = await client.ListToolsAsync();
            Assert.Contains(tools, t => t.Name == "status");
            var explain = await client.CallToolAsync("explain", new Dictionary<string, object?>());
            Assert.Contains("Wave 1 deploys", string.Concat(explain.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(b => b.Text)));
        }

        // The network-dashboard module's image, with the stack.json the module renders.
        var stackJson = StackRenderer.Render(NetStack.Create().Build()).Artifacts.Single(a => a.Module == "network-dashboard" && a.RelativePath.EndsWith("stack.json", StringComparison.Ordinal));
        var stackFile = Path.Combine(Path.GetTempPath(), $"flatracoon-stack-{Guid.NewGuid():N}.json");
        File.WriteAllText(stackFile, stackJson.Content);
        try
        {
            var dashboardPort = FreePort();
            await using var dashboard = RunningProgram.Start(RunningProgram.DashboardServer, Array.Empty<string>(), new Dictionary<string, string>
            {
                ["FLATRACOON_STACK"] = stackFile,
                ["FLATRACOON_STATUS_ENDPOINT"] = $"http://127.0.0.1:{mcpPort}/status",
                ["PORT"] = dashboardPort.ToString(),
            });
            dashboard.WaitForLine(l => l.StartsWith("Dashboard of stack", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            var shown = SnapshotJson.Read(await http.GetStringAsync($"http://127.0.0.1:{dashboardPort}/status"));
            Assert.Equal("FlatRacoon Network", shown.Title);
            Assert.Null(shown.Problem);
            Assert.Equal(status.Modules.Select(m => m.Name).OrderBy(n => n), shown.Modules.Select(m => m.Name).OrderBy(n => n));
            Assert.All(shown.Modules, m => Assert.Equal("ready", m.State));
            var page = await http.GetStringAsync($"http://127.0.0.1:{dashboardPort}/");
            Assert.Contains("<main>", page);
        }
        finally
        {
            File.Delete(stackFile);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task The_dashboard_image_without_a_stack_file_says_so_in_one_line()
    {
        await using var dashboard = RunningProgram.Start(RunningProgram.DashboardServer, Array.Empty<string>(), new Dictionary<string, string>
        {
            ["FLATRACOON_STACK"] = Path.Combine(Path.GetTempPath(), $"no-such-stack-{Guid.NewGuid():N}.json"),
        });
        await dashboard.WaitForExitAsync();
        Assert.Equal(1, dashboard.ExitCode);
        var error = dashboard.StandardError.Trim();
        Assert.StartsWith("error: cannot read the stack file:", error);
        Assert.DoesNotContain("\n", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Theory]
    [InlineData("dashboard", "--port", "http")]
    [InlineData("dashboard", "--refresh", "0")]
    [InlineData("mcp", "--http", "70000")]
    [InlineData("mcp", "--listen", "not-an-address")]
    public async Task Bad_options_are_one_clear_line_and_exit_code_2(string command, string option, string value)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await NetStack.Create().RunAsync(new[] { command, option, value }, stdout, stderr);
        Assert.Equal(StackProgram.Usage, code);
        var error = stderr.ToString().Trim();
        Assert.StartsWith("error: ", error);
        Assert.Contains(option, error);
        Assert.DoesNotContain("\n", error);
    }
}

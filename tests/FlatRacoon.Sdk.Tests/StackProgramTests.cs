using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace FlatRacoon.Sdk.Tests;

public class StackProgramTests
{
    private static async Task<(int Code, string Out, string Err)> Run(StackBuilder stack, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await stack.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData(new string[0], "error: no command given.")]
    [InlineData(new[] { "deploy" }, "error: unknown command 'deploy'.")]
    [InlineData(new[] { "rendr" }, "error: unknown command 'rendr'; did you mean 'render'?")]
    [InlineData(new[] { "render", "--out" }, "error: --out needs a value.")]
    [InlineData(new[] { "render", "--bogus" }, "error: unknown option '--bogus' for 'render'.")]
    [InlineData(new[] { "render", "--froce" }, "error: unknown option '--froce' for 'render'; did you mean '--force'?")]
    [InlineData(new[] { "graph", "--format", "svg" }, "error: --format takes 'text' or 'dot' or 'mermaid' or 'json', not 'svg'.")]
    [InlineData(new[] { "graph", "--format=svg" }, "error: --format takes 'text' or 'dot' or 'mermaid' or 'json', not 'svg'.")]
    [InlineData(new[] { "rollback", "--to", "0" }, "error: --to takes a whole number from 1 up, not '0'.")]
    [InlineData(new[] { "rollback", "--to", "abc" }, "error: --to takes a whole number from 1 up, not 'abc'.")]
    [InlineData(new[] { "status", "--kubeconfig", "" }, "error: --kubeconfig needs a file name, not an empty value.")]
    [InlineData(new[] { "render", "--environment", "moon" }, "error: unknown environment 'moon'; the known ones are: default.")]
    public async Task Bad_arguments_say_what_is_wrong_in_one_line_and_exit_2(string[] args, string message)
    {
        var (code, stdout, stderr) = await Run(TestModules.ThreeWaveStack(), args);
        Assert.Equal(StackProgram.Usage, code);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(new[] { message, lines[^1] }, lines);
        Assert.Matches("^Run '.+ --help' for usage\\.$", lines[^1]);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task Help_exits_0_and_each_command_has_its_own()
    {
        var (code, stdout, _) = await Run(TestModules.ThreeWaveStack(), "--help");
        Assert.Equal(0, code);
        Assert.Contains("render", stdout);
        Assert.Contains("rollback", stdout);

        var (applyCode, applyHelp, _) = await Run(TestModules.ThreeWaveStack(), "apply", "--help");
        Assert.Equal(0, applyCode);
        Assert.Contains("--poll-interval <ms>", applyHelp);
        Assert.Contains("--environment <name>", applyHelp);
        Assert.DoesNotContain("--out <dir>", applyHelp); // render's option: per-command help only
    }

    [Fact]
    public async Task Version_prints_the_informational_version()
    {
        var (code, stdout, _) = await Run(TestModules.ThreeWaveStack(), "--version");
        Assert.Equal(0, code);
        Assert.Matches(@"^\d+\.\d+\.\d+", stdout.Trim());
    }

    [Fact]
    public async Task Options_take_equals_values_and_response_files()
    {
        var dir = Path.Combine(Path.GetTempPath(), "flatracoon-rsp-" + Guid.NewGuid().ToString("N"));
        var rsp = Path.Combine(Path.GetTempPath(), "flatracoon-" + Guid.NewGuid().ToString("N") + ".rsp");
        try
        {
            File.WriteAllText(rsp, $"render\n--out={dir}\n--output\njson\n");
            var (code, stdout, stderr) = await Run(TestModules.ThreeWaveStack(), "@" + rsp);
            Assert.True(code == 0, stderr);
            Assert.StartsWith("{\"step\":\"render.stack\"", stdout);
            Assert.True(File.Exists(Path.Combine(dir, "kustomization.yaml")));
        }
        finally
        {
            File.Delete(rsp);
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, true);
            }
        }
    }

    [Fact]
    public async Task Validate_reports_issues_with_rule_ids_and_exits_1()
    {
        var stack = StackBuilder.Create("broken");
        stack.AddModule(TestModules.Storage, EmptyModuleConfig.Instance);
        var (code, stdout, _) = await Run(stack, "validate");
        Assert.Equal(1, code);
        Assert.Contains("FR1001 error storage", stdout);
        // Two capabilities without a provider, and the IPFS storage module is not bound to an overlay.
        Assert.Contains("FR1004 error storage", stdout);
        Assert.Contains("not valid: 3 errors", stdout);

        var (renderCode, renderOut, _) = await Run(stack, "render", "--out", Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")));
        Assert.Equal(1, renderCode);
        Assert.Contains("FR1001", renderOut);
    }

    [Fact]
    public async Task Render_refuses_a_stack_that_fails_any_error_rule_not_only_graph_rules()
    {
        // A sound graph (every capability provided) but IPFS not bound to the overlay: FR1004.
        var stack = StackBuilder.Create("unbound");
        stack.AddModule(TestModules.Secrets, EmptyModuleConfig.Instance);
        stack.AddModule(TestModules.Module("zerotier-k8s-link", Layer.Overlay, new[] { "kubernetes" }, new[] { "overlay-network" }, WorkloadKind.DaemonSet), EmptyModuleConfig.Instance);
        stack.AddModule(TestModules.Module("ipfs-overlay", Layer.Storage, new[] { "overlay-network", "secret-store" }, new[] { "ipfs-storage" }, WorkloadKind.StatefulSet), EmptyModuleConfig.Instance);
        Assert.Empty(stack.Freeze().Issues);

        var dir = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"));
        var (code, stdout, _) = await Run(stack, "render", "--out", dir);
        Assert.Equal(1, code);
        Assert.Contains("FR1004", stdout);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public async Task Render_narrates_waves_as_text_or_json_lines()
    {
        var dir = Path.Combine(Path.GetTempPath(), "flatracoon-cli-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (code, stdout, _) = await Run(TestModules.ThreeWaveStack(), "render", "--out", dir, "--output", "json");
            Assert.Equal(0, code);
            var events = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal("render.stack", events[0].GetProperty("step").GetString());
            // Readable JSON: quotes of the message stay as they are.
            Assert.Contains("\"message\":\"Rendered stack 'demo' for environment 'default'", stdout);
            Assert.DoesNotContain("\\u0027", stdout);
            Assert.Equal(4, events[0].GetProperty("data").GetProperty("modules").GetInt32());
            Assert.Equal(new[] { 0, 1, 2, 3, 4 }, events.Where(e => e.GetProperty("step").GetString() == "render.wave").Select(e => e.GetProperty("data").GetProperty("wave").GetInt32()));
            Assert.Equal("render.done", events[^1].GetProperty("step").GetString());
            Assert.True(File.Exists(Path.Combine(dir, "kustomization.yaml")));
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, true);
            }
        }
    }

    [Fact]
    public async Task Graph_and_explain_describe_dependencies()
    {
        var (code, stdout, _) = await Run(TestModules.ThreeWaveStack(), "graph", "--format", "dot");
        Assert.Equal(0, code);
        Assert.Contains("\"storage\" -> \"overlay\" [label=\"overlay-network, overlay binding\"];", stdout);
        Assert.Contains("\"dashboard\" -> \"storage\" [label=\"ipfs-storage\"];", stdout);
        Assert.Contains("subgraph \"cluster_storage\" {", stdout);

        var (mermaidCode, mermaid, _) = await Run(TestModules.ThreeWaveStack(), "graph", "--format", "mermaid");
        Assert.Equal(0, mermaidCode);
        Assert.StartsWith("flowchart BT\n  subgraph orchestration\n    secrets[\"secrets<br/>wave 1\"]\n  end\n", mermaid.Replace("\r", ""));
        Assert.Contains("  dashboard -->|ipfs-storage| storage\n", mermaid);

        // --output json prints JSON, as --format json does.
        var (jsonCode, json, _) = await Run(TestModules.ThreeWaveStack(), "graph", "--output", "json");
        Assert.Equal(0, jsonCode);
        using var graph = JsonDocument.Parse(json);
        var edge = graph.RootElement.GetProperty("edges").EnumerateArray().Single(e => e.GetProperty("from").GetString() == "overlay");
        Assert.Equal("secrets", edge.GetProperty("to").GetString());
        Assert.Equal("secret-store", edge.GetProperty("labels")[0].GetString());
        Assert.Equal(new[] { "orchestration", "overlay", "storage", "observability" }, graph.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("layer").GetString()));

        var (explainCode, explained, _) = await Run(TestModules.ThreeWaveStack(), "explain");
        Assert.Equal(0, explainCode);
        Assert.Contains("It needs overlay-network from overlay, secret-store from secrets.", explained);
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using FlatRacoon.Deployment;
using Xunit;
using Xunit.Abstractions;

namespace FlatRacoon.Dashboard.Tests;

/// <summary>
/// End to end: the sample applied to the fake API server, the stack program's <c>dashboard</c>
/// command started as a process, the page opened in headless Debian chromium through
/// playwright-core (tools/dashboard-e2e, installed by scripts/setup.d/40-browser.sh).
/// </summary>
public sealed class BrowserTests
{
    private readonly ITestOutputHelper _output;

    public BrowserTests(ITestOutputHelper output) => _output = output;

    private static string Driver => Path.Combine(Cluster.RepoRoot, "tools", "dashboard-e2e", "drive.mjs");

    [Fact(Timeout = 180_000)]
    public async Task The_dashboard_command_shows_every_module_and_pushes_a_workload_turning_unready_without_reload()
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "chromium is missing: run scripts/setup.d/40-browser.sh (apt-get install -y chromium).");
        Assert.True(Directory.Exists(Path.Combine(Cluster.RepoRoot, "tools", "dashboard-e2e", "node_modules", "playwright-core")),
            "playwright-core is missing: run scripts/setup.d/40-browser.sh (npm ci in tools/dashboard-e2e).");
        await using var cluster = await Cluster.StartWithSampleAsync();
        var sample = Cluster.Sample();
        var modules = FlatRacoon.Samples.NetStack.Create().Build().Modules.Select(m => m.Name).OrderBy(m => m, StringComparer.Ordinal).ToArray();

        await using var dashboard = RunningProgram.Start(RunningProgram.SampleProgram, new[] { "dashboard", "--kubeconfig", cluster.Kubeconfig, "--refresh", "200" });
        var urlLine = dashboard.WaitForLine(l => l.Contains("http://127.0.0.1:", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var url = urlLine[urlLine.IndexOf("http://", StringComparison.Ordinal)..].Trim();
        _output.WriteLine(urlLine);

        var browser = StartDriver(url);
        try
        {
            var loaded = await ReadEventAsync(browser, "loaded");
            _output.WriteLine(loaded.ToJsonString());
            var shown = loaded["modules"]!.AsObject();
            Assert.Equal(modules, shown.Select(p => p.Key).OrderBy(m => m, StringComparer.Ordinal).ToArray());
            foreach (var (name, card) in shown)
            {
                // After a successful apply every module is ready, with its wave, layer and replicas shown.
                Assert.Equal("ready", card!["state"]!.GetValue<string>());
                var fields = card["fields"]!.AsObject();
                Assert.Matches("^[1-9][0-9]*$", fields["wave"]!.GetValue<string>());
                Assert.False(string.IsNullOrWhiteSpace(fields["layer"]!.GetValue<string>()), name);
                Assert.Matches("^[0-9]+/[0-9]+ ready$", fields["replicas"]!.GetValue<string>());
            }
            // Health endpoints answer through the API server's service proxy.
            var health = shown.Select(p => p.Value!["fields"]!["health"]!.GetValue<string>()).Where(h => h != "no health endpoint").ToArray();
            Assert.NotEmpty(health);
            Assert.All(health, h => Assert.StartsWith("200 OK", h));
            Assert.StartsWith($"Revision 1 (apply) by {Cluster.User}", loaded["revision"]!.GetValue<string>());
            Assert.Equal($"{modules.Length} of {modules.Length} modules ready.", loaded["counts"]!.GetValue<string>());
            var landmarks = loaded["landmarks"]!.AsObject();
            Assert.Equal(1, landmarks["banner"]!.GetValue<int>());
            Assert.Equal(1, landmarks["main"]!.GetValue<int>());
            Assert.Equal(1, landmarks["contentinfo"]!.GetValue<int>());
            Assert.True(landmarks["live"]!.GetValue<int>() >= 1);
            Assert.Equal("en", landmarks["lang"]!.GetValue<string>());
            Assert.Contains("width=device-width", landmarks["viewport"]!.GetValue<string>());

            // One workload turns unready in the fake: the page must show it, pushed, within a few of the
            // dashboard's 1-s refreshes (5 s: the suite runs test projects at once, the corpus's builds
            // beside this one), and without a reload.
            var ipfs = sample.Objects.First(o => o.Module == "ipfs-overlay" && Readiness.IsWaitedOn(o.Body) && o.Kind is "StatefulSet" or "Deployment");
            var ipfsName = KubeObject.Name(ipfs.Body);
            cluster.Fake.Options.NeverReady = o => KubeObject.Name(o) == ipfsName && KubeObject.Kind(o) == ipfs.Kind;
            await browser.StandardInput.WriteLineAsync("""{"expect":{"module":"ipfs-overlay","state":"progressing"},"timeoutMs":5000}""");
            var seen = await ReadEventAsync(browser, "seen", "timeout");
            _output.WriteLine(seen.ToJsonString());
            Assert.Equal("seen", seen["event"]!.GetValue<string>());
            Assert.False(seen["reloaded"]!.GetValue<bool>());
            Assert.Contains("ipfs-overlay is now progressing", seen["announced"]!.GetValue<string>());

            var artifacts = Path.Combine(Cluster.RepoRoot, "artifacts", "dashboard");
            Directory.CreateDirectory(artifacts);
            foreach (var (file, width, height) in new[] { ("dashboard-desktop.png", 1280, 900), ("dashboard-phone.png", 390, 844) })
            {
                var path = Path.Combine(artifacts, file);
                await browser.StandardInput.WriteLineAsync(JsonSerializer.Serialize(new { screenshot = path, width, height }));
                var shot = await ReadEventAsync(browser, "screenshot");
                Assert.True(new FileInfo(path).Length > 10_000, $"{path} is not a screenshot");
                Assert.False(shot["horizontalOverflow"]!.GetValue<bool>(), $"the page scrolls sideways at {width}px");
            }
            await browser.StandardInput.WriteLineAsync("""{"quit":true}""");
            await browser.WaitForExitAsync();
            Assert.Equal(0, browser.ExitCode);
        }
        finally
        {
            if (!browser.HasExited)
            {
                browser.Kill(entireProcessTree: true);
            }
            browser.Dispose();
        }
    }

    private Process StartDriver(string url)
    {
        var info = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Driver);
        info.ArgumentList.Add(url);
        return Process.Start(info)!;
    }

    private async Task<JsonObject> ReadEventAsync(Process browser, params string[] events)
    {
        while (await browser.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) is { } line)
        {
            if (JsonNode.Parse(line) is JsonObject o && o["event"]?.GetValue<string>() is { } e && events.Contains(e))
            {
                return o;
            }
            _output.WriteLine(line);
        }
        throw new InvalidOperationException($"the browser driver ended without {string.Join(" or ", events)}: {await browser.StandardError.ReadToEndAsync()}");
    }
}

using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace FlatRacoon.Deployment.Tests;

/// <summary>
/// What a person sees: the team's stack program runs under a pseudo-terminal (util-linux
/// <c>script</c>) against the fake API server, and the test reads the captured screen.
/// </summary>
public class TerminalTests
{
    private static string Program => typeof(TeamStack.TeamStack).Assembly.Location;

    private static async Task<(int Code, string Screen)> UnderPseudoTerminal(string arguments, params (string Name, string Value)[] environment)
    {
        var script = new[] { "/usr/bin/script", "/bin/script" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("util-linux 'script' is missing: apt-get install -y bsdutils (scripts/setup.d/40-terminal.sh installs it).");
        var start = new ProcessStartInfo(script)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        // -q quiet, -e the program's exit code, -f flush as it writes; the typescript itself goes nowhere.
        foreach (var a in new[] { "-qef", "-c", $"dotnet \"{Program}\" {arguments}", "/dev/null" })
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["TERM"] = "xterm-256color";
        start.Environment.Remove("NO_COLOR");
        start.Environment["COLUMNS"] = "160";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var screen = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await screen + await errors);
    }

    private static string Plain(string screen) => Regex.Replace(screen, @"\u001b\[[0-9;?]*[A-Za-z]", "");

    [Fact(Timeout = 120_000)]
    public async Task Apply_on_a_terminal_shows_live_per_wave_progress_in_colour_and_plan_in_colour()
    {
        await using var h = await Harness.StartAsync();
        // Slow enough readiness that the live line is redrawn while the wave waits.
        h.Fake.Options.ReadyDelay = TimeSpan.FromMilliseconds(1500);
        var kubeconfig = TeamStackTests.Kubeconfig(h);
        try
        {
            var (planCode, plan) = await UnderPseudoTerminal($"plan --kubeconfig \"{kubeconfig}\"");
            Assert.True(planCode == 0, plan);
            // + in green for what would be created.
            Assert.Matches(new Regex(@"\u001b\[(?:\d+;)*32m\+ create Deployment team-cache/team-cache"), plan);

            var (code, screen) = await UnderPseudoTerminal($"apply --kubeconfig \"{kubeconfig}\" --poll-interval 100 --timeout 30");
            Assert.True(code == 0, screen);
            // The live line is redrawn in place (carriage return, erase line), and shows what the wave waits for ...
            Assert.Contains("\r\u001b[2K", screen, StringComparison.Ordinal);
            Assert.Matches(@"wave 2/2 [^:]*: 2/2 objects, 0 ready, \d+\.\d s, waiting for Deployment team-cache/team-cache \(\d+\.\d s\)", screen);
            // ... and each wave ends as one permanent line: a green tick, counts, elapsed time, the slowest object.
            var plain = Regex.Replace(screen, @"\u001b\[[0-9;?]*[A-Za-z]", "");
            var finished = plain.Split('\n').Select(l => l.TrimEnd('\r').Split('\r').Last().Trim()).Where(l => l.StartsWith("✓ wave", StringComparison.Ordinal)).ToArray();
            Assert.True(finished.Length == 2, plain.Replace("\r", "<CR>"));
            Assert.Matches(@"^✓ wave 1/2 [^:]*: 3/3 objects, \d+\.\d s$", finished[0]);
            Assert.Matches(@"^✓ wave 2/2 [^:]*: 2/2 objects, 1 ready, \d+\.\d s, slowest Deployment team-cache/team-cache \(\d+\.\d s\)$", finished[1]);
            Assert.Matches(new Regex(@"\u001b\[(?:\d+;)*32m✓"), screen);
            Assert.Contains("Recorded revision 1", plain, StringComparison.Ordinal);

            // status and history are tables on a terminal (rounded borders, a coloured state per object).
            var (statusCode, status) = await UnderPseudoTerminal($"status --kubeconfig \"{kubeconfig}\"");
            Assert.True(statusCode == 0, status);
            var statusPlain = Plain(status);
            Assert.Matches(@"╭─+┬─+┬─+╮", statusPlain);
            Assert.Matches(@"│ Object +│ State +│ Detail +│", statusPlain);
            Assert.Matches(@"│ Deployment team-cache/team-cache +│ ready +│", statusPlain);
            Assert.Matches(new Regex(@"\u001b\[(?:\d+;)*32mready"), status);
            var (historyCode, history) = await UnderPseudoTerminal($"history --kubeconfig \"{kubeconfig}\"");
            Assert.True(historyCode == 0, history);
            var historyPlain = Plain(history);
            Assert.Matches(@"│ +Rev │ Time +│ User +│ Description +│ Summary +│ Hash +│", historyPlain);
            Assert.Matches(@"│ +1 │ \d{4}-\d\d-\d\dT[^│]+│ [^│]+│ apply +│", historyPlain);
            Assert.Contains("(current)", historyPlain, StringComparison.Ordinal);
            Assert.Matches(@"╰─+┴─+┴─+┴─+┴─+┴─+╯", historyPlain);

            // The same program with its output redirected: plain text, no escape codes.
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var redirected = await StackProgram.RunAsync(new[] { "status", "--kubeconfig", kubeconfig }, env => TeamStack.TeamStack.Create(env), TeamStack.TeamStack.Configure, stdout, stderr);
            Assert.True(redirected == 0, stderr.ToString());
            Assert.DoesNotContain("\u001b[", stdout.ToString(), StringComparison.Ordinal);

            // destroy: one live line per wave, in reverse order. A wave is done when its objects are
            // gone: the deleted namespace stays Terminating (the fake's namespace controller takes
            // ReadyDelay), and the live line shows the object it waits for, redrawn as time passes.
            var (destroyCode, destroy) = await UnderPseudoTerminal($"destroy --yes --kubeconfig \"{kubeconfig}\" --poll-interval 100 --timeout 30");
            Assert.True(destroyCode == 0, destroy);
            Assert.Contains("\r\u001b[2K", destroy, StringComparison.Ordinal);
            var destroyLive = Plain(destroy).Split('\r', '\n').Select(l => l.Trim()).Where(l => l.StartsWith("… wave 1/2 namespaces", StringComparison.Ordinal)).ToArray();
            Assert.Contains(destroyLive, l => Regex.IsMatch(l, @"^… wave 1/2 namespaces: (\d+)/\1 objects? deleted, \d+\.\d s, waiting for Namespace team-cache \(([1-9]\d*\.\d|0\.[5-9]) s\)$"));
            // Each wave ends as a permanent line with counts, elapsed time and the object that was slowest to go.
            var destroyed = Plain(destroy).Split('\n').Select(l => l.TrimEnd('\r').Split('\r').Last().Trim()).Where(l => l.StartsWith("✓ wave", StringComparison.Ordinal)).ToArray();
            Assert.True(destroyed.Length == 2, Plain(destroy).Replace("\r", "<CR>"));
            Assert.Matches(@"^✓ wave 2/2 [^:]*: 2/2 objects deleted, \d+\.\d s$", destroyed[0]);
            Assert.Matches(@"^✓ wave 1/2 namespaces: (\d+)/\1 objects? deleted, \d+\.\d s, slowest Namespace team-cache \(([1-9]\d*\.\d|0\.[5-9]) s\)$", destroyed[1]);
            Assert.Null(h.Fake.Find("Namespace", null, "team-cache"));
            Assert.Contains("Destroyed stack 'team-stack'", Plain(destroy), StringComparison.Ordinal);
            Assert.Null(h.Fake.Find("Deployment", "team-cache", "team-cache"));
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using FlatRacoon.Cli;
using Xunit;

namespace FlatRacoon.Sdk.Tests;

/// <summary>
/// Malformed values at every option of every command (and the options every command takes):
/// each run ends with a known exit code and at most a couple of plain lines on stderr, never a
/// stack trace or an exception escaping the program.
/// </summary>
public sealed class MalformedInputTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "flatracoon-malformed-" + Guid.NewGuid().ToString("N"));
    private readonly string _garbageKubeconfig;
    private readonly string _binaryKubeconfig;
    private readonly string _existingFile;

    public MalformedInputTests()
    {
        Directory.CreateDirectory(_dir);
        _garbageKubeconfig = Path.Combine(_dir, "garbage-kubeconfig");
        File.WriteAllText(_garbageKubeconfig, "this: [is not: a kubeconfig\n  {{{");
        _binaryKubeconfig = Path.Combine(_dir, "binary-kubeconfig");
        File.WriteAllBytes(_binaryKubeconfig, new byte[] { 0, 1, 2, 0xff, 0xfe, 0x7b, 0x7b });
        _existingFile = Path.Combine(_dir, "a-file");
        File.WriteAllText(_existingFile, "not a directory");
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private IEnumerable<string> MalformedValues() => new[]
    {
        "", " ", "0", "-1", "abc", "1.5", "99999999999999999999", "=", "--", "-", "a\nb", "\u0000", "é✓",
        new string('x', 5000), _existingFile, _dir, Path.Combine(_dir, "missing", "deeper"), _garbageKubeconfig, _binaryKubeconfig,
    };

    [Fact]
    public async Task Every_option_of_every_command_refuses_malformed_values_in_one_line()
    {
        var runs = 0;
        var commands = StackProgram.Commands;
        foreach (var command in commands)
        {
            var prefix = new List<string> { command.Name };
            // lab takes a positional: a lab that does not exist, so nothing is started.
            prefix.AddRange(command.Positionals.Select(_ => "nope"));
            var options = command.Options.Select(o => (o.Name, o.ValueName))
                .Append((StackProgram.OutputOption, (string?)"text|json"))
                .Append((StackProgram.EnvironmentOption, (string?)"name"));
            foreach (var (name, valueName) in options)
            {
                var values = valueName is null ? new[] { "=maybe", "=" } : MalformedValues();
                foreach (var value in values)
                {
                    foreach (var args in Forms(prefix, name, valueName, value))
                    {
                        await AssertOneClearLine(command, name, args);
                        runs++;
                    }
                }
            }
            // The option given with no value at all.
            foreach (var option in command.Options.Where(o => o.ValueName is not null))
            {
                await AssertOneClearLine(command, option.Name, prefix.Append(option.Name).ToArray());
                runs++;
            }
        }
        Assert.True(runs > 500, $"only {runs} runs");
    }

    private IEnumerable<string[]> Forms(List<string> prefix, string name, string? valueName, string value)
    {
        // The connection is always a kubeconfig that cannot work, so no run reaches a real cluster.
        // render always gets a fresh directory, so nothing is written where the test runs.
        var safety = name == "--kubeconfig" ? Array.Empty<string>()
            : IsClusterCommand(prefix[0]) ? new[] { "--kubeconfig", _garbageKubeconfig }
            : prefix[0] == "render" && name != "--out" ? new[] { "--out", Path.Combine(_dir, "out-" + Guid.NewGuid().ToString("N")) }
            : Array.Empty<string>();
        if (valueName is null)
        {
            yield return prefix.Append(name + value).Concat(safety).ToArray();
            yield break;
        }
        if (name == "--out" && OptionChecks.OutputDirectory(value) is null)
        {
            // A well-formed directory: render would write there, which is not what this test is about.
            yield break;
        }
        yield return prefix.Append(name).Append(value).Concat(safety).ToArray();
        yield return prefix.Append($"{name}={value}").Concat(safety).ToArray();
    }

    private static bool IsClusterCommand(string command) => command is "plan" or "apply" or "status" or "history" or "rollback" or "destroy" or "dashboard" or "mcp";

    private static async Task AssertOneClearLine(IStackCommand command, string option, string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code;
        try
        {
            code = await TestModules.ThreeWaveStack().RunAsync(args, stdout, stderr);
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{command.Name} {option}: [{Show(args)}] threw {e.GetType().Name}: {e.Message}");
        }
        var err = stderr.ToString();
        var what = $"{command.Name} {option}: [{Show(args)}] -> {code}\n{err}";
        Assert.True(code is StackProgram.Failed or StackProgram.Usage, what);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length is >= 1 and <= 3, what);
        Assert.True(lines[0].StartsWith("error: ", StringComparison.Ordinal), what);
        Assert.False(err.Contains("   at ", StringComparison.Ordinal), what);
        Assert.False(err.Contains("Exception", StringComparison.Ordinal), what);
    }

    private static string Show(string[] args) => string.Join(" ", args.Select(a => a.Length > 40 ? a[..40] + "…" : a.Replace("\n", "\\n").Replace("\0", "\\0")));
}

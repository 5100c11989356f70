using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace FlatRacoon.Testing;

/// <summary>What a run of the stack program printed, and its exit code (0 ok, 1 failed, 2 usage).</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error.</param>
public sealed record StackRun(int ExitCode, string Output, string Error)
{
    /// <summary>Output and error together, for a failure message.</summary>
    public override string ToString() => $"exit code {ExitCode}" + (Output.Length > 0 ? $"\nstdout:\n{Output.TrimEnd()}" : "") + (Error.Length > 0 ? $"\nstderr:\n{Error.TrimEnd()}" : "");
}

/// <summary>
/// A team's stack program under test: the same declaration and options its <c>Program.cs</c> passes
/// to <see cref="StackProgram.RunAsync(string[], Func{StackEnvironment, StackBuilder}, Action{StackProgramOptions}?)"/>,
/// run in-process (its renderers, transforms and environments take part in every command).
/// <code>
/// var stack = new TestStack(env =&gt; MyStack.Create(env), MyStack.Configure);
/// var dir = await stack.RenderAsync("development");
/// </code>
/// </summary>
public sealed class TestStack
{
    private readonly Func<StackEnvironment, StackBuilder> _declare;
    private readonly Action<StackProgramOptions>? _configure;

    /// <summary>The program made of <paramref name="declare"/> and <paramref name="configure"/>.</summary>
    public TestStack(Func<StackEnvironment, StackBuilder> declare, Action<StackProgramOptions>? configure = null)
    {
        _declare = declare ?? throw new ArgumentNullException(nameof(declare));
        _configure = configure;
    }

    /// <summary>Runs one command of the program, as <c>dotnet run -- ARGS</c> would, and returns what it printed.</summary>
    public async Task<StackRun> RunAsync(IEnumerable<string> args, CancellationToken cancellation = default)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await StackProgram.RunAsync(args.ToArray(), _declare, _configure, stdout, stderr, cancellation).ConfigureAwait(false);
        return new StackRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs one command of the program.</summary>
    public Task<StackRun> RunAsync(params string[] args) => RunAsync(args, CancellationToken.None);

    /// <summary>
    /// Renders the stack for <paramref name="environment"/> (null: the program's default) into
    /// <paramref name="directory"/> (null: a new temporary folder; a folder it rendered before is brought up to date), and
    /// returns the folder. Throws <see cref="FlatRacoonTestException"/> with the program's output when it fails.
    /// </summary>
    public async Task<string> RenderAsync(string? environment = null, string? directory = null, CancellationToken cancellation = default)
    {
        directory ??= Path.Combine(Path.GetTempPath(), "flatracoon-render-" + Guid.NewGuid().ToString("N"));
        var run = await RunAsync(WithEnvironment(new[] { "render", "--out", directory }, environment), cancellation).ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            throw new FlatRacoonTestException($"render{For(environment)} failed: {run}");
        }
        return directory;
    }

    internal static IEnumerable<string> WithEnvironment(IEnumerable<string> args, string? environment) =>
        environment is null ? args : args.Concat(new[] { "--environment", environment });

    internal static string For(string? environment) => environment is null ? "" : $" (environment '{environment}')";
}

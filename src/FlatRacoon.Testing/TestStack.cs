using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FlatRacoon.Secrets;

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
    private readonly TestSecretResolver? _secrets;

    /// <summary>The program made of <paramref name="declare"/> and <paramref name="configure"/>.</summary>
    public TestStack(Func<StackEnvironment, StackBuilder> declare, Action<StackProgramOptions>? configure = null)
        : this(declare, configure, null)
    {
    }

    private TestStack(Func<StackEnvironment, StackBuilder> declare, Action<StackProgramOptions>? configure, TestSecretResolver? secrets)
    {
        _declare = declare ?? throw new ArgumentNullException(nameof(declare));
        _configure = configure;
        _secrets = secrets;
    }

    /// <summary>
    /// This program with its secret references resolved to test values: <paramref name="values"/> maps a
    /// reference URI (<c>env://TEAM_TOKEN</c>, <c>vault://secret/team/cache#password</c>, <c>sops://...</c>,
    /// <c>file://...</c>) to the value <c>plan</c>, <c>apply</c> and <c>rollback</c> put in the Secret.
    /// It goes where a team configures its own resolvers (<see cref="StackProgramOptions.UseSecretResolver"/>,
    /// after the program's options), so no Vault, SOPS key, variable or file is needed; a reference
    /// without a test value fails to resolve, naming the reference. Check the run's output with
    /// <see cref="StackAssert.NoSecretValues(StackRun, IEnumerable{string})"/> and <see cref="SecretValues"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A key is not a secret reference URI, or a value is empty (the message never shows a value).</exception>
    public TestStack WithSecrets(IReadOnlyDictionary<string, string> values) =>
        new(_declare, _configure, new TestSecretResolver(values ?? throw new ArgumentNullException(nameof(values))));

    /// <summary>The test values given with <see cref="WithSecrets"/> (none without it), to look for in output.</summary>
    public IReadOnlyList<string> SecretValues => _secrets?.Values ?? Array.Empty<string>();

    private void Configure(StackProgramOptions options)
    {
        _configure?.Invoke(options);
        if (_secrets is not null)
        {
            options.UseSecretResolver(_secrets);
        }
    }

    /// <summary>Runs one command of the program, as <c>dotnet run -- ARGS</c> would, and returns what it printed.</summary>
    public async Task<StackRun> RunAsync(IEnumerable<string> args, CancellationToken cancellation = default)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await StackProgram.RunAsync(args.ToArray(), _declare, Configure, stdout, stderr, cancellation).ConfigureAwait(false);
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

/// <summary>Resolves each reference to the value a test gave for it (<see cref="TestStack.WithSecrets"/>); any other reference fails.</summary>
internal sealed class TestSecretResolver : ISecretResolver
{
    private readonly Dictionary<string, byte[]> _byReference = new(StringComparer.Ordinal);

    public TestSecretResolver(IReadOnlyDictionary<string, string> values)
    {
        foreach (var (reference, value) in values)
        {
            // Keys are references, never values, so naming a bad one is safe.
            if (!SecretReference.TryParse(reference, out var parsed))
            {
                throw new ArgumentException($"'{reference}' is not a secret reference (vault://mount/path#key, sops://file#key, env://NAME or file:///path).", nameof(values));
            }
            if (string.IsNullOrEmpty(value))
            {
                throw new ArgumentException($"The test value of {parsed} is empty; a reference resolves to a value of at least one character.", nameof(values));
            }
            _byReference[parsed.ToString()] = System.Text.Encoding.UTF8.GetBytes(value);
        }
        Values = values.Values.Distinct(StringComparer.Ordinal).ToArray();
    }

    public IReadOnlyList<string> Values { get; }

    public Task<byte[]> ResolveAsync(SecretReference reference, CancellationToken cancellation) =>
        _byReference.TryGetValue(reference.ToString(), out var value)
            ? Task.FromResult((byte[])value.Clone())
            : throw new SecretResolutionException(reference, "the test gives no value for it (TestStack.WithSecrets).");
}

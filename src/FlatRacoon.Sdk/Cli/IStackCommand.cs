using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using FlatRacoon.Narration;

namespace FlatRacoon.Cli;

/// <summary>An option of a command: a flag (<see cref="ValueName"/> null) or one that takes a value.</summary>
/// <param name="Name">The option with its dashes (<c>--out</c>).</param>
/// <param name="ValueName">What the value is called in the usage (<c>dir</c>), or null for a flag.</param>
/// <param name="Help">One line of help.</param>
/// <param name="Allowed">The only values accepted, if limited.</param>
/// <param name="Check">
/// Checks a value when the command line is parsed: returns what is wrong with it in a few words
/// (<c>"takes a whole number from 1 up, not 'abc'"</c>), or null when it is fine. A bad value is a
/// usage error (exit 2) before the command runs.
/// </param>
public sealed record CommandOption(string Name, string? ValueName, string Help, IReadOnlyList<string>? Allowed = null, Func<string, string?>? Check = null)
{
    /// <summary>An option that takes a whole number from 1 up.</summary>
    public static CommandOption PositiveNumber(string name, string valueName, string help) =>
        new(name, valueName, help, Check: OptionChecks.PositiveNumber);

    /// <summary>An option that names a file that must exist.</summary>
    public static CommandOption ExistingFile(string name, string valueName, string help) =>
        new(name, valueName, help, Check: OptionChecks.ExistingFile);

    /// <summary>An option that names a directory to write (it may exist, but must not be a file).</summary>
    public static CommandOption OutputDirectory(string name, string valueName, string help) =>
        new(name, valueName, help, Check: OptionChecks.OutputDirectory);
}

/// <summary>The checks behind <see cref="CommandOption.Check"/>.</summary>
public static class OptionChecks
{
    /// <summary>A whole number from 1 up (at most <see cref="int.MaxValue"/>).</summary>
    public static string? PositiveNumber(string value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0
            ? null
            : $"takes a whole number from 1 up, not '{value}'";

    /// <summary>A file that exists.</summary>
    public static string? ExistingFile(string value) =>
        value.Length == 0 ? "needs a file name, not an empty value"
        : !IsLegalPath(value) ? $"'{value}' is not a valid path"
        : Directory.Exists(value) ? $"'{value}' is a directory, not a file"
        : !File.Exists(value) ? $"file '{value}' does not exist"
        : null;

    /// <summary>A directory to write into: not empty, a legal path, not an existing file.</summary>
    public static string? OutputDirectory(string value) =>
        value.Length == 0 ? "needs a directory name, not an empty value"
        : !IsLegalPath(value) ? $"'{value}' is not a valid path"
        : File.Exists(value) ? $"'{value}' is a file, not a directory"
        : null;

    private static bool IsLegalPath(string value)
    {
        if (value.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || value.IndexOf('\0') >= 0)
        {
            return false;
        }
        try
        {
            _ = Path.GetFullPath(value);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return false;
        }
    }
}

/// <summary>One command of a stack program (<c>render</c>, <c>validate</c>, ...). One file per command under <c>Cli/Commands/</c>.</summary>
public interface IStackCommand
{
    /// <summary>The command word.</summary>
    string Name { get; }
    /// <summary>One line saying what it does.</summary>
    string Summary { get; }
    /// <summary>Positional arguments it takes, by name, in order (<c>lab bgp</c> takes <c>topology</c>).</summary>
    IReadOnlyList<string> Positionals { get; }
    /// <summary>Its options, besides <c>--output</c> which every command takes.</summary>
    IReadOnlyList<CommandOption> Options { get; }
    /// <summary>Whether it refuses to run on a stack that fails validation with an error (printing the findings instead, as <c>validate</c> does).</summary>
    bool NeedsValidStack { get; }
    /// <summary>Runs it; returns the exit code.</summary>
    Task<int> RunAsync(CommandContext context);
}

/// <summary>What a command runs with.</summary>
public sealed class CommandContext
{
    internal CommandContext(StackBuilder builder, Stack stack, ParsedArguments arguments, INarrator narrator, TextWriter output, TextWriter error, CancellationToken cancellation,
        StackProgramOptions? options = null, Terminal? terminal = null)
    {
        Builder = builder;
        Stack = stack;
        Arguments = arguments;
        Narrator = narrator;
        Output = output;
        Error = error;
        Cancellation = cancellation;
        Options = options ?? new StackProgramOptions();
        Terminal = terminal ?? Terminal.Plain(output);
    }

    /// <summary>The environment the stack was declared for (<c>--environment</c>).</summary>
    public StackEnvironment Environment => Stack.Environment;
    /// <summary>The program's renderers, transforms, environments and extra commands.</summary>
    public StackProgramOptions Options { get; }
    /// <summary>How output looks: colours and live progress on an interactive terminal, plain text otherwise.</summary>
    public Terminal Terminal { get; }

    /// <summary>Renders the stack with the program's renderers and transforms (what render, plan and apply use).</summary>
    public FlatRacoon.Rendering.ManifestSet Render() => FlatRacoon.Rendering.StackRenderer.Render(Stack, Options.Renderers, Options.Transforms);

    /// <summary>The declarations.</summary>
    public StackBuilder Builder { get; }
    /// <summary>The frozen stack (it may have issues when the command does not need a valid one).</summary>
    public Stack Stack { get; }
    /// <summary>The parsed arguments.</summary>
    public ParsedArguments Arguments { get; }
    /// <summary>Where the steps are told.</summary>
    public INarrator Narrator { get; }
    /// <summary>Standard output (for data such as a graph).</summary>
    public TextWriter Output { get; }
    /// <summary>Standard error.</summary>
    public TextWriter Error { get; }
    /// <summary>Cancelled on Ctrl+C.</summary>
    public CancellationToken Cancellation { get; }
    /// <summary>True with <c>--output json</c>.</summary>
    public bool Json => Arguments.Value("--output") == "json";
    /// <summary>True on an interactive terminal without <c>--output json</c>: colours and live progress are welcome.</summary>
    public bool Interactive => !Json && Terminal.Interactive;
}

/// <summary>Arguments after the command word.</summary>
public sealed class ParsedArguments
{
    private readonly Dictionary<string, string?> _options;

    internal ParsedArguments(Dictionary<string, string?> options, IReadOnlyList<string> positionals)
    {
        _options = options;
        Positionals = positionals;
    }

    /// <summary>Positional arguments, in order.</summary>
    public IReadOnlyList<string> Positionals { get; }

    /// <summary>The value of an option, or null when absent.</summary>
    public string? Value(string option) => _options.TryGetValue(option, out var value) ? value : null;

    /// <summary>Whether a flag was given.</summary>
    public bool Flag(string option) => _options.ContainsKey(option);
}

/// <summary>Bad arguments; the message says which.</summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UsageException(string message) : base(message) { }
}

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
public sealed record CommandOption(string Name, string? ValueName, string Help, IReadOnlyList<string>? Allowed = null);

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
    internal CommandContext(StackBuilder builder, Stack stack, ParsedArguments arguments, INarrator narrator, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        Builder = builder;
        Stack = stack;
        Arguments = arguments;
        Narrator = narrator;
        Output = output;
        Error = error;
        Cancellation = cancellation;
    }

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

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FlatRacoon.Cli;
using FlatRacoon.Cli.Commands;
using FlatRacoon.Narration;

namespace FlatRacoon;

/// <summary>
/// The commands of a stack program: the stack project is the program (as with Pulumi programs
/// and Aspire app hosts), so no separate tool has to load user assemblies.
/// <code>return await stack.RunAsync(args);</code>
/// </summary>
public static class StackProgram
{
    /// <summary>Exit code: success.</summary>
    public const int Ok = 0;
    /// <summary>Exit code: the stack, its output or the operation failed.</summary>
    public const int Failed = 1;
    /// <summary>Exit code: bad arguments.</summary>
    public const int Usage = 2;

    private static readonly CommandOption OutputOption = new("--output", "text|json", "narration as text (default) or JSON lines", new[] { "text", "json" });

    /// <summary>The commands every stack program has, in usage order.</summary>
    public static IReadOnlyList<IStackCommand> Commands { get; } = new IStackCommand[]
    {
        new RenderCommand(),
        new ValidateCommand(),
        new GraphCommand(),
        new ExplainCommand(),
        new PlanCommand(),
        new ApplyCommand(),
        new StatusCommand(),
        new HistoryCommand(),
        new RollbackCommand(),
        new DestroyCommand(),
        new LabCommand(),
    };

    /// <summary>
    /// Runs the command named by <paramref name="args"/> on the stack <paramref name="declare"/> returns
    /// for the environment chosen with <c>--environment NAME</c> (default: <see cref="EnvironmentCatalog.Default"/>).
    /// The declaration is a function of the environment so that the build can evaluate it for every
    /// environment (see <see cref="BuildEvaluation"/>).
    /// </summary>
    public static Task<int> RunAsync(string[] args, Func<StackEnvironment, StackBuilder> declare)
    {
        if (declare is null)
        {
            throw new ArgumentNullException(nameof(declare));
        }
        // build-time evaluation hook
        if (BuildEvaluation.IsRequested)
        {
            return Task.FromResult(BuildEvaluation.Run(declare, Console.Out));
        }
        var rest = new List<string>();
        var environment = EnvironmentCatalog.Default;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string? name = null;
            if (arg == "--environment")
            {
                if (i + 1 >= args.Length)
                {
                    Console.Error.WriteLine("error: --environment needs a value.");
                    return Task.FromResult(Usage);
                }
                name = args[++i];
            }
            else if (arg.StartsWith("--environment=", StringComparison.Ordinal))
            {
                name = arg["--environment=".Length..];
            }
            else
            {
                rest.Add(arg);
                continue;
            }
            environment = EnvironmentCatalog.Find(name) ?? environment;
            if (EnvironmentCatalog.Find(name) is null)
            {
                Console.Error.WriteLine($"error: unknown environment '{name}'; known: {string.Join(", ", EnvironmentCatalog.All.Select(e => e.Name))}.");
                return Task.FromResult(Usage);
            }
        }
        StackBuilder builder;
        try
        {
            builder = declare(environment);
        }
        catch (StackDeclarationException e)
        {
            Console.Error.WriteLine($"error {e.RuleId}: {e.Reason}{(e.Location.IsKnown ? $" ({e.Location})" : "")}");
            return Task.FromResult(Failed);
        }
        return builder.RunAsync(rest.ToArray());
    }

    /// <summary>Runs the command named by <paramref name="args"/> on the console; Ctrl+C cancels it.</summary>
    public static async Task<int> RunAsync(this StackBuilder builder, string[] args)
    {
        // build-time evaluation hook (single-environment shape)
        if (BuildEvaluation.IsRequested)
        {
            return BuildEvaluation.Run(builder, Console.Out);
        }
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await RunAsync(builder, args, Console.Out, Console.Error, cancellation.Token).ConfigureAwait(false);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Runs the command named by <paramref name="args"/>, writing to the given writers.</summary>
    public static async Task<int> RunAsync(this StackBuilder builder, string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellation = default)
    {
        IStackCommand? command;
        ParsedArguments arguments;
        try
        {
            (command, arguments) = Parse(args);
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            stderr.WriteLine();
            stderr.Write(UsageText(builder.Name));
            return Usage;
        }
        if (command is null)
        {
            stdout.Write(UsageText(builder.Name));
            return Ok;
        }

        INarrator narrator = arguments.Value("--output") == "json" ? new JsonLinesNarrator(stdout) : new TextNarrator(stdout);
        var stack = builder.Freeze();
        var context = new CommandContext(builder, stack, arguments, narrator, stdout, stderr, cancellation);
        // The same rules the build runs: any error (not only a broken graph) stops render, plan, apply.
        if (command.NeedsValidStack && (stack.Issues.Count > 0 || stack.Validate().Any(StackValidation.IsError)))
        {
            ValidateCommand.Report(context);
            return Failed;
        }
        try
        {
            return await command.RunAsync(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            stderr.WriteLine($"'{command.Name}' was interrupted.");
            return Failed;
        }
    }

    /// <summary>The usage text.</summary>
    public static string UsageText(string stackName)
    {
        var text = new StringBuilder();
        text.Append("Usage: <stack program> <command> [options]\n\n");
        text.Append($"Stack '{stackName}'. Commands:\n");
        foreach (var command in Commands)
        {
            var positionals = string.Concat(command.Positionals.Select(p => $" <{p}>"));
            text.Append($"  {(command.Name + positionals).PadRight(22)} {command.Summary}\n");
            foreach (var option in command.Options)
            {
                var usage = option.ValueName is null ? option.Name : $"{option.Name} <{option.ValueName}>";
                text.Append($"      {usage.PadRight(22)} {option.Help}\n");
            }
        }
        text.Append($"  {"help".PadRight(22)} Show this text.\n\n");
        text.Append("Options for every command:\n");
        text.Append($"      {(OutputOption.Name + " <" + OutputOption.ValueName + ">").PadRight(22)} {OutputOption.Help}\n");
        return text.ToString();
    }

    private static (IStackCommand? Command, ParsedArguments Arguments) Parse(string[] args)
    {
        if (args.Length == 0)
        {
            throw new UsageException("no command given.");
        }
        if (args[0] is "help" or "--help" or "-h")
        {
            return (null, new ParsedArguments(new Dictionary<string, string?>(), Array.Empty<string>()));
        }
        var command = Commands.FirstOrDefault(c => c.Name == args[0])
            ?? throw new UsageException($"unknown command '{args[0]}'.");
        var known = command.Options.Append(OutputOption).ToDictionary(o => o.Name, StringComparer.Ordinal);
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        var positionals = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h")
            {
                return (null, new ParsedArguments(options, positionals));
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                positionals.Add(arg);
                continue;
            }
            if (!known.TryGetValue(arg, out var option))
            {
                throw new UsageException($"unknown option '{arg}' for '{command.Name}'.");
            }
            if (option.ValueName is null)
            {
                options[arg] = null;
                continue;
            }
            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"{arg} needs a value.");
            }
            var value = args[++i];
            if (option.Allowed is { } allowed && !allowed.Contains(value))
            {
                throw new UsageException($"{arg} takes {string.Join(" or ", allowed.Select(a => $"'{a}'"))}, not '{value}'.");
            }
            options[arg] = value;
        }
        if (positionals.Count != command.Positionals.Count)
        {
            throw new UsageException(command.Positionals.Count == 0
                ? $"'{command.Name}' takes no arguments, got '{string.Join(" ", positionals)}'."
                : $"'{command.Name}' needs {string.Join(" ", command.Positionals.Select(p => $"<{p}>"))}.");
        }
        return (command, new ParsedArguments(options, positionals));
    }

    internal static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}

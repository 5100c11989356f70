using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FlatRacoon.Cli;
using FlatRacoon.Cli.Commands;
using FlatRacoon.Narration;

namespace FlatRacoon;

/// <summary>
/// The commands of a stack program: the stack project is the program (as with Pulumi programs
/// and Aspire app hosts), so no separate tool has to load user assemblies.
/// <code>return await StackProgram.RunAsync(args, env =&gt; NetStack.Create(env));</code>
/// Exit codes: <see cref="Ok"/> 0, <see cref="Failed"/> 1, <see cref="Usage"/> 2 (docs/commands/exit-codes.md).
/// </summary>
public static class StackProgram
{
    /// <summary>Exit code: success.</summary>
    public const int Ok = 0;
    /// <summary>Exit code: the stack, its output or the operation failed.</summary>
    public const int Failed = 1;
    /// <summary>Exit code: bad arguments.</summary>
    public const int Usage = 2;

    /// <summary>The option every command takes that picks the environment.</summary>
    public const string EnvironmentOption = "--environment";
    /// <summary>The option every command takes that picks text or JSON lines.</summary>
    public const string OutputOption = "--output";

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
        new DashboardCommand(),
        new McpCommand(),
    };

    /// <summary>
    /// Runs the command named by <paramref name="args"/> on the console for the environment
    /// <c>--environment</c> names (default <see cref="EnvironmentCatalog.Default"/>); the stack is
    /// <paramref name="declare"/>d for that environment. Ctrl+C cancels the command.
    /// </summary>
    /// <param name="args">The command line.</param>
    /// <param name="declare">Declares the stack for an environment.</param>
    /// <param name="configure">Adds the team's renderers, transforms, environments and commands.</param>
    public static Task<int> RunAsync(string[] args, Func<StackEnvironment, StackBuilder> declare, Action<StackProgramOptions>? configure = null) =>
        OnConsoleAsync(cancellation => RunAsync(args, declare, configure, Console.Out, Console.Error, cancellation, Terminal.ForConsole(Console.Out)));

    /// <summary>Runs the command named by <paramref name="args"/>, writing plain text to the given writers (for tests and hosts).</summary>
    public static Task<int> RunAsync(string[] args, Func<StackEnvironment, StackBuilder> declare, Action<StackProgramOptions>? configure, TextWriter stdout, TextWriter stderr, CancellationToken cancellation = default) =>
        RunAsync(args, declare, configure, stdout, stderr, cancellation, Terminal.Plain(stdout));

    /// <summary>Runs the command on <paramref name="terminal"/> (a rich one shows colours and live progress).</summary>
    public static Task<int> RunAsync(string[] args, Func<StackEnvironment, StackBuilder> declare, Action<StackProgramOptions>? configure, Terminal terminal, TextWriter stderr, CancellationToken cancellation = default) =>
        RunAsync(args, declare, configure, terminal.Output, stderr, cancellation, terminal);

    /// <summary>Runs the command named by <paramref name="args"/> on the console for this builder's one environment.</summary>
    public static Task<int> RunAsync(this StackBuilder builder, string[] args) =>
        OnConsoleAsync(cancellation => RunSingleAsync(builder, args, Console.Out, Console.Error, cancellation, Terminal.ForConsole(Console.Out)));

    /// <summary>Runs the command named by <paramref name="args"/> for this builder's one environment, writing to the given writers.</summary>
    public static Task<int> RunAsync(this StackBuilder builder, string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellation = default) =>
        RunSingleAsync(builder, args, stdout, stderr, cancellation, Terminal.Plain(stdout));

    private static Task<int> RunSingleAsync(StackBuilder builder, string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellation, Terminal terminal)
    {
        // Build-time evaluation of the single-environment shape: that one environment.
        if (BuildEvaluation.IsRequested)
        {
            return Task.FromResult(BuildEvaluation.Run(builder, stdout));
        }
        var options = new StackProgramOptions();
        // The one environment the builder was made for; no other can be asked for.
        var environments = new EnvironmentChoice(new[] { builder.Environment }, builder.Environment);
        return RunCoreAsync(args, _ => builder, options, environments, stdout, stderr, cancellation, terminal);
    }

    private static Task<int> RunAsync(string[] args, Func<StackEnvironment, StackBuilder> declare, Action<StackProgramOptions>? configure, TextWriter stdout, TextWriter stderr, CancellationToken cancellation, Terminal terminal)
    {
        if (args is null || declare is null)
        {
            throw new ArgumentNullException(args is null ? nameof(args) : nameof(declare));
        }
        var options = new StackProgramOptions();
        configure?.Invoke(options);
        if (options.Environments.Count > 0)
        {
            EnvironmentCatalog.Register(options.Environments, options.DefaultEnvironment);
        }
        // Build-time evaluation: when the build runs the program after compiling it
        // (FLATRACOON_EVALUATE set), the declaration is evaluated for every environment and its
        // findings printed in MSBuild's format instead of running a command (docs/concepts/compile-time-guarantees.md).
        if (BuildEvaluation.IsRequested)
        {
            return Task.FromResult(BuildEvaluation.Run(declare, stdout));
        }
        var environments = new EnvironmentChoice(EnvironmentCatalog.All, EnvironmentCatalog.Default);
        return RunCoreAsync(args, declare, options, environments, stdout, stderr, cancellation, terminal);
    }

    private sealed record EnvironmentChoice(IReadOnlyList<StackEnvironment> Known, StackEnvironment Default)
    {
        public StackEnvironment? Find(string name) => Known.FirstOrDefault(e => e.Name == name);
        public string Names => string.Join(", ", Known.Select(e => e.Name));
    }

    private static async Task<int> OnConsoleAsync(Func<CancellationToken, Task<int>> run)
    {
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await run(cancellation.Token).ConfigureAwait(false);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static async Task<int> RunCoreAsync(string[] args, Func<StackEnvironment, StackBuilder> declare, StackProgramOptions options, EnvironmentChoice environments,
        TextWriter stdout, TextWriter stderr, CancellationToken cancellation, Terminal terminal)
    {
        // `help` as a word, as the earlier parser accepted it.
        if (args.Length > 0 && args[0] == "help")
        {
            args = args.Skip(1).Append("--help").ToArray();
        }
        var commands = Commands.Concat(options.Commands).ToArray();
        var (root, outputOption, environmentOption) = CommandLine(commands, environments);
        int exit = Ok;
        foreach (var command in commands)
        {
            var symbol = root.Subcommands.First(c => c.Name == command.Name);
            symbol.SetAction(async (parse, token) =>
            {
                exit = await RunCommandAsync(command, symbol, parse, outputOption, environmentOption, declare, options, environments, stdout, stderr, cancellation, terminal).ConfigureAwait(false);
                return exit;
            });
        }

        // `--name=` with nothing after '=' is a value left out by mistake, not the flag or an empty value.
        if (args.TakeWhile(a => a != "--").FirstOrDefault(a => a.StartsWith("--", StringComparison.Ordinal) && a.EndsWith("=", StringComparison.Ordinal) && a.Length > 3) is { } empty)
        {
            stderr.WriteLine($"error: {empty.TrimEnd('=')} is given an empty value ('{empty}').");
            stderr.WriteLine($"Run '{root.Name} --help' for usage.");
            return Usage;
        }
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            // One line per problem, a suggestion for a typo, and where to find the usage: never the whole help.
            stderr.WriteLine("error: " + FirstError(parseResult));
            var where = parseResult.CommandResult.Command is RootCommand ? "" : " " + parseResult.CommandResult.Command.Name;
            stderr.WriteLine($"Run '{root.Name}{where} --help' for usage.");
            return Usage;
        }
        var invocation = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        try
        {
            var code = await parseResult.InvokeAsync(invocation, cancellation).ConfigureAwait(false);
            return code;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            stderr.WriteLine($"'{parseResult.CommandResult.Command.Name}' was interrupted.");
            return Failed;
        }
    }

    // The first problem of the command line, in one line: a value problem before a stray word, a
    // stray word with the closest known name when one is near.
    private static string FirstError(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var unmatched = parse.UnmatchedTokens;
        foreach (var error in parse.Errors)
        {
            var message = string.Join(" ", error.Message.Split(new[] { '\n', '\r', '\t' }, StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim()));
            if (message.StartsWith("Unrecognized command or argument", StringComparison.Ordinal)
                || (unmatched.Count > 0 && message.StartsWith("Required command was not provided", StringComparison.Ordinal)))
            {
                continue; // told below, with a suggestion
            }
            if (message.StartsWith("Required command was not provided", StringComparison.Ordinal))
            {
                return "no command given.";
            }
            var missing = System.Text.RegularExpressions.Regex.Match(message, "^Required argument missing for option: '(.+)'\\.$");
            if (missing.Success)
            {
                return $"{missing.Groups[1].Value} needs a value.";
            }
            return message;
        }
        var token = unmatched.Count > 0 ? unmatched[0] : "";
        var afterSeparator = Array.IndexOf(parse.Tokens.Select(t => t.Value).ToArray(), "--") is var separator and >= 0
            && parse.Tokens.Skip(separator + 1).Any(t => t.Value == token);
        var isOption = token.StartsWith("-", StringComparison.Ordinal) && !afterSeparator;
        var candidates = isOption
            ? command.Options.Concat(parse.RootCommandResult.Command.Options.Where(o => o.Recursive)).SelectMany(o => o.Aliases.Append(o.Name))
            : command.Subcommands.Select(c => c.Name);
        var suggestion = afterSeparator ? null : Suggest(token, candidates);
        var what = isOption ? $"unknown option '{token}'" + (command is RootCommand ? "" : $" for '{command.Name}'")
            : command is RootCommand && !afterSeparator ? $"unknown command '{token}'"
            : $"unexpected argument '{token}'" + (command is RootCommand ? "" : $" for '{command.Name}'") + (afterSeparator ? " (after '--')" : "");
        return what + (suggestion is null ? "." : $"; did you mean '{suggestion}'?");
    }

    // The closest candidate within two edits (or one that starts with the token), if any.
    private static string? Suggest(string token, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates.Distinct(StringComparer.Ordinal).OrderBy(c => c, StringComparer.Ordinal))
        {
            var distance = candidate.StartsWith(token, StringComparison.Ordinal) && token.TrimStart('-').Length >= 2 ? 1 : Distance(token, candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= Math.Max(2, token.Length / 4) ? best : null;
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    private static (RootCommand Root, Option<string> Output, Option<string> Environment) CommandLine(IReadOnlyList<IStackCommand> commands, EnvironmentChoice environments)
    {
        var root = new RootCommand("A FlatRacoon stack program: render, check and deploy the stack it declares. Exit codes: 0 ok, 1 failed, 2 usage.");
        var output = new Option<string>(OutputOption)
        {
            Description = "narration as text (default) or JSON lines",
            HelpName = "text|json",
            Recursive = true,
        };
        OnlyFrom(output, new[] { "text", "json" });
        var environment = new Option<string>(EnvironmentOption)
        {
            Description = $"the environment to declare the stack for (default: {environments.Default.Name}; known: {environments.Names})",
            HelpName = "name",
            Recursive = true,
        };
        environment.CompletionSources.Add(environments.Known.Select(e => e.Name).ToArray());
        environment.Validators.Add(result =>
        {
            var name = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
            if (name is not null && environments.Find(name) is null)
            {
                result.AddError($"unknown environment '{name}'; the known ones are: {environments.Names}.");
            }
        });
        root.Options.Add(output);
        root.Options.Add(environment);
        foreach (var command in commands)
        {
            var symbol = new Command(command.Name, command.Summary);
            foreach (var positional in command.Positionals)
            {
                symbol.Arguments.Add(new Argument<string>(positional));
            }
            foreach (var option in command.Options)
            {
                symbol.Options.Add(ToSymbol(option));
            }
            root.Subcommands.Add(symbol);
        }
        return (root, output, environment);
    }

    private static Option ToSymbol(CommandOption option)
    {
        if (option.ValueName is null)
        {
            var flag = new Option<bool>(option.Name) { Description = option.Help };
            flag.Validators.Add(result =>
            {
                // A flag takes no value; `--flag=true` and `--flag=false` are the only spelled-out forms.
                if (result.Tokens.Count > 0 && result.Tokens[0].Value is not ("true" or "false"))
                {
                    result.AddError($"{option.Name} is a flag and takes no value, not '{result.Tokens[0].Value}'.");
                }
            });
            return flag;
        }
        var symbol = new Option<string>(option.Name) { Description = option.Help, HelpName = option.ValueName };
        if (option.Allowed is { Count: > 0 } allowed)
        {
            OnlyFrom(symbol, allowed);
        }
        if (option.Check is { } check)
        {
            symbol.Validators.Add(result =>
            {
                var value = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
                if (value is not null && check(value) is { } problem)
                {
                    result.AddError($"{option.Name} {problem}.");
                }
            });
        }
        return symbol;
    }

    private static void OnlyFrom(Option<string> option, IReadOnlyList<string> allowed)
    {
        option.CompletionSources.Add(allowed.ToArray());
        option.Validators.Add(result =>
        {
            var value = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
            if (value is not null && !allowed.Contains(value))
            {
                result.AddError($"{option.Name} takes {string.Join(" or ", allowed.Select(a => $"'{a}'"))}, not '{value}'.");
            }
        });
    }

    private static async Task<int> RunCommandAsync(IStackCommand command, Command symbol, ParseResult parse, Option<string> outputOption, Option<string> environmentOption,
        Func<StackEnvironment, StackBuilder> declare, StackProgramOptions options, EnvironmentChoice environments,
        TextWriter stdout, TextWriter stderr, CancellationToken cancellation, Terminal terminal)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var option in symbol.Options)
        {
            var result = parse.GetResult(option);
            if (result is null || result.Implicit)
            {
                continue;
            }
            if (option is Option<bool> flag)
            {
                if (parse.GetValue(flag))
                {
                    values[option.Name] = null;
                }
            }
            else if (option is Option<string> valued && parse.GetValue(valued) is { } value)
            {
                values[option.Name] = value;
            }
        }
        var outputFormat = parse.GetValue(outputOption) ?? "text";
        values[OutputOption] = outputFormat;
        var environmentName = parse.GetValue(environmentOption);
        var environment = environmentName is null ? environments.Default : environments.Find(environmentName)!;
        values[EnvironmentOption] = environment.Name;
        var positionals = symbol.Arguments.Select(a => parse.GetResult(a)?.Tokens.FirstOrDefault()?.Value ?? "").ToArray();
        var arguments = new ParsedArguments(values, positionals);

        StackBuilder builder;
        Stack stack;
        try
        {
            builder = declare(environment);
            stack = builder.Freeze();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ModuleConfigurationException or StackValidationException or FormatException)
        {
            stderr.WriteLine($"error: the stack could not be declared for environment '{environment.Name}': {e.Message}");
            return Failed;
        }

        var json = outputFormat == "json";
        INarrator narrator = json ? new JsonLinesNarrator(stdout)
            : terminal.Interactive ? new TerminalNarrator(terminal)
            : new TextNarrator(stdout);
        var context = new CommandContext(builder, stack, arguments, narrator, stdout, stderr, cancellation, options, terminal);
        try
        {
            // The same rules the build runs: any error (not only a broken graph) stops render, plan, apply.
            if (command.NeedsValidStack && (stack.Issues.Count > 0 || stack.Validate().Any(StackValidation.IsError)))
            {
                ValidateCommand.Report(context);
                return Failed;
            }
            return await command.RunAsync(context).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return Usage;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            stderr.WriteLine($"'{command.Name}' was interrupted.");
            return Failed;
        }
        catch (Exception e) when (e is not OperationCanceledException && System.Environment.GetEnvironmentVariable("FLATRACOON_DEBUG") != "1")
        {
            // Never a stack trace for a person: one line saying what failed (FLATRACOON_DEBUG=1 shows the trace).
            stderr.WriteLine($"error: '{command.Name}' failed: {e.Message.Split('\n')[0].TrimEnd('\r')} ({e.GetType().Name}; set FLATRACOON_DEBUG=1 for details)");
            return Failed;
        }
        finally
        {
            (narrator as IDisposable)?.Dispose();
        }
    }

    internal static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}

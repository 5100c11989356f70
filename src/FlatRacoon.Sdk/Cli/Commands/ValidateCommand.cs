using System.Collections.Generic;
using System.Threading.Tasks;
using FlatRacoon.Narration;
using static FlatRacoon.StackProgram;

namespace FlatRacoon.Cli.Commands;

/// <summary><c>validate</c>: the topology rules, the same ones the build runs.</summary>
public sealed class ValidateCommand : IStackCommand
{
    /// <inheritdoc />
    public string Name => "validate";
    /// <inheritdoc />
    public string Summary => "Check the topology: every capability provided, no cycles, no duplicates.";
    /// <inheritdoc />
    public IReadOnlyList<string> Positionals { get; } = new string[0];
    /// <inheritdoc />
    public IReadOnlyList<CommandOption> Options { get; } = new CommandOption[0];
    /// <inheritdoc />
    public bool NeedsValidStack => false;

    /// <inheritdoc />
    public Task<int> RunAsync(CommandContext context) => Task.FromResult(Report(context));

    /// <summary>Narrates every issue of the stack; returns the exit code.</summary>
    internal static int Report(CommandContext context)
    {
        var stack = context.Stack;
        foreach (var issue in stack.Issues)
        {
            context.Narrator.Narrate(new NarrationEvent("validate.issue", $"{issue.RuleId} {issue.Module}: {issue.Message}",
                new Dictionary<string, object?> { ["rule"] = issue.RuleId, ["module"] = issue.Module, ["chain"] = issue.Chain }));
        }
        if (stack.Issues.Count > 0)
        {
            context.Narrator.Narrate(new NarrationEvent("validate.done", $"Stack '{stack.Name}' is not valid: {Plural(stack.Issues.Count, "issue")}.",
                new Dictionary<string, object?> { ["valid"] = false, ["issues"] = stack.Issues.Count }));
            return Failed;
        }
        context.Narrator.Narrate(new NarrationEvent("validate.done",
            $"Stack '{stack.Name}' is valid: {Plural(stack.Modules.Length, "module")} in {Plural(stack.Waves.Length, "wave")}, every capability has a provider, no cycles.",
            new Dictionary<string, object?> { ["valid"] = true, ["modules"] = stack.Modules.Length, ["waves"] = stack.Waves.Length }));
        return Ok;
    }
}

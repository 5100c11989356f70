using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using FlatRacoon.Narration;
using Spectre.Console;
using static FlatRacoon.StackProgram;

namespace FlatRacoon.Cli.Commands;

/// <summary><c>plan</c>: server-side dry-run and field diff against the cluster (docs/commands/plan.md).</summary>
public sealed class PlanCommand : IStackCommand
{
    /// <inheritdoc />
    public string Name => "plan";
    /// <inheritdoc />
    public string Summary => "Show what apply would change: a server-side dry-run and a field-level diff against the cluster.";
    /// <inheritdoc />
    public IReadOnlyList<string> Positionals { get; } = new string[0];
    /// <inheritdoc />
    public IReadOnlyList<CommandOption> Options { get; } = ClusterCommandSupport.Connection.Append(ClusterCommandSupport.ForceConflicts).ToArray();
    /// <inheritdoc />
    public bool NeedsValidStack => true;

    /// <inheritdoc />
    public Task<int> RunAsync(CommandContext context) => ClusterCommandSupport.RunAsync(context, async deployer =>
    {
        var plan = await deployer.PlanAsync(ClusterCommandSupport.Render(context), context.Cancellation).ConfigureAwait(false);
        if (context.Json)
        {
            context.Narrator.Narrate(new NarrationEvent("plan.result", $"Plan: {plan.Summary}.", new Dictionary<string, object?> { ["plan"] = plan.ToJson() }));
        }
        else if (context.Interactive)
        {
            WriteInColour(context.Terminal, plan.ToText());
        }
        else
        {
            context.Output.Write(plan.ToText());
        }
        return Ok;
    });

    /// <summary>The plan text with <c>+</c> green, <c>~</c> yellow, <c>-</c> and conflicts red (the colours of a diff).</summary>
    internal static void WriteInColour(Terminal terminal, string planText)
    {
        foreach (var line in planText.TrimEnd('\n').Split('\n'))
        {
            var body = line.TrimStart(' ');
            var indent = line[..(line.Length - body.Length)];
            var colour = body.StartsWith("+ ", System.StringComparison.Ordinal) ? "green"
                : body.StartsWith("~ ", System.StringComparison.Ordinal) ? "yellow"
                : body.StartsWith("- ", System.StringComparison.Ordinal) || body.StartsWith("! ", System.StringComparison.Ordinal) ? "red"
                : indent.Length == 0 ? "bold" : null;
            var escaped = Spectre.Console.Markup.Escape(body);
            terminal.Console.MarkupLine(colour is null ? indent + escaped : $"{indent}[{colour}]{escaped}[/]");
        }
    }
}

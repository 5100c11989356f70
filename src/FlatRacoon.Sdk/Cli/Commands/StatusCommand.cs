using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using FlatRacoon.Deployment;
using Spectre.Console;
using static FlatRacoon.StackProgram;

namespace FlatRacoon.Cli.Commands;

/// <summary><c>status</c>: the stack's revision and each object's presence and readiness (docs/commands/status.md).</summary>
public sealed class StatusCommand : IStackCommand
{
    /// <inheritdoc />
    public string Name => "status";
    /// <inheritdoc />
    public string Summary => "Show the stack's current revision and whether each object is present and ready.";
    /// <inheritdoc />
    public IReadOnlyList<string> Positionals { get; } = new string[0];
    /// <inheritdoc />
    public IReadOnlyList<CommandOption> Options { get; } = ClusterCommandSupport.Connection.ToArray();
    /// <inheritdoc />
    public bool NeedsValidStack => true;

    /// <inheritdoc />
    public Task<int> RunAsync(CommandContext context)
    {
        // On a terminal the objects show as a table instead of one narrated line each.
        var narrator = context.Interactive ? new FilteringNarrator(context.Narrator, e => e.Step != "status.object") : null;
        return ClusterCommandSupport.RunAsync(context, async deployer =>
        {
            var (_, objects) = await deployer.StatusAsync(ClusterCommandSupport.Render(context), context.Cancellation).ConfigureAwait(false);
            if (context.Interactive)
            {
                var table = new Table().Border(TableBorder.Rounded).AddColumn("Object").AddColumn("State").AddColumn("Detail");
                foreach (var o in objects)
                {
                    var state = !o.Present ? "[red]missing[/]"
                        : o.State == ReadinessState.Ready ? "[green]ready[/]"
                        : $"[yellow]{Markup.Escape(o.State.ToString().ToLowerInvariant())}[/]";
                    table.AddRow(Markup.Escape(o.Object), state, Markup.Escape(o.Message));
                }
                context.Terminal.Console.Write(table);
            }
            return objects.All(o => o.Present && o.State == ReadinessState.Ready) ? Ok : Failed;
        }, narrator);
    }
}

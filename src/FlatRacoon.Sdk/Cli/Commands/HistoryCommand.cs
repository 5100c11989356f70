using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using FlatRacoon.Narration;
using Spectre.Console;
using static FlatRacoon.StackProgram;

namespace FlatRacoon.Cli.Commands;

/// <summary><c>history</c>: the revisions recorded in the cluster (docs/commands/history.md).</summary>
public sealed class HistoryCommand : IStackCommand
{
    /// <inheritdoc />
    public string Name => "history";
    /// <inheritdoc />
    public string Summary => "List the stack's revisions recorded in the cluster.";
    /// <inheritdoc />
    public IReadOnlyList<string> Positionals { get; } = new string[0];
    /// <inheritdoc />
    public IReadOnlyList<CommandOption> Options { get; } = ClusterCommandSupport.Connection.ToArray();
    /// <inheritdoc />
    public bool NeedsValidStack => false;

    /// <inheritdoc />
    public Task<int> RunAsync(CommandContext context) => ClusterCommandSupport.RunAsync(context, async deployer =>
    {
        var history = await deployer.HistoryAsync(context.Stack.Name, context.Cancellation).ConfigureAwait(false);
        context.Narrator.Narrate(new NarrationEvent("history.summary", history.Count == 0
            ? $"Stack '{context.Stack.Name}' has no revisions."
            : $"Stack '{context.Stack.Name}': {Plural(history.Count, "revision")}, newest last.", new Dictionary<string, object?> { ["revisions"] = history.Count }));
        if (context.Interactive && history.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn(new TableColumn("Rev").RightAligned()).AddColumn("Time").AddColumn("User").AddColumn("Description").AddColumn("Summary").AddColumn("Hash");
            foreach (var r in history)
            {
                var current = r == history.Last();
                table.AddRow(
                    current ? $"[green]{r.Number}[/]" : r.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Markup.Escape(r.Time), Markup.Escape(r.User), Markup.Escape(r.Description),
                    Markup.Escape(r.Summary) + (current ? " [green](current)[/]" : ""), Markup.Escape(r.Hash[..Min(19, r.Hash.Length)]));
            }
            context.Terminal.Console.Write(table);
            return Ok;
        }
        foreach (var r in history)
        {
            var current = r == history.Last() ? " (current)" : "";
            context.Narrator.Narrate(new NarrationEvent("history.revision", $"  {r.Number,3}  {r.Time}  {r.User,-12} {r.Description,-16} {r.Summary}  {r.Hash[..Min(19, r.Hash.Length)]}{current}",
                new Dictionary<string, object?>
                {
                    ["revision"] = r.Number, ["time"] = r.Time, ["user"] = r.User, ["description"] = r.Description,
                    ["summary"] = r.Summary, ["hash"] = r.Hash, ["current"] = current.Length > 0,
                }));
        }
        return Ok;
    });

    private static int Min(int a, int b) => a < b ? a : b;
}

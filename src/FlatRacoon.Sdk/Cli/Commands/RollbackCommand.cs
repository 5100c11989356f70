using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using static FlatRacoon.StackProgram;

namespace FlatRacoon.Cli.Commands;

/// <summary><c>rollback [--to N]</c>: re-apply a stored revision (docs/commands/rollback.md).</summary>
public sealed class RollbackCommand : IStackCommand
{
    /// <inheritdoc />
    public string Name => "rollback";
    /// <inheritdoc />
    public string Summary => "Re-apply a stored revision (default: the one before the current) and record it as a new revision.";
    /// <inheritdoc />
    public IReadOnlyList<string> Positionals { get; } = new string[0];
    /// <inheritdoc />
    public IReadOnlyList<CommandOption> Options { get; } = ClusterCommandSupport.Connection.Concat(new[]
    {
        CommandOption.PositiveNumber("--to", "N", "the revision to return to (see 'history')"),
        ClusterCommandSupport.ForceConflicts, ClusterCommandSupport.Timeout, ClusterCommandSupport.Parallelism, ClusterCommandSupport.PollInterval,
        ClusterCommandSupport.HistoryMax,
    }).ToArray();
    /// <inheritdoc />
    public bool NeedsValidStack => false;

    /// <inheritdoc />
    public Task<int> RunAsync(CommandContext context) => ClusterCommandSupport.RunAsync(context, async deployer =>
    {
        await deployer.RollbackAsync(context.Stack.Name, ClusterCommandSupport.Number(context, "--to"), context.Cancellation).ConfigureAwait(false);
        return Ok;
    });
}

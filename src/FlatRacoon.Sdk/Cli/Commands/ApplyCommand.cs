using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using static FlatRacoon.StackProgram;

namespace FlatRacoon.Cli.Commands;

/// <summary><c>apply</c>: server-side apply wave by wave, readiness waits, prune, a recorded revision (docs/commands/apply.md).</summary>
public sealed class ApplyCommand : IStackCommand
{
    /// <inheritdoc />
    public string Name => "apply";
    /// <inheritdoc />
    public string Summary => "Apply the stack wave by wave, wait for readiness, prune what left it, record a revision.";
    /// <inheritdoc />
    public IReadOnlyList<string> Positionals { get; } = new string[0];
    /// <inheritdoc />
    public IReadOnlyList<CommandOption> Options { get; } = ClusterCommandSupport.Connection.Concat(new[]
    {
        ClusterCommandSupport.Atomic, ClusterCommandSupport.ForceConflicts, ClusterCommandSupport.Timeout,
        ClusterCommandSupport.Parallelism, ClusterCommandSupport.PollInterval, ClusterCommandSupport.HistoryMax,
    }).ToArray();
    /// <inheritdoc />
    public bool NeedsValidStack => true;

    /// <inheritdoc />
    public Task<int> RunAsync(CommandContext context) => ClusterCommandSupport.RunAsync(context, async deployer =>
    {
        await deployer.ApplyAsync(ClusterCommandSupport.Render(context), context.Cancellation).ConfigureAwait(false);
        return Ok;
    });
}

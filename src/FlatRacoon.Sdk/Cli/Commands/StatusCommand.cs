using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using FlatRacoon.Deployment;
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
    public Task<int> RunAsync(CommandContext context) => ClusterCommandSupport.RunAsync(context, async deployer =>
    {
        var (_, objects) = await deployer.StatusAsync(ClusterCommandSupport.Render(context), context.Cancellation).ConfigureAwait(false);
        return objects.All(o => o.Present && o.State == ReadinessState.Ready) ? Ok : Failed;
    });
}

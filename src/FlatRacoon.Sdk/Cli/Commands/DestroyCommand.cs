using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using static FlatRacoon.StackProgram;

namespace FlatRacoon.Cli.Commands;

/// <summary><c>destroy</c>: delete the stack's objects in reverse wave order (docs/commands/destroy.md).</summary>
public sealed class DestroyCommand : IStackCommand
{
    /// <inheritdoc />
    public string Name => "destroy";
    /// <inheritdoc />
    public string Summary => "Delete every object of the stack's ApplySet in reverse wave order, each wave gone before the next, then its parent and history.";
    /// <inheritdoc />
    public IReadOnlyList<string> Positionals { get; } = new string[0];
    /// <inheritdoc />
    public IReadOnlyList<CommandOption> Options { get; } = ClusterCommandSupport.Connection.Concat(new[]
    {
        new CommandOption("--yes", null, "confirm: destroy is refused without it"),
        CommandOption.PositiveNumber("--timeout", "seconds", "time each wave's objects may take to be gone (default 300)"),
        ClusterCommandSupport.Parallelism, ClusterCommandSupport.PollInterval,
    }).ToArray();
    /// <inheritdoc />
    public bool NeedsValidStack => true;

    /// <inheritdoc />
    public Task<int> RunAsync(CommandContext context)
    {
        if (!context.Arguments.Flag("--yes"))
        {
            context.Error.WriteLine($"error: destroy deletes every object of stack '{context.Stack.Name}'; run it again with --yes to confirm.");
            return Task.FromResult(Usage);
        }
        return ClusterCommandSupport.RunAsync(context, async deployer =>
        {
            await deployer.DestroyAsync(ClusterCommandSupport.Render(context), context.Cancellation).ConfigureAwait(false);
            return Ok;
        });
    }
}

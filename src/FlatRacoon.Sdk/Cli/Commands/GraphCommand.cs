using System.Collections.Generic;
using System.Threading.Tasks;
using static FlatRacoon.StackProgram;

namespace FlatRacoon.Cli.Commands;

/// <summary><c>graph</c>: waves and dependencies, as text or Graphviz.</summary>
public sealed class GraphCommand : IStackCommand
{
    /// <inheritdoc />
    public string Name => "graph";
    /// <inheritdoc />
    public string Summary => "Print the deployment waves and dependencies.";
    /// <inheritdoc />
    public IReadOnlyList<string> Positionals { get; } = new string[0];
    /// <inheritdoc />
    public IReadOnlyList<CommandOption> Options { get; } = new[] { new CommandOption("--format", "text|dot", "plain text (default) or a Graphviz digraph", new[] { "text", "dot" }) };
    /// <inheritdoc />
    public bool NeedsValidStack => true;

    /// <inheritdoc />
    public Task<int> RunAsync(CommandContext context)
    {
        var stack = context.Stack;
        var stdout = context.Output;
        if (context.Arguments.Value("--format") == "dot")
        {
            stdout.WriteLine($"digraph \"{stack.Name}\" {{");
            stdout.WriteLine("  rankdir=BT;");
            foreach (var module in stack.Graph.Modules)
            {
                stdout.WriteLine($"  \"{module}\" [label=\"{module}\\nwave {stack.Graph.WaveOf(module) + 1}\"];");
                foreach (var dependency in stack.Graph.DependenciesOf(module))
                {
                    stdout.WriteLine($"  \"{module}\" -> \"{dependency}\";");
                }
            }
            stdout.WriteLine("}");
            return Task.FromResult(Ok);
        }
        for (var w = 0; w < stack.Waves.Length; w++)
        {
            stdout.WriteLine($"wave {w + 1}:");
            foreach (var module in stack.Waves[w])
            {
                var deps = stack.Graph.DependenciesOf(module.Name);
                stdout.WriteLine(deps.Count == 0 ? $"  {module.Name}" : $"  {module.Name} <- {string.Join(", ", deps)}");
            }
        }
        return Task.FromResult(Ok);
    }
}

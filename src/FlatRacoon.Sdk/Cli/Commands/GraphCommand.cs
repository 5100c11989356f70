using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using static FlatRacoon.StackProgram;

namespace FlatRacoon.Cli.Commands;

/// <summary>
/// <c>graph</c>: the modules grouped by layer, their waves, and each dependency labelled with what
/// it is for (the capability, the binding role, or an explicit wait), as text, Graphviz dot,
/// Mermaid or JSON (docs/commands/graph.md).
/// </summary>
public sealed class GraphCommand : IStackCommand
{
    /// <inheritdoc />
    public string Name => "graph";
    /// <inheritdoc />
    public string Summary => "Print the modules by layer, their waves and labelled dependencies (text, dot, mermaid or json).";
    /// <inheritdoc />
    public IReadOnlyList<string> Positionals { get; } = new string[0];
    /// <inheritdoc />
    public IReadOnlyList<CommandOption> Options { get; } = new[]
    {
        new CommandOption("--format", "text|dot|mermaid|json", "plain text (default), a Graphviz digraph, a Mermaid flowchart, or JSON (also with --output json)", new[] { "text", "dot", "mermaid", "json" }),
    };
    /// <inheritdoc />
    public bool NeedsValidStack => true;

    /// <summary>One dependency: <paramref name="From"/> needs <paramref name="To"/> for the reasons in <paramref name="Labels"/>.</summary>
    internal sealed record Edge(string From, string To, IReadOnlyList<string> Labels)
    {
        public string Label => string.Join(", ", Labels);
    }

    /// <inheritdoc />
    public Task<int> RunAsync(CommandContext context)
    {
        var stack = context.Stack;
        var format = context.Arguments.Value("--format") ?? (context.Json ? "json" : "text");
        var output = context.Output;
        var edges = Edges(stack);
        var layers = stack.Modules
            .GroupBy(m => m.Descriptor.Layer)
            .OrderBy(g => g.Key)
            .Select(g => (Layer: g.Key.ToString().ToLowerInvariant(), Modules: g.OrderBy(m => m.Name, StringComparer.Ordinal).ToArray()))
            .ToArray();
        int Wave(string module) => stack.WaveOf(module) + 1;
        switch (format)
        {
            case "dot":
                output.WriteLine($"digraph \"{stack.Name}\" {{");
                output.WriteLine("  rankdir=BT;");
                output.WriteLine("  node [shape=box];");
                foreach (var (layer, modules) in layers)
                {
                    output.WriteLine($"  subgraph \"cluster_{layer}\" {{");
                    output.WriteLine($"    label=\"{layer}\";");
                    foreach (var module in modules)
                    {
                        output.WriteLine($"    \"{module.Name}\" [label=\"{module.Name}\\nwave {Wave(module.Name)}\"];");
                    }
                    output.WriteLine("  }");
                }
                foreach (var edge in edges)
                {
                    output.WriteLine($"  \"{edge.From}\" -> \"{edge.To}\" [label=\"{edge.Label}\"];");
                }
                output.WriteLine("}");
                break;
            case "mermaid":
                output.WriteLine("flowchart BT");
                foreach (var (layer, modules) in layers)
                {
                    output.WriteLine($"  subgraph {layer}");
                    foreach (var module in modules)
                    {
                        output.WriteLine($"    {Id(module.Name)}[\"{module.Name}<br/>wave {Wave(module.Name)}\"]");
                    }
                    output.WriteLine("  end");
                }
                foreach (var edge in edges)
                {
                    output.WriteLine($"  {Id(edge.From)} -->|{edge.Label}| {Id(edge.To)}");
                }
                break;
            case "json":
                var json = new
                {
                    stack = stack.Name,
                    environment = stack.Environment.Name,
                    layers = layers.Select(l => new { layer = l.Layer, modules = l.Modules.Select(m => m.Name).ToArray() }).ToArray(),
                    waves = stack.Waves.Select((w, i) => new { wave = i + 1, modules = w.Select(m => m.Name).ToArray() }).ToArray(),
                    edges = edges.Select(e => new { from = e.From, to = e.To, labels = e.Labels }).ToArray(),
                };
                output.WriteLine(JsonSerializer.Serialize(json, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
                break;
            default:
                foreach (var (layer, modules) in layers)
                {
                    output.WriteLine($"{layer}:");
                    foreach (var module in modules)
                    {
                        var needs = edges.Where(e => e.From == module.Name).Select(e => $"{e.To} ({e.Label})").ToArray();
                        output.WriteLine($"  {module.Name} [wave {Wave(module.Name)}]" + (needs.Length == 0 ? "" : " <- " + string.Join(", ", needs)));
                    }
                }
                break;
        }
        return Task.FromResult(Ok);
    }

    /// <summary>Every dependency of the stack, labelled with the capabilities, bindings and waits behind it.</summary>
    internal static IReadOnlyList<Edge> Edges(Stack stack)
    {
        var edges = new List<Edge>();
        foreach (var module in stack.Modules.OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            foreach (var dependency in stack.DependenciesOf(module.Name).OrderBy(d => d, StringComparer.Ordinal))
            {
                var labels = module.Descriptor.Requires.Where(c => stack.ProvidersOf(c).Contains(dependency)).ToList();
                labels.AddRange(module.Bindings.Where(b => b.Value == dependency).Select(b => $"{b.Key} binding"));
                if (labels.Count == 0 && module.ExplicitDependencies.Contains(dependency))
                {
                    labels.Add("waits for"); // WaitFor alone; a binding or capability already says why
                }
                edges.Add(new Edge(module.Name, dependency, labels.Count == 0 ? new[] { "depends on" } : labels.Distinct(StringComparer.Ordinal).ToArray()));
            }
        }
        return edges;
    }

    private static string Id(string module) => module.Replace('-', '_');
}

using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using FlatRacoon.Narration;
using static FlatRacoon.StackProgram;

namespace FlatRacoon.Cli.Commands;

/// <summary><c>explain</c>: the stack in plain words.</summary>
public sealed class ExplainCommand : IStackCommand
{
    /// <inheritdoc />
    public string Name => "explain";
    /// <inheritdoc />
    public string Summary => "Narrate the stack in plain words.";
    /// <inheritdoc />
    public IReadOnlyList<string> Positionals { get; } = new string[0];
    /// <inheritdoc />
    public IReadOnlyList<CommandOption> Options { get; } = new CommandOption[0];
    /// <inheritdoc />
    public bool NeedsValidStack => true;

    /// <inheritdoc />
    public Task<int> RunAsync(CommandContext context)
    {
        var stack = context.Stack;
        context.Narrator.Narrate(new NarrationEvent("explain.stack",
            $"Stack '{stack.Name}' runs {Plural(stack.Modules.Length, "module")} for environment '{stack.Environment.Name}'"
            + (stack.Environment.Ipv6Only ? ", IPv6 only" : "")
            + (stack.Environment.SitePrefix is { } prefix ? $" on site prefix {prefix}" : "") + "."));
        for (var w = 0; w < stack.Waves.Length; w++)
        {
            context.Narrator.Narrate(new NarrationEvent("explain.wave", $"Wave {w + 1} deploys {string.Join(", ", stack.Waves[w].Select(m => m.Name))}."));
            foreach (var module in stack.Waves[w])
            {
                context.Narrator.Narrate(new NarrationEvent("explain.module", "  " + Describe(stack, module),
                    new Dictionary<string, object?> { ["module"] = module.Name, ["wave"] = w + 1 }));
            }
        }
        return Task.FromResult(Ok);
    }

    private static string Describe(Stack stack, ModuleInstance module)
    {
        var d = module.Descriptor;
        var parts = new List<string> { $"{d.Name} {d.Version} ({d.Layer.ToString().ToLowerInvariant()} layer)" + (d.Description is { } text ? $": {text.TrimEnd('.')}." : ".") };
        var needs = d.Requires
            .Select(c => stack.ProvidersOf(c) is { Count: > 0 } p ? $"{c} from {string.Join(" and ", p)}" : $"{c} from the cluster")
            .ToArray();
        if (needs.Length > 0)
        {
            parts.Add($"It needs {string.Join(", ", needs)}.");
        }
        if (d.Provides.Length > 0)
        {
            parts.Add($"It provides {string.Join(", ", d.Provides)}.");
        }
        parts.Add($"It runs as a {d.Workload} in namespace {module.Namespace}"
            + (d.HealthEndpoint is { } h ? $", health on {h}" : "")
            + (d.MetricsEndpoint is { } m ? $", metrics on {m}" : "") + ".");
        return string.Join(" ", parts);
    }
}

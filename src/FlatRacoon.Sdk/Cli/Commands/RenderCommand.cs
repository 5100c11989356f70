using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using FlatRacoon.Narration;
using FlatRacoon.Rendering;
using static FlatRacoon.StackProgram;

namespace FlatRacoon.Cli.Commands;

/// <summary><c>render</c>: the GitOps directory (docs/commands/render.md).</summary>
public sealed class RenderCommand : IStackCommand
{
    /// <inheritdoc />
    public string Name => "render";
    /// <inheritdoc />
    public string Summary => "Render the stack to a GitOps directory (one YAML file per module, kustomization.yaml).";
    /// <inheritdoc />
    public IReadOnlyList<string> Positionals { get; } = new string[0];
    /// <inheritdoc />
    public IReadOnlyList<CommandOption> Options { get; } = new[]
    {
        CommandOption.OutputDirectory("--out", "dir", "output directory (default: ./out/<stack>)"),
        new CommandOption("--force", null, "write into a non-empty directory FlatRacoon did not render (never prunes it)"),
    };
    /// <inheritdoc />
    public bool NeedsValidStack => true;

    /// <inheritdoc />
    public Task<int> RunAsync(CommandContext context)
    {
        var stack = context.Stack;
        var narrator = context.Narrator;
        var watch = Stopwatch.StartNew();
        var set = context.Render();
        var directory = context.Arguments.Value("--out") ?? Path.Combine("out", stack.Name);
        WriteResult result;
        try
        {
            result = GitOpsWriter.Write(set, directory, context.Arguments.Flag("--force"));
        }
        catch (System.Exception e) when (e is RenderOutputException or IOException or System.UnauthorizedAccessException)
        {
            context.Error.WriteLine($"error: {e.Message}");
            return Task.FromResult(Failed);
        }
        watch.Stop();

        narrator.Narrate(new NarrationEvent("render.stack",
            $"Rendered stack '{stack.Name}' for environment '{stack.Environment.Name}': {Plural(stack.Modules.Length, "module")} in {Plural(stack.Waves.Length, "wave")}, {Plural(set.Objects.Length, "object")}, {Plural(set.Artifacts.Length, "artifact")}.",
            new Dictionary<string, object?> { ["stack"] = stack.Name, ["environment"] = stack.Environment.Name, ["modules"] = stack.Modules.Length, ["objects"] = set.Objects.Length, ["artifacts"] = set.Artifacts.Length }));
        var prelude = set.Objects.Count(o => o.Wave == 0);
        narrator.Narrate(new NarrationEvent("render.wave", $"  wave 0: namespaces and the ApplySet parent ({Plural(prelude, "object")})",
            new Dictionary<string, object?> { ["wave"] = 0, ["objects"] = prelude }));
        for (var w = 0; w < stack.Waves.Length; w++)
        {
            var names = stack.Waves[w].Select(m => m.Name).ToArray();
            var count = set.Objects.Count(o => o.Wave == w + 1);
            narrator.Narrate(new NarrationEvent("render.wave", $"  wave {w + 1}: {string.Join(", ", names)} ({Plural(count, "object")})",
                new Dictionary<string, object?> { ["wave"] = w + 1, ["modules"] = names, ["objects"] = count }));
        }
        narrator.Narrate(new NarrationEvent("render.done",
            $"Wrote {result.Directory}: {Plural(result.Written.Count, "file")} written, {result.Unchanged.Count} unchanged, {result.Deleted.Count} deleted, in {watch.ElapsedMilliseconds} ms.",
            new Dictionary<string, object?> { ["directory"] = result.Directory, ["written"] = result.Written.Count, ["unchanged"] = result.Unchanged.Count, ["deleted"] = result.Deleted.Count, ["elapsed_ms"] = watch.ElapsedMilliseconds }));
        return Task.FromResult(Ok);
    }
}

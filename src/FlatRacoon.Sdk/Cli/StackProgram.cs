using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using FlatRacoon.Narration;
using FlatRacoon.Rendering;

namespace FlatRacoon;

/// <summary>
/// The commands of a stack program: the stack project is the program (as with Pulumi programs
/// and Aspire app hosts), so no separate tool has to load user assemblies.
/// <code>return await stack.RunAsync(args);</code>
/// </summary>
public static class StackProgram
{
    /// <summary>Exit code: success.</summary>
    public const int Ok = 0;
    /// <summary>Exit code: the stack (or its output directory) has a problem.</summary>
    public const int Failed = 1;
    /// <summary>Exit code: bad arguments.</summary>
    public const int Usage = 2;

    /// <summary>Runs the command named by <paramref name="args"/> on the console.</summary>
    public static Task<int> RunAsync(this StackBuilder builder, string[] args) =>
        RunAsync(builder, args, Console.Out, Console.Error);

    /// <summary>Runs the command named by <paramref name="args"/>, writing to the given writers.</summary>
    public static Task<int> RunAsync(this StackBuilder builder, string[] args, TextWriter stdout, TextWriter stderr)
    {
        CommandLine command;
        try
        {
            command = CommandLine.Parse(args);
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            stderr.WriteLine();
            stderr.Write(UsageText(builder.Name));
            return Task.FromResult(Usage);
        }

        if (command.Name == "help")
        {
            stdout.Write(UsageText(builder.Name));
            return Task.FromResult(Ok);
        }

        INarrator narrator = command.Json ? new JsonLinesNarrator(stdout) : new TextNarrator(stdout);
        var stack = builder.Freeze();
        if (command.Name == "validate")
        {
            return Task.FromResult(Validate(stack, narrator));
        }
        if (stack.Issues.Count > 0)
        {
            Validate(stack, narrator);
            return Task.FromResult(Failed);
        }
        try
        {
            return Task.FromResult(command.Name switch
            {
                "render" => Render(stack, command, narrator),
                "graph" => Graph(stack, command, stdout),
                "explain" => Explain(stack, narrator),
                _ => throw new UnreachableException(),
            });
        }
        catch (RenderOutputException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return Task.FromResult(Failed);
        }
    }

    private static int Validate(Stack stack, INarrator narrator)
    {
        foreach (var issue in stack.Issues)
        {
            narrator.Narrate(new NarrationEvent("validate.issue", $"{issue.RuleId} {issue.Module}: {issue.Message}",
                new Dictionary<string, object?> { ["rule"] = issue.RuleId, ["module"] = issue.Module, ["chain"] = issue.Chain }));
        }
        if (stack.Issues.Count > 0)
        {
            narrator.Narrate(new NarrationEvent("validate.done", $"Stack '{stack.Name}' is not valid: {Plural(stack.Issues.Count, "issue")}.",
                new Dictionary<string, object?> { ["valid"] = false, ["issues"] = stack.Issues.Count }));
            return Failed;
        }
        narrator.Narrate(new NarrationEvent("validate.done",
            $"Stack '{stack.Name}' is valid: {Plural(stack.Modules.Length, "module")} in {Plural(stack.Waves.Length, "wave")}, every capability has a provider, no cycles.",
            new Dictionary<string, object?> { ["valid"] = true, ["modules"] = stack.Modules.Length, ["waves"] = stack.Waves.Length }));
        return Ok;
    }

    private static int Render(Stack stack, CommandLine command, INarrator narrator)
    {
        var watch = Stopwatch.StartNew();
        var set = StackRenderer.Render(stack);
        var directory = command.Out ?? Path.Combine("out", stack.Name);
        var result = GitOpsWriter.Write(set, directory, command.Force);
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
        return Ok;
    }

    private static int Graph(Stack stack, CommandLine command, TextWriter stdout)
    {
        if (command.Format == "dot")
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
            return Ok;
        }
        for (var w = 0; w < stack.Waves.Length; w++)
        {
            stdout.WriteLine($"wave {w + 1}:");
            foreach (var module in stack.Waves[w])
            {
                var deps = stack.Graph.DependenciesOf(module.Name);
                stdout.WriteLine(deps.Count == 0
                    ? $"  {module.Name}"
                    : $"  {module.Name} <- {string.Join(", ", deps)}");
            }
        }
        return Ok;
    }

    private static int Explain(Stack stack, INarrator narrator)
    {
        narrator.Narrate(new NarrationEvent("explain.stack",
            $"Stack '{stack.Name}' runs {Plural(stack.Modules.Length, "module")} for environment '{stack.Environment.Name}'"
            + (stack.Environment.Ipv6Only ? ", IPv6 only" : "")
            + (stack.Environment.SitePrefix is { } prefix ? $" on site prefix {prefix}" : "") + "."));
        for (var w = 0; w < stack.Waves.Length; w++)
        {
            narrator.Narrate(new NarrationEvent("explain.wave", $"Wave {w + 1} deploys {string.Join(", ", stack.Waves[w].Select(m => m.Name))}."));
            foreach (var module in stack.Waves[w])
            {
                narrator.Narrate(new NarrationEvent("explain.module", "  " + Describe(stack, module),
                    new Dictionary<string, object?> { ["module"] = module.Name, ["wave"] = w + 1 }));
            }
        }
        return Ok;
    }

    private static string Describe(Stack stack, ModuleInstance module)
    {
        var d = module.Descriptor;
        var parts = new List<string> { $"{d.Name} {d.Version} ({d.Layer.ToString().ToLowerInvariant()} layer)" + (d.Description is { } text ? $": {text.TrimEnd('.')}." : ".") };
        var needs = d.Requires
            .Select(c => stack.Graph.ProvidersOf(c) is { Count: > 0 } p ? $"{c} from {string.Join(" and ", p)}" : $"{c} from the cluster")
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

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    /// <summary>The usage text.</summary>
    public static string UsageText(string stackName) =>
        $$"""
        Usage: <stack program> <command> [options]

        Stack '{{stackName}}'. Commands:
          render     Render the stack to a GitOps directory (one YAML file per object, kustomization.yaml).
                       --out <dir>      output directory (default: ./out/{{stackName}})
                       --force          write into a non-empty directory FlatRacoon did not render (never prunes it)
          validate   Check the topology: every capability provided, no cycles, no duplicates.
          graph      Print the deployment waves and dependencies.
                       --format text|dot
          explain    Narrate the stack in plain words.
          help       Show this text.

        Options for every command:
          --output text|json   narration as text (default) or JSON lines

        """.Replace("\r\n", "\n", StringComparison.Ordinal);

    private sealed class UsageException : Exception
    {
        public UsageException(string message) : base(message) { }
    }

    private sealed record CommandLine(string Name, string? Out, bool Force, bool Json, string Format)
    {
        private static readonly string[] Commands = { "render", "validate", "graph", "explain", "help" };

        public static CommandLine Parse(string[] args)
        {
            if (args.Length == 0)
            {
                throw new UsageException("no command given.");
            }
            var name = args[0] switch
            {
                "--help" or "-h" => "help",
                var c when Commands.Contains(c) => c,
                var c => throw new UsageException($"unknown command '{c}'."),
            };
            string? outDir = null;
            var force = false;
            var json = false;
            var format = "text";
            for (var i = 1; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--out" when name == "render":
                        outDir = Value(args, ref i);
                        break;
                    case "--force" when name == "render":
                        force = true;
                        break;
                    case "--output":
                        json = Value(args, ref i) switch
                        {
                            "json" => true,
                            "text" => false,
                            var v => throw new UsageException($"--output takes 'text' or 'json', not '{v}'."),
                        };
                        break;
                    case "--format" when name == "graph":
                        format = Value(args, ref i) is "text" or "dot" ? args[i] : throw new UsageException($"--format takes 'text' or 'dot', not '{args[i]}'.");
                        break;
                    case "--help" or "-h":
                        return new CommandLine("help", null, false, false, "text");
                    default:
                        throw new UsageException($"unknown option '{args[i]}' for '{name}'.");
                }
            }
            return new CommandLine(name, outDir, force, json, format);
        }

        private static string Value(string[] args, ref int i)
        {
            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"{args[i]} needs a value.");
            }
            return args[++i];
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;

namespace FlatRacoon.Testing;

/// <summary>
/// Assertions about a team's stack program, for any test framework: each throws
/// <see cref="FlatRacoonTestException"/> with a readable message when the expectation fails.
/// </summary>
public static class StackAssert
{
    /// <summary>
    /// The stack is valid for <paramref name="environment"/> (null: the program's default): the
    /// program's <c>validate</c> command exits 0. Otherwise the message lists every finding it printed.
    /// </summary>
    public static async Task IsValidAsync(TestStack stack, string? environment = null)
    {
        var run = await (stack ?? throw new ArgumentNullException(nameof(stack))).RunAsync(TestStack.WithEnvironment(new[] { "validate" }, environment)).ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            var findings = (run.Output + "\n" + run.Error).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
            throw new FlatRacoonTestException($"the stack is not valid{TestStack.For(environment)} (exit code {run.ExitCode}):\n  " + string.Join("\n  ", findings));
        }
    }

    /// <summary>The stack renders for <paramref name="environment"/>; returns the rendered folder (a new temporary one).</summary>
    public static Task<string> RendersAsync(TestStack stack, string? environment = null) =>
        (stack ?? throw new ArgumentNullException(nameof(stack))).RenderAsync(environment);

    /// <summary>
    /// No file under <paramref name="directory"/> (a rendered folder) contains any of
    /// <paramref name="secretValues"/> — the values the test's secret references resolve to. The
    /// message names the file, the line and which value (by position and length), never the value itself.
    /// </summary>
    public static void NoSecretValues(string directory, IEnumerable<string> secretValues)
    {
        if (!Directory.Exists(directory))
        {
            throw new FlatRacoonTestException($"the rendered folder '{directory}' does not exist.");
        }
        var values = (secretValues ?? throw new ArgumentNullException(nameof(secretValues))).ToArray();
        if (values.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("A secret value to look for must not be empty.", nameof(secretValues));
        }
        var found = new List<string>();
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(directory, file).Replace('\\', '/');
            var text = File.ReadAllText(file, Encoding.UTF8);
            for (var v = 0; v < values.Length; v++)
            {
                // Also the base64 form a Secret's data would carry.
                foreach (var (form, needle) in new[] { ("", values[v]), (" (base64)", Convert.ToBase64String(Encoding.UTF8.GetBytes(values[v]))) })
                {
                    var at = text.IndexOf(needle, StringComparison.Ordinal);
                    if (at >= 0)
                    {
                        var line = text.AsSpan(0, at).Count('\n') + 1;
                        found.Add($"{relative} line {line}: secret value #{v + 1} ({values[v].Length} characters){form}");
                    }
                }
            }
        }
        if (found.Count > 0)
        {
            throw new FlatRacoonTestException("secret values appear in the rendered output (they must stay references, resolved only at apply time):\n  " + string.Join("\n  ", found));
        }
    }

    /// <summary>
    /// Applies the stack to <paramref name="cluster"/>, then plans it again: the plan must be empty
    /// (nothing to create, update or delete) — what the engine wrote is what the stack declares,
    /// and nothing the cluster does on its own (defaults, status) reads as a change. The message lists the changes.
    /// </summary>
    public static async Task PlanIsEmptyAfterApplyAsync(FakeCluster cluster, TestStack stack, string? environment = null)
    {
        if (cluster is null)
        {
            throw new ArgumentNullException(nameof(cluster));
        }
        await cluster.ApplyAsync(stack, environment).ConfigureAwait(false);
        var plan = await cluster.PlanAsync(stack, environment).ConfigureAwait(false);
        if (!plan.IsEmpty)
        {
            throw new FlatRacoonTestException($"after apply{TestStack.For(environment)} the plan is not empty: {plan}.");
        }
    }
}

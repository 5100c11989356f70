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
        var values = Checked(secretValues);
        var found = new List<string>();
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
        {
            Find(Path.GetRelativePath(directory, file).Replace('\\', '/'), File.ReadAllText(file, Encoding.UTF8), values, found);
        }
        if (found.Count > 0)
        {
            throw new FlatRacoonTestException("secret values appear in the rendered output (they must stay references, resolved only at apply time):\n  " + string.Join("\n  ", found));
        }
    }

    /// <summary>
    /// Neither what <paramref name="run"/> printed (standard output and error: narration, plan, JSON
    /// lines, error messages) contains any of <paramref name="secretValues"/>, raw or base64 — e.g.
    /// <c>StackAssert.NoSecretValues(await cluster.ApplyAsync(stack), stack.SecretValues)</c>. The
    /// message names the stream, the line and which value (by position and length), never the value itself.
    /// </summary>
    public static void NoSecretValues(StackRun run, IEnumerable<string> secretValues)
    {
        if (run is null)
        {
            throw new ArgumentNullException(nameof(run));
        }
        var values = Checked(secretValues);
        var found = new List<string>();
        Find("stdout", run.Output, values, found);
        Find("stderr", run.Error, values, found);
        if (found.Count > 0)
        {
            throw new FlatRacoonTestException("secret values appear in what the program printed (it must show references and redacted values only):\n  " + string.Join("\n  ", found));
        }
    }

    private static string[] Checked(IEnumerable<string> secretValues)
    {
        var values = (secretValues ?? throw new ArgumentNullException(nameof(secretValues))).ToArray();
        if (values.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("A secret value to look for must not be empty.", nameof(secretValues));
        }
        return values;
    }

    // Each value in `text`, raw and in the base64 form a Secret's data carries, reported by position and length only.
    private static void Find(string where, string text, string[] values, List<string> found)
    {
        for (var v = 0; v < values.Length; v++)
        {
            foreach (var (form, needle) in new[] { ("", values[v]), (" (base64)", Convert.ToBase64String(Encoding.UTF8.GetBytes(values[v]))) })
            {
                var at = text.IndexOf(needle, StringComparison.Ordinal);
                if (at >= 0)
                {
                    var line = text.AsSpan(0, at).Count('\n') + 1;
                    found.Add($"{where} line {line}: secret value #{v + 1} ({values[v].Length} characters){form}");
                }
            }
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

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace FlatRacoon.Testing;

/// <summary>
/// Golden folders: a rendered folder is compared, file by file and byte for byte, with a folder
/// committed beside the tests. A difference fails with a readable account of the first ones.
/// With the environment variable <c>FLATRACOON_UPDATE_GOLDENS=1</c> the golden folder is rewritten
/// from the actual one instead (review the diff, then commit it) — never silently otherwise.
/// <code>
/// Golden.AssertDirectory(await stack.RenderAsync("development"), Path.Combine(testDir, "Golden", "development"));
/// </code>
/// </summary>
public static class Golden
{
    /// <summary>The environment variable that rewrites golden folders instead of comparing (<c>1</c> or <c>true</c>).</summary>
    public const string UpdateVariable = "FLATRACOON_UPDATE_GOLDENS";

    /// <summary>How many differences a failure message shows in full.</summary>
    public const int ShownDifferences = 5;

    /// <summary>Whether <see cref="UpdateVariable"/> asks for goldens to be rewritten.</summary>
    public static bool UpdateRequested =>
        Environment.GetEnvironmentVariable(UpdateVariable) is { } v && (v == "1" || v.Equals("true", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Compares <paramref name="actualDirectory"/> with <paramref name="goldenDirectory"/>; throws
    /// <see cref="FlatRacoonTestException"/> describing the first differences (files missing, extra,
    /// or differing with the first differing line of each). Under <see cref="UpdateVariable"/> it
    /// replaces the golden folder's content with the actual one and passes.
    /// </summary>
    public static void AssertDirectory(string actualDirectory, string goldenDirectory)
    {
        if (!Directory.Exists(actualDirectory))
        {
            throw new FlatRacoonTestException($"the folder to compare, '{actualDirectory}', does not exist.");
        }
        if (UpdateRequested)
        {
            Update(actualDirectory, goldenDirectory);
            return;
        }
        if (!Directory.Exists(goldenDirectory))
        {
            throw new FlatRacoonTestException($"the golden folder '{goldenDirectory}' does not exist; create it with {UpdateVariable}=1 and review it before committing.");
        }
        var differences = Compare(actualDirectory, goldenDirectory);
        if (differences.Count == 0)
        {
            return;
        }
        var message = new StringBuilder();
        message.Append(differences.Count == 1 ? "1 difference" : $"{differences.Count} differences")
            .Append(" between the output '").Append(actualDirectory).Append("' and the golden folder '").Append(goldenDirectory).Append("':\n");
        foreach (var d in differences.Take(ShownDifferences))
        {
            message.Append(d).Append('\n');
        }
        if (differences.Count > ShownDifferences)
        {
            message.Append("... and ").Append(differences.Count - ShownDifferences).Append(" more: ")
                .Append(string.Join(", ", differences.Skip(ShownDifferences).Select(d => d.Path))).Append('\n');
        }
        message.Append("If the change is intended, run the tests again with ").Append(UpdateVariable).Append("=1 and review the diff of the golden folder.");
        throw new FlatRacoonTestException(message.ToString());
    }

    /// <summary>Every difference between the two folders, by relative path (forward slashes, ordinal order).</summary>
    public static IReadOnlyList<GoldenDifference> Compare(string actualDirectory, string goldenDirectory)
    {
        var actual = Files(actualDirectory);
        var golden = Files(goldenDirectory);
        var result = new List<GoldenDifference>();
        foreach (var path in actual.Keys.Union(golden.Keys).OrderBy(p => p, StringComparer.Ordinal))
        {
            if (!golden.TryGetValue(path, out var goldenFile))
            {
                result.Add(new GoldenDifference(path, "not in the golden folder (a new file)"));
                continue;
            }
            if (!actual.TryGetValue(path, out var actualFile))
            {
                result.Add(new GoldenDifference(path, "missing from the output (the golden folder has it)"));
                continue;
            }
            var a = File.ReadAllBytes(actualFile);
            var g = File.ReadAllBytes(goldenFile);
            if (!a.AsSpan().SequenceEqual(g))
            {
                result.Add(new GoldenDifference(path, FirstDifference(Encoding.UTF8.GetString(g), Encoding.UTF8.GetString(a))));
            }
        }
        return result;
    }

    private static string FirstDifference(string golden, string actual)
    {
        var g = golden.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(g.Length, a.Length); i++)
        {
            var gl = i < g.Length ? g[i] : null;
            var al = i < a.Length ? a[i] : null;
            if (gl != al)
            {
                return $"differs from line {i + 1}:\n    golden: {Show(gl)}\n    actual: {Show(al)}";
            }
        }
        return "differs only in line endings or encoding";
    }

    private static string Show(string? line) => line is null ? "(end of file)" : line.Length > 200 ? line[..200] + "…" : line.TrimEnd('\r');

    private static Dictionary<string, string> Files(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(directory, f).Replace('\\', '/'), f => f, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    private static void Update(string actualDirectory, string goldenDirectory)
    {
        if (Directory.Exists(goldenDirectory))
        {
            Directory.Delete(goldenDirectory, recursive: true);
        }
        foreach (var (path, file) in Files(actualDirectory))
        {
            var target = Path.Combine(goldenDirectory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

/// <summary>One difference between an output folder and its golden folder.</summary>
/// <param name="Path">The file, relative to the folders, with forward slashes.</param>
/// <param name="Description">What differs, in words (the first differing line of both sides).</param>
public sealed record GoldenDifference(string Path, string Description)
{
    /// <inheritdoc />
    public override string ToString() => $"  {Path}: {Description}";
}

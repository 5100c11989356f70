using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace FlatRacoon.Corpus.Tests;

/// <summary>One FR or CS diagnostic: its id, the file relative to the case folder, the 1-based line.</summary>
public sealed record CaseDiagnostic(string Id, string File, int Line) : IComparable<CaseDiagnostic>
{
    /// <inheritdoc />
    public int CompareTo(CaseDiagnostic? other) => other is null ? 1
        : string.CompareOrdinal(File, other.File) is var byFile and not 0 ? byFile
        : Line.CompareTo(other.Line) is var byLine and not 0 ? byLine
        : string.CompareOrdinal(Id, other.Id);

    /// <inheritdoc />
    public override string ToString() => $"{Id} at {File}:{Line}";
}

/// <summary>Reads what a case expects: <c>// expect: FR1004</c> (or several ids, comma-separated) at the end of a line.</summary>
public static partial class Expectations
{
    [GeneratedRegex(@"//\s*expect:\s*(?<ids>(?:FR|CS)\d{4}(?:\s*,\s*(?:FR|CS)\d{4})*)\s*$")]
    private static partial Regex ExpectComment();

    /// <summary>Every expected diagnostic of the case in <paramref name="caseDirectory"/>.</summary>
    public static IReadOnlyList<CaseDiagnostic> Read(string caseDirectory)
    {
        var expected = new List<CaseDiagnostic>();
        foreach (var path in Directory.EnumerateFiles(caseDirectory, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(caseDirectory, path).Replace('\\', '/');
            expected.AddRange(Parse(relative, File.ReadAllLines(path)));
        }
        expected.Sort();
        return expected;
    }

    /// <summary>The expectations of one file's lines.</summary>
    public static IEnumerable<CaseDiagnostic> Parse(string relativePath, IReadOnlyList<string> lines)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            var match = ExpectComment().Match(lines[i]);
            if (!match.Success)
            {
                continue;
            }
            foreach (var id in match.Groups["ids"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                yield return new CaseDiagnostic(id, relativePath, i + 1);
            }
        }
    }
}

/// <summary>Reads FR and CS errors and warnings from MSBuild console output (canonical format).</summary>
public static partial class BuildOutput
{
    // path(line,col): error FR1006: message [project]   or   path(line): warning CS0168: ...
    [GeneratedRegex(@"^\s*(?<file>[^\s].*?)\((?<line>\d+)(?:,\d+)*\)\s*:\s*(?:[a-z ]+\s)?(?<severity>error|warning)\s+(?<id>(?:FR|CS)\d{4})\s*:", RegexOptions.Multiline)]
    private static partial Regex Located();

    // CSC : error CS5001: ...   EXEC : error FR0000: ...   (no file: reported as file "" line 0)
    [GeneratedRegex(@"^\s*(?<origin>[^\s(][^(:]*?)\s*:\s*(?:[a-z ]+\s)?(?<severity>error|warning)\s+(?<id>(?:FR|CS)\d{4})\s*:", RegexOptions.Multiline)]
    private static partial Regex Unlocated();

    /// <summary>
    /// The distinct FR/CS diagnostics of <paramref name="output"/>, with files made relative to
    /// <paramref name="caseDirectory"/> (a file elsewhere keeps its full path, so it shows in a failure).
    /// </summary>
    public static IReadOnlyList<CaseDiagnostic> Parse(string output, string caseDirectory)
    {
        var found = new SortedSet<CaseDiagnostic>();
        var root = Path.GetFullPath(caseDirectory).TrimEnd('/') + "/";
        foreach (var rawLine in output.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var located = Located().Match(line);
            if (located.Success)
            {
                var file = located.Groups["file"].Value.Trim();
                if (Path.IsPathRooted(file))
                {
                    var full = Path.GetFullPath(file);
                    file = full.StartsWith(root, StringComparison.Ordinal) ? full[root.Length..] : full;
                }
                found.Add(new CaseDiagnostic(located.Groups["id"].Value, file.Replace('\\', '/'), int.Parse(located.Groups["line"].Value)));
                continue;
            }
            var unlocated = Unlocated().Match(line);
            if (unlocated.Success)
            {
                found.Add(new CaseDiagnostic(unlocated.Groups["id"].Value, "", 0));
            }
        }
        return found.ToList();
    }
}

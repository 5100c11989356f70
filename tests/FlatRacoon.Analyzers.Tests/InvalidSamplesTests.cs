using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace FlatRacoon.Analyzers.Tests;

/// <summary>
/// samples/invalid/&lt;family&gt;/Stack.cs must not compile: each is compiled with the SDK, the real
/// generator and the analyzers loaded from the built FlatRacoon.Analyzers.dll (as the compiler loads
/// them from the package), and must report exactly the FR IDs its first line lists.
/// </summary>
public class InvalidSamplesTests
{
    public static IEnumerable<object[]> Samples =>
        Directory.EnumerateDirectories(Path.Combine(Harness.RepoRoot(), "samples", "invalid"))
            .Select(d => new object[] { Path.GetFileName(d) })
            .OrderBy(d => (string)d[0], StringComparer.Ordinal);

    [Fact]
    public void There_is_one_sample_per_rule_family()
    {
        Assert.Equal(new[] { "images", "ipv6", "literals", "overlay", "secrets", "topology" }, Samples.Select(s => (string)s[0]));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_reports_exactly_its_expected_rule_ids(string family)
    {
        var directory = Path.Combine(Harness.RepoRoot(), "samples", "invalid", family);
        var source = File.ReadAllText(Path.Combine(directory, "Stack.cs"));
        var header = source.Split('\n')[0];
        Assert.StartsWith("// Expected:", header);
        var expected = header["// Expected:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).OrderBy(i => i, StringComparer.Ordinal).ToArray();

        var inputs = Harness.RepoInputs.Concat(Harness.LoadInputs(Path.Combine(directory, "modules"))).ToList();
        var (compilation, compiler, _) = Harness.Analyze(new[] { source }, inputs, "Invalid_" + family);
        Assert.Empty(compiler.Where(d => d.Severity == DiagnosticSeverity.Error));

        var assemblyPath = Path.Combine(AppContext.BaseDirectory, "FlatRacoon.Analyzers.dll");
        var reference = new AnalyzerFileReference(assemblyPath, new LoadFromDirectoryLoader());
        var analyzers = reference.GetAnalyzers(LanguageNames.CSharp);
        Assert.NotEmpty(analyzers);
        var additional = inputs.Select(i => (AdditionalText)new InMemoryAdditionalText(i.Path, i.Text)).ToImmutableArray();
        var diagnostics = compilation.WithAnalyzers(analyzers, new AnalyzerOptions(additional)).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        var actual = diagnostics.Select(d => d.Id).OrderBy(i => i, StringComparer.Ordinal).ToArray();
        Assert.True(expected.SequenceEqual(actual),
            $"expected {string.Join(" ", expected)}, got:{Environment.NewLine}{string.Join(Environment.NewLine, diagnostics)}");
    }

    private sealed class LoadFromDirectoryLoader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public System.Reflection.Assembly LoadFromPath(string fullPath) => System.Reflection.Assembly.LoadFrom(fullPath);
    }
}

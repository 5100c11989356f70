using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace FlatRacoon.Analyzers.Tests;

/// <summary>
/// The same cases as <see cref="AnalyzerRuleTests"/>, run at run time: each stack is compiled with
/// the generator, loaded, and its program's <c>validate</c> command must report the same rule IDs
/// the analyzer reports at build time.
/// </summary>
public class RuntimeParityTests
{
    [Theory]
    [MemberData(nameof(StackCases.Data), MemberType = typeof(StackCases))]
    public async Task Validate_reports_the_same_rule_ids_as_the_analyzer(string name)
    {
        var @case = StackCases.Named(name);
        var (compilation, compiler, analyzer) = Harness.Analyze(new[] { @case.Source }, Harness.RepoInputs, "Case_" + name.Replace('-', '_'));
        Assert.Empty(compiler.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
        var buildTime = analyzer.Select(d => d.Id).OrderBy(i => i, StringComparer.Ordinal).ToArray();
        Assert.Equal(@case.Expected.Select(e => e.Id).OrderBy(i => i, StringComparer.Ordinal), buildTime);
        if (!@case.RunsAtRuntime)
        {
            return;
        }

        using var image = new MemoryStream();
        var emit = compilation.Emit(image);
        Assert.True(emit.Success, string.Join(Environment.NewLine, emit.Diagnostics));
        var assembly = Assembly.Load(image.ToArray());
        var builder = (StackBuilder)assembly.GetType("Cases.CaseStack")!.GetMethod("Create")!.Invoke(null, null)!;

        var stdout = new StringWriter();
        var code = await builder.RunAsync(new[] { "validate", "--output", "json" }, stdout, new StringWriter());
        var events = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var runTime = events.Where(e => e.GetProperty("step").GetString() == "validate.issue")
            .Select(e => e.GetProperty("data").GetProperty("rule").GetString()!)
            .OrderBy(i => i, StringComparer.Ordinal).ToArray();
        Assert.Equal(buildTime, runTime);
        Assert.Equal(buildTime.Any(id => !id.StartsWith("FR3", StringComparison.Ordinal)) ? 1 : 0, code);
    }
}

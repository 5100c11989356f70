using Microsoft.CodeAnalysis.Diagnostics;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace FlatRacoon.Analyzers.Tests;

public class AnalyzerRuleTests
{
    [Theory]
    [MemberData(nameof(StackCases.Data), MemberType = typeof(StackCases))]
    public Task Each_case_reports_exactly_its_diagnostics_at_exact_spans(string name)
    {
        var @case = StackCases.Named(name);
        var source = @case.Source;
        return TopologyVerifier<NoFix>.VerifyAnalyzerAsync(source,
            @case.Expected.Select(e => TopologyVerifier<NoFix>.At(e.Id, source, e.Snippet)).ToArray());
    }

    [Fact]
    public Task The_full_sample_stack_is_silent()
    {
        var sample = File.ReadAllText(Path.Combine(Harness.RepoRoot(), "samples", "FlatRacoon.NetStack", "NetStack.cs"));
        return TopologyVerifier<NoFix>.VerifyAnalyzerAsync(sample);
    }

    [Fact]
    public Task A_stack_built_from_a_parameter_gets_value_rules_but_no_topology_verdict()
    {
        // Modules added to a builder passed in: other modules may be added elsewhere, so no FR1001.
        const string source = """
            using FlatRacoon;
            using FlatRacoon.Generated;

            public static class Parts
            {
                public static void AddStorage(StackBuilder stack) => stack.AddIpfsOverlay();
            }
            """;
        return TopologyVerifier<NoFix>.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public void Severity_is_configurable_like_any_roslyn_rule()
    {
        // .editorconfig's dotnet_diagnostic.FR3001.severity = error reaches the compiler as this option.
        var @case = StackCases.Named("FR3001-latest");
        var (compilation, _, _) = Harness.Analyze(new[] { @case.Source }, Harness.RepoInputs);
        var raised = compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions(
            compilation.Options.SpecificDiagnosticOptions.SetItem("FR3001", Microsoft.CodeAnalysis.ReportDiagnostic.Error)));
        var diagnostics = raised.WithAnalyzers(System.Collections.Immutable.ImmutableArray.Create<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer>(new TopologyAnalyzer()),
                new Microsoft.CodeAnalysis.Diagnostics.AnalyzerOptions(Harness.RepoInputs.Select(i => (Microsoft.CodeAnalysis.AdditionalText)new InMemoryAdditionalText(i.Path, i.Text)).ToImmutableArray()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        var fr3001 = Assert.Single(diagnostics);
        Assert.Equal("FR3001", fr3001.Id);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Error, fr3001.Severity);

        var suppressed = compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions(
            compilation.Options.SpecificDiagnosticOptions.SetItem("FR3001", Microsoft.CodeAnalysis.ReportDiagnostic.Suppress)));
        Assert.Empty(suppressed.WithAnalyzers(System.Collections.Immutable.ImmutableArray.Create<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer>(new TopologyAnalyzer()),
                new Microsoft.CodeAnalysis.Diagnostics.AnalyzerOptions(Harness.RepoInputs.Select(i => (Microsoft.CodeAnalysis.AdditionalText)new InMemoryAdditionalText(i.Path, i.Text)).ToImmutableArray()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult());
    }
}

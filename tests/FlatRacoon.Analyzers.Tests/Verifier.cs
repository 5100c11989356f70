using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace FlatRacoon.Analyzers.Tests;

/// <summary>
/// Microsoft.CodeAnalysis.Testing verifier: the real generator runs first (so the generated
/// Add methods, configs and environments exist), then <see cref="CheckedValueAnalyzer"/> and the fixer.
/// The repository's modules and configs are the AdditionalFiles, as the package passes them.
/// </summary>
internal sealed class TopologyVerifier<TCodeFix> : CSharpCodeFixTest<CheckedValueAnalyzer, TCodeFix, DefaultVerifier>
    where TCodeFix : CodeFixProvider, new()
{
    public TopologyVerifier()
    {
        ReferenceAssemblies = new ReferenceAssemblies("net10.0-local");
        TestState.AdditionalReferences.AddRange(Harness.References);
        foreach (var input in Harness.RepoInputs)
        {
            TestState.AdditionalFiles.Add(input);
        }
        TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
    }

    protected override IEnumerable<Type> GetSourceGenerators()
    {
        yield return Harness.GeneratorType;
    }

    protected override ParseOptions CreateParseOptions() => Harness.ParseOptions;

    protected override CompilationOptions CreateCompilationOptions() =>
        ((CSharpCompilationOptions)base.CreateCompilationOptions())
            .WithNullableContextOptions(NullableContextOptions.Enable)
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1701"] = ReportDiagnostic.Suppress, ["CS1702"] = ReportDiagnostic.Suppress });

    /// <summary>Diagnostics of <paramref name="source"/> must be exactly <paramref name="expected"/>.</summary>
    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new TopologyVerifier<TCodeFix> { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>Applies the fix to the one expected diagnostic and compares with <paramref name="fixedSource"/>.</summary>
    public static Task VerifyFixAsync(string source, DiagnosticResult[] expected, string fixedSource, DiagnosticResult[]? remaining = null, int? actionIndex = null)
    {
        var test = new TopologyVerifier<TCodeFix> { TestCode = source, FixedCode = fixedSource, CodeActionIndex = actionIndex };
        test.ExpectedDiagnostics.AddRange(expected);
        test.FixedState.ExpectedDiagnostics.AddRange(remaining ?? Array.Empty<DiagnosticResult>());
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary><paramref name="id"/> spanning <paramref name="snippet"/> in <paramref name="source"/> (see <see cref="StackCase"/>).</summary>
    public static DiagnosticResult At(string id, string source, string snippet)
    {
        var (start, length) = Find(source, snippet);
        var (line, column) = Position(source, start);
        var (endLine, endColumn) = Position(source, start + length);
        return new DiagnosticResult(id, id == "FR3001" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error)
            .WithSpan("/0/Test0.cs", line, column, endLine, endColumn);
    }

    internal static (int Start, int Length) Find(string source, string snippet)
    {
        var occurrence = 1;
        var hash = snippet.LastIndexOf('#');
        if (hash > 0 && int.TryParse(snippet[(hash + 1)..], out var n))
        {
            occurrence = n;
            snippet = snippet[..hash];
        }
        var prefix = "";
        var bar = snippet.IndexOf('|');
        if (bar >= 0)
        {
            prefix = snippet[..bar];
            snippet = snippet[(bar + 1)..];
        }
        var index = -1;
        for (var i = 0; i < occurrence; i++)
        {
            index = source.IndexOf(prefix + snippet, index + 1, StringComparison.Ordinal);
            if (index < 0)
            {
                throw new ArgumentException($"'{prefix}{snippet}' (occurrence {occurrence}) is not in the source");
            }
        }
        return (index + prefix.Length, snippet.Length);
    }

    private static (int Line, int Column) Position(string text, int index)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return (line, index - lineStart + 1);
    }
}

/// <summary>For analyzer-only verifications.</summary>
internal sealed class NoFix : CodeFixProvider
{
    public override System.Collections.Immutable.ImmutableArray<string> FixableDiagnosticIds => System.Collections.Immutable.ImmutableArray<string>.Empty;

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => Task.CompletedTask;
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace FlatRacoon.Generators.Tests;

/// <summary>
/// Microsoft.CodeAnalysis.Testing harness: the generator runs over in-memory AdditionalFiles and the
/// reported diagnostics (ids, exact spans, arguments) must equal the expected ones. Generated
/// sources are checked by the golden-file tests, so their comparison is skipped here; compiler
/// errors in the generated code still fail the test.
/// </summary>
internal sealed class GeneratorVerifier : CSharpSourceGeneratorTest<FlatRacoonGenerator, DefaultVerifier>
{
    /// <summary>Where the files of a test live; every path in a test starts with it.</summary>
    public const string Root = "/0/";

    public GeneratorVerifier()
    {
        // The same framework and SDK assemblies as the other tests; nothing is downloaded.
        ReferenceAssemblies = new ReferenceAssemblies("net10.0-local");
        TestState.AdditionalReferences.AddRange(GeneratorHarness.References);
        TestState.Sources.Add(GeneratorHarness.MinimalUserCode);
        TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
    }

    protected override ParseOptions CreateParseOptions() => GeneratorHarness.ParseOptions;

    protected override CompilationOptions CreateCompilationOptions() =>
        ((CSharpCompilationOptions)base.CreateCompilationOptions())
            .WithNullableContextOptions(NullableContextOptions.Enable)
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1701"] = ReportDiagnostic.Suppress, ["CS1702"] = ReportDiagnostic.Suppress });

    public static Task VerifyAsync((string Path, string Text)[] files, params DiagnosticResult[] expected) =>
        VerifyAsync(files, globalConfig: null, editorConfig: null, expected);

    /// <param name="globalConfig">build_property.* lines (MSBuild properties).</param>
    /// <param name="editorConfig">Sections such as <c>[/0/x.json]</c> with build_metadata.AdditionalFiles.* lines.</param>
    public static async Task VerifyAsync((string Path, string Text)[] files, string? globalConfig, string? editorConfig, params DiagnosticResult[] expected)
    {
        var test = new GeneratorVerifier();
        foreach (var (path, text) in files)
        {
            test.TestState.AdditionalFiles.Add((path, text));
        }
        if (globalConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\n" + globalConfig));
        }
        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n" + editorConfig));
        }
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync(CancellationToken.None);
    }

    /// <summary>
    /// <paramref name="result"/> at the 1-based span of <paramref name="token"/> in <paramref name="text"/>
    /// (inside the first <paramref name="context"/> when given), found by plain text search, independent of
    /// the generator's own reader.
    /// </summary>
    public static DiagnosticResult At(DiagnosticResult result, string path, string text, string token, string? context = null)
    {
        var start = 0;
        if (context is not null)
        {
            start = text.IndexOf(context, StringComparison.Ordinal);
            if (start < 0)
            {
                throw new ArgumentException($"'{context}' does not occur in the test input");
            }
        }
        var index = text.IndexOf(token, start, StringComparison.Ordinal);
        if (index < 0)
        {
            throw new ArgumentException($"'{token}' does not occur in the test input");
        }
        var (line, column) = Position(text, index);
        var (endLine, endColumn) = Position(text, index + token.Length);
        return result.WithSpan(path, line, column, endLine, endColumn);
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

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using FlatRacoon.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace FlatRacoon.Analyzers.Tests;

/// <summary>An AdditionalFile held in memory.</summary>
internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text, Encoding.UTF8);

    public override string Path => path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}

/// <summary>Compiles stacks with the real generator and analyzer, and finds the repository's inputs.</summary>
internal static class Harness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

    public static ImmutableArray<MetadataReference> References => s_references.Value;

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.CSharp12);

    /// <summary>The real source generator (internal to its assembly).</summary>
    public static Type GeneratorType { get; } = System.Reflection.Assembly.Load("FlatRacoon.Generators").GetType("FlatRacoon.Generators.FlatRacoonGenerator", throwOnError: true)!;

    public static string RepoRoot([CallerFilePath] string thisFile = "")
    {
        var directory = new DirectoryInfo(Path.GetDirectoryName(thisFile)!);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FlatRacoon.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("FlatRacoon.sln not found above the test sources.");
    }

    /// <summary>The repository's module manifests, schema exports and configs, as the package's targets pass them.</summary>
    public static IReadOnlyList<(string Path, string Text)> RepoInputs { get; } = LoadInputs(Path.Combine(RepoRoot(), "modules"), Path.Combine(RepoRoot(), "configs"));

    public static IReadOnlyList<(string Path, string Text)> LoadInputs(params string[] directories) =>
        directories.Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.json", SearchOption.AllDirectories))
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => (p.Replace('\\', '/'), File.ReadAllText(p)))
            .ToList();

    public static CSharpCompilation CreateCompilation(IEnumerable<string> sources, string assemblyName = "Stack") =>
        CSharpCompilation.Create(assemblyName,
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"/0/Test{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1701"] = ReportDiagnostic.Suppress, ["CS1702"] = ReportDiagnostic.Suppress }));

    /// <summary>Runs the generator, then the analyzer; returns the compilation with generated code and every diagnostic.</summary>
    public static (Compilation Compilation, ImmutableArray<Diagnostic> Compiler, ImmutableArray<Diagnostic> Analyzer) Analyze(
        IEnumerable<string> sources, IEnumerable<(string Path, string Text)> inputs, string assemblyName = "Stack")
    {
        var additional = inputs.Select(i => (AdditionalText)new InMemoryAdditionalText(i.Path, i.Text)).ToImmutableArray();
        var driver = CSharpGeneratorDriver.Create(new[] { ((IIncrementalGenerator)Activator.CreateInstance(GeneratorType)!).AsSourceGenerator() }, additional, ParseOptions);
        driver.RunGeneratorsAndUpdateCompilation(CreateCompilation(sources, assemblyName), out var compilation, out var generatorDiagnostics);
        var withAnalyzers = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new CheckedValueAnalyzer()),
            new AnalyzerOptions(additional));
        var analyzerDiagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        return (compilation, generatorDiagnostics.AddRange(compilation.GetDiagnostics()), analyzerDiagnostics);
    }

    private static ImmutableArray<MetadataReference> LoadReferences() => FlatRacoon.Testing.SdkReferences.All;
}

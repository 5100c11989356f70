using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace FlatRacoon.Generators.Tests;

/// <summary>An AdditionalFile held in memory.</summary>
internal sealed class TestAdditionalText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text, Encoding.UTF8);

    public override string Path => path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;

    public static TestAdditionalText FromFile(string path) => new(path, File.ReadAllText(path));
}

/// <summary>MSBuild properties (build_property.*) and per-file item metadata (build_metadata.*).</summary>
internal sealed class TestOptionsProvider(
    IReadOnlyDictionary<string, string>? globalOptions = null,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? fileOptions = null) : AnalyzerConfigOptionsProvider
{
    private static readonly IReadOnlyDictionary<string, string> s_empty = new Dictionary<string, string>();

    public override AnalyzerConfigOptions GlobalOptions { get; } = new DictionaryOptions(globalOptions ?? s_empty);

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new DictionaryOptions(s_empty);

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
        new DictionaryOptions(fileOptions is not null && fileOptions.TryGetValue(textFile.Path, out var options) ? options : s_empty);

    private sealed class DictionaryOptions(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value)
        {
            if (values.TryGetValue(key, out var found))
            {
                value = found;
                return true;
            }
            value = "";
            return false;
        }
    }
}

internal sealed record GeneratorOutput(
    GeneratorDriver Driver,
    GeneratorDriverRunResult RunResult,
    Compilation OutputCompilation,
    ImmutableArray<Diagnostic> GeneratorDiagnostics)
{
    /// <summary>Hint name → text of every generated file.</summary>
    public IReadOnlyDictionary<string, string> Sources =>
        RunResult.Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);

    /// <summary>Warnings and errors of compiling the generated code (with the user code given).</summary>
    public IReadOnlyList<Diagnostic> CompilationProblems =>
        OutputCompilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
}

internal static class GeneratorHarness
{
    public const string MinimalUserCode = "namespace User { internal static class Program { } }";

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

    public static ImmutableArray<MetadataReference> References => s_references.Value;

    public static CSharpParseOptions ParseOptions { get; } =
        new CSharpParseOptions(LanguageVersion.CSharp12, DocumentationMode.Diagnose);

    /// <summary>This test project's source directory.</summary>
    public static string ProjectDirectory([CallerFilePath] string thisFile = "") => Path.GetDirectoryName(thisFile)!;

    public static string TestDataDirectory => Path.Combine(ProjectDirectory(), "TestData");

    /// <summary>The repository root: the nearest directory up from here with FlatRacoon.sln or Directory.Packages.props.</summary>
    public static string RepoRoot
    {
        get
        {
            var directory = new DirectoryInfo(ProjectDirectory());
            while (directory is not null)
            {
                if (File.Exists(Path.Combine(directory.FullName, "FlatRacoon.sln"))
                    || File.Exists(Path.Combine(directory.FullName, "Directory.Packages.props")))
                {
                    return directory.FullName;
                }
                directory = directory.Parent;
            }
            throw new InvalidOperationException("Could not find the repository root (FlatRacoon.sln or Directory.Packages.props) above " + ProjectDirectory());
        }
    }

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "FlatRacoon.Generated.Tests.Stack",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"User{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, warningLevel: 9999)
                // As the .NET SDK does: the SDK assembly targets net8.0, the test references net10.0.
                .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1701"] = ReportDiagnostic.Suppress, ["CS1702"] = ReportDiagnostic.Suppress }));

    public static GeneratorDriver CreateDriver(IEnumerable<AdditionalText> additionalTexts, AnalyzerConfigOptionsProvider? options = null) =>
        CSharpGeneratorDriver.Create(
            new[] { new FlatRacoonGenerator().AsSourceGenerator() },
            additionalTexts,
            ParseOptions,
            options ?? new TestOptionsProvider(),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorOutput Run(IEnumerable<AdditionalText> additionalTexts, AnalyzerConfigOptionsProvider? options = null, params string[] userCode)
    {
        var compilation = CreateCompilation(userCode.Length == 0 ? new[] { MinimalUserCode } : userCode);
        var driver = CreateDriver(additionalTexts, options).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return new GeneratorOutput(driver, driver.GetRunResult(), output, diagnostics);
    }

    /// <summary>Every .json file under <paramref name="directory"/> except the Expected folder.</summary>
    /// <summary><paramref name="count"/> copies of the test data's ipfs-overlay manifest and schema, named <c>module-0000</c> on.</summary>
    public static List<AdditionalText> ModuleCopies(int count)
    {
        var files = new List<AdditionalText>();
        var directory = Path.Combine(TestDataDirectory, "Network", "modules", "ipfs-overlay");
        var schema = File.ReadAllText(Path.Combine(directory, "schema.json"));
        var manifest = File.ReadAllText(Path.Combine(directory, "flatracoon.module.json"));
        for (var i = 0; i < count; i++)
        {
            var name = "module-" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
            files.Add(new TestAdditionalText($"/repo/modules/{name}/flatracoon.module.json", manifest.Replace("\"ipfs-overlay\"", "\"" + name + "\"")));
            files.Add(new TestAdditionalText($"/repo/modules/{name}/schema.json", schema));
        }
        return files;
    }

    public static List<AdditionalText> LoadJsonFiles(string directory) =>
        Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories)
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Contains("Expected"))
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => (AdditionalText)TestAdditionalText.FromFile(p))
            .ToList();

    public static string Describe(IEnumerable<Diagnostic> diagnostics) =>
        string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString()));

    private static ImmutableArray<MetadataReference> LoadReferences() => FlatRacoon.Testing.SdkReferences.All;
}

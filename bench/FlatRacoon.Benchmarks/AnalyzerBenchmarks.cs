using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using FlatRacoon.Analyzers;
using FlatRacoon.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace FlatRacoon.Benchmarks;

/// <summary>
/// What the topology analyzers add to compiling a synthetic stack of 1,000 modules (one method
/// adding them all; each module requires the capability of the one before it and sets three checked
/// settings from constants). Both benchmarks
/// bind the same code and build its IOperation trees (the baseline runs a no-op operation
/// analyzer), so the difference is the analyzers' own cost. The same measurement through the real
/// compiler: scripts/measure-analyzers.sh (dotnet build -p:ReportAnalyzer=true).
/// </summary>
[MemoryDiagnoser]
public class AnalyzerBenchmarks
{
    private Compilation _compilation = null!;
    private AnalyzerOptions _options = null!;

    [Params(1000)]
    public int Modules { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var root = RepoRoot();
        var files = new List<AdditionalText>();
        var layers = new[] { "platform", "orchestration", "network", "overlay", "access", "storage", "naming", "observability" };
        var body = new System.Text.StringBuilder();
        for (var i = 0; i < Modules; i++)
        {
            var name = $"synthetic-{i:D4}";
            var requires = i == 0 ? "\"kubernetes\"" : $"\"kubernetes\", \"cap-{i - 1:D4}\"";
            files.Add(new MemoryText($"/synthetic/modules/{name}/flatracoon.module.json",
                "{\"module\": \"" + name + "\", \"version\": \"1.0.0\", \"layer\": \"" + layers[i * layers.Length / Modules]
                + "\", \"requires\": [" + requires + "], \"provides\": [\"cap-" + i.ToString("D4") + "\"], \"config_schema\": \"schema.ncl\", \"health_endpoint\": null, \"metrics_endpoint\": null, "
                + "\"image\": {\"repository\": \"ghcr.io/example/" + name + "\", \"tag\": \"1.0.0\"}}"));
            // Each module has three checked settings (a ZeroTier network id, an IPv6 prefix, a ranged
            // number), all set from constants: the analyzer has a conversion to check at every one.
            files.Add(new MemoryText($"/synthetic/modules/{name}/schema.json", SyntheticSchema));
            const string configure = "c => c with { NetworkId = \"f1a7c0de00f10003\", Prefix = \"2001:db8::/48\", Replicas = 3 }";
            body.Append(i == 0
                ? $"        var m0 = stack.AddSynthetic0000({configure});\n"
                : $"        var m{i} = stack.AddSynthetic{i:D4}(m{i - 1}, {configure});\n");
        }
        foreach (var path in Directory.EnumerateFiles(Path.Combine(root, "modules"), "*.json", SearchOption.AllDirectories)
                     .Concat(Directory.EnumerateFiles(Path.Combine(root, "configs"), "*.json")))
        {
            files.Add(new MemoryText(path, File.ReadAllText(path)));
        }
        var source = $$"""
            using FlatRacoon;
            using FlatRacoon.Generated;
            public static class SyntheticStack
            {
                public static StackBuilder Create()
                {
                    var stack = StackBuilder.Create("synthetic", Environments.Production.Environment);
            {{body}}
                    return stack;
                }
            }
            """;
        var framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var references = Directory.EnumerateFiles(framework, "System.*.dll").Append(Path.Combine(framework, "netstandard.dll"))
            .Append(typeof(StackBuilder).Assembly.Location)
            .Select(p => { try { return (MetadataReference?)MetadataReference.CreateFromFile(p); } catch (BadImageFormatException) { return null; } })
            .Where(r => r is not null).Select(r => r!).ToList();
        var compilation = CSharpCompilation.Create("Synthetic", new[] { CSharpSyntaxTree.ParseText(source) }, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        CSharpGeneratorDriver.Create(new[] { new FlatRacoonGenerator().AsSourceGenerator() }, files, CSharpParseOptions.Default, optionsProvider: null)
            .RunGeneratorsAndUpdateCompilation(compilation, out _compilation, out _);
        _options = new AnalyzerOptions(files.ToImmutableArray());
        var errors = _compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var findings = Run(new CheckedValueAnalyzer()).GetAwaiter().GetResult();
        if (errors.Count > 0 || findings.Length > 0)
        {
            throw new InvalidOperationException("The synthetic stack must compile and be valid: " + string.Join("; ", errors.Concat(findings).Take(5)));
        }
    }

    private const string SyntheticSchema = """
        {"type": "object", "additionalProperties": false, "properties": {
          "network_id": {"type": "string", "format": "zerotier-network-id", "default": "f1a7c0de00f10003"},
          "prefix": {"type": "string", "format": "ipv6-prefix", "default": "2001:db8::/48"},
          "replicas": {"type": "integer", "minimum": 1, "maximum": 9, "default": 1}}}
        """;

    [Benchmark(Baseline = true, Description = "baseline: bind + IOperation (no-op analyzer)")]
    public Task<ImmutableArray<Diagnostic>> Baseline() => Run(new NoOpOperationAnalyzer());

    [Benchmark(Description = "CheckedValueAnalyzer")]
    public Task<ImmutableArray<Diagnostic>> Topology() => Run(new CheckedValueAnalyzer());

    /// <summary>
    /// The analyzer's own execution time, as the compiler measures it for <c>-p:ReportAnalyzer=true</c>
    /// (time spent inside its callbacks, binding excluded), over <paramref name="runs"/> fresh analyses
    /// of a <paramref name="modules"/>-module stack; prints each run, then min and median.
    /// <c>dotnet FlatRacoon.Benchmarks.dll analyzer 1000 5</c>.
    /// </summary>
    public static async Task<int> CostAsync(int modules, int runs)
    {
        var bench = new AnalyzerBenchmarks { Modules = modules };
        bench.Setup();
        var times = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var analyzer = new CheckedValueAnalyzer();
            var wall = System.Diagnostics.Stopwatch.StartNew();
            var withAnalyzers = bench._compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(analyzer),
                new CompilationWithAnalyzersOptions(bench._options, onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
            var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
            var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, default);
            times.Add(telemetry.ExecutionTime.TotalMilliseconds);
            Console.WriteLine($"analyzer run {run}: {modules} modules, CheckedValueAnalyzer {telemetry.ExecutionTime.TotalMilliseconds:F0} ms "
                + $"(whole analysis incl. binding {wall.Elapsed.TotalSeconds:F1} s), {diagnostics.Length} diagnostics");
        }
        times.Sort();
        Console.WriteLine($"analyzer {modules} modules: CheckedValueAnalyzer min {times[0]:F0} ms, median {times[times.Count / 2]:F0} ms over {runs} runs");
        return 0;
    }

    private Task<ImmutableArray<Diagnostic>> Run(DiagnosticAnalyzer analyzer) =>
        _compilation.WithAnalyzers(ImmutableArray.Create(analyzer), _options).GetAnalyzerDiagnosticsAsync();

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FlatRacoon.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("FlatRacoon.sln");
    }

    private sealed class MemoryText(string path, string text) : AdditionalText
    {
        private readonly Microsoft.CodeAnalysis.Text.SourceText _text = Microsoft.CodeAnalysis.Text.SourceText.From(text);
        public override string Path { get; } = path;
        public override Microsoft.CodeAnalysis.Text.SourceText GetText(System.Threading.CancellationToken cancellationToken = default) => _text;
    }

    // Only ever instantiated here, never loaded by a compiler.
#pragma warning disable RS1041, RS1036, RS2008
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class NoOpOperationAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor s_never = new("BENCH0001", "never", "never", "bench", DiagnosticSeverity.Hidden, true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(s_never);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterOperationAction(_ => { }, OperationKind.Invocation, OperationKind.VariableDeclarator);
        }
    }
#pragma warning restore RS1041, RS1036, RS2008
}

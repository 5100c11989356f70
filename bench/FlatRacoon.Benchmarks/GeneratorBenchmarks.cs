using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using BenchmarkDotNet.Attributes;
using FlatRacoon.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace FlatRacoon.Benchmarks;

/// <summary>
/// Generator time for 1,000 synthetic manifests, each with the ipfs-overlay schema (a cold
/// run: a new driver), and the incremental re-run after an edit to unrelated C# code (what the
/// IDE pays per keystroke).
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private List<AdditionalText> _files = null!;
    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _edited = null!;
    private GeneratorDriver _warm = null!;

    [Params(1000)]
    public int Manifests { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var module = Path.Combine(RepoRoot(), "modules", "ipfs-overlay");
        var manifest = File.ReadAllText(Path.Combine(module, "flatracoon.module.json"));
        var schema = File.ReadAllText(Path.Combine(module, "schema.json"));
        _files = new List<AdditionalText>();
        for (var i = 0; i < Manifests; i++)
        {
            var name = $"module-{i:D4}";
            _files.Add(new MemoryText($"/synthetic/modules/{name}/flatracoon.module.json", manifest.Replace("\"ipfs-overlay\"", $"\"{name}\"")));
            _files.Add(new MemoryText($"/synthetic/modules/{name}/schema.json", schema));
        }
        var references = new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) };
        _compilation = CSharpCompilation.Create("Synthetic", new[] { CSharpSyntaxTree.ParseText("class Program { }") }, references);
        _edited = _compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Unrelated { }"));
        _warm = NewDriver().RunGenerators(_compilation);
    }

    [Benchmark(Description = "cold: 1,000 manifests + schemas")]
    public int Cold() => NewDriver().RunGenerators(_compilation).GetRunResult().GeneratedTrees.Length;

    [Benchmark(Description = "incremental: unrelated C# edit")]
    public int AfterUnrelatedEdit() => _warm.RunGenerators(_edited).GetRunResult().GeneratedTrees.Length;

    private GeneratorDriver NewDriver() => CSharpGeneratorDriver.Create(
        new[] { new FlatRacoonGenerator().AsSourceGenerator() }, _files, CSharpParseOptions.Default, optionsProvider: null);

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(System.AppContext.BaseDirectory); dir != null; dir = dir.Parent)
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
        private readonly SourceText _text = SourceText.From(text);
        public override string Path { get; } = path;
        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }
}

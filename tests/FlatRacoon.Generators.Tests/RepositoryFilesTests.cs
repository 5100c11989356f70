using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace FlatRacoon.Generators.Tests;

/// <summary>The repository's own modules/*/ and configs/*.json must generate cleanly and compile.</summary>
public sealed class RepositoryFilesTests
{
    [Fact]
    public void The_repository_modules_and_configs_generate_without_diagnostics_and_compile()
    {
        var root = GeneratorHarness.RepoRoot;
        var modules = Path.Combine(root, "modules");
        var configs = Path.Combine(root, "configs");
        Assert.True(Directory.Exists(modules), $"{modules} does not exist");
        var files = Directory.EnumerateFiles(modules, "*.json", SearchOption.AllDirectories)
            .Concat(Directory.Exists(configs) ? Directory.EnumerateFiles(configs, "*.json") : Enumerable.Empty<string>())
            .OrderBy(p => p, System.StringComparer.Ordinal)
            .Select(p => (AdditionalText)TestAdditionalText.FromFile(p))
            .ToList();
        Assert.Contains(files, f => Path.GetFileName(f.Path) == "flatracoon.module.json");

        var output = GeneratorHarness.Run(files, new TestOptionsProvider(), """
            using FlatRacoon;
            using FlatRacoon.Generated;

            namespace User
            {
                /// <summary>A stack.</summary>
                public static class Program
                {
                    /// <summary>Declares it.</summary>
                    public static StackBuilder Declare() => StackBuilder.Create("netstack", Environments.Production.Environment);
                }
            }
            """);

        Assert.True(output.GeneratorDiagnostics.IsEmpty, GeneratorHarness.Describe(output.GeneratorDiagnostics));
        Assert.True(output.CompilationProblems.Count == 0, GeneratorHarness.Describe(output.CompilationProblems));
        var manifests = files.Count(f => Path.GetFileName(f.Path) == "flatracoon.module.json");
        Assert.Equal(manifests, output.Sources.Keys.Count(k => k is not ("FlatRacoonModules.g.cs" or "Capabilities.g.cs" or "Environments.g.cs" or "StackDefaults.g.cs")));
    }
}

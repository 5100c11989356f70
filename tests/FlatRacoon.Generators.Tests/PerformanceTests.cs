using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Abstractions;

namespace FlatRacoon.Generators.Tests;

[CollectionDefinition(nameof(PerformanceTests), DisableParallelization = true)]
public sealed class PerformanceCollection;

/// <summary>
/// A thousand modules generate cleanly. How long that takes is measured by
/// bench/FlatRacoon.Benchmarks (GeneratorBenchmarks), never asserted here.
/// </summary>
[Collection(nameof(PerformanceTests))]
public sealed class PerformanceTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_thousand_modules_with_schemas_generate_without_diagnostics(bool allModules)
    {
        var files = GeneratorHarness.ModuleCopies(1000);
        // The code names module-0007 (nameof); module-0009 appears only in a string, which does not name it.
        var compilation = GeneratorHarness.CreateCompilation("namespace User { internal static class Program { static object? A; static void M(FlatRacoon.StackBuilder s) { A = nameof(FlatRacoon.Generated.Module0007Config); A = s; } /// <see cref=\"FlatRacoon.Generated.IpfsOverlayStackBuilderExtensions\"/>\n static void N() { _ = \"AddModule0009\"; } } }");
        var options = allModules ? new TestOptionsProvider(new Dictionary<string, string> { ["build_property.FlatRacoonGenerateAllModules"] = "true" }) : null;

        var driver = GeneratorHarness.CreateDriver(files, options).RunGenerators(compilation);
        var result = driver.GetRunResult();
        output.WriteLine($"generator time (informational): {driver.GetTimingInfo().ElapsedTime.TotalMilliseconds:F0} ms");

        Assert.Empty(result.Diagnostics);
        var sources = result.Results.Single().GeneratedSources.Select(s => s.HintName).ToList();
        if (allModules)
        {
            // One file per module, plus the descriptors and the capabilities.
            Assert.Equal(1002, sources.Count);
            Assert.DoesNotContain("ModulesOnDemand.g.cs", sources);
        }
        else
        {
            // The named module, the descriptors, the capabilities and one file of placeholders for the
            // 999 others; a module named only inside a string literal is not named.
            Assert.Equal(new[] { "FlatRacoonModules.g.cs", "Capabilities.g.cs", "Module0007.g.cs", "ModulesOnDemand.g.cs" }, sources);
            var placeholders = result.Results.Single().GeneratedSources.Single(s => s.HintName == "ModulesOnDemand.g.cs").SourceText.ToString();
            Assert.Contains("public static void AddModule0009(this global::FlatRacoon.StackBuilder builder)", placeholders, StringComparison.Ordinal);
            Assert.DoesNotContain("AddModule0007(", placeholders, StringComparison.Ordinal);
        }
    }
}

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
    [Fact]
    public void A_thousand_modules_with_schemas_generate_one_file_each_without_diagnostics()
    {
        var files = new List<AdditionalText>();
        var directory = Path.Combine(GeneratorHarness.TestDataDirectory, "Network", "modules", "ipfs-overlay");
        var schema = File.ReadAllText(Path.Combine(directory, "schema.json"));
        var manifest = File.ReadAllText(Path.Combine(directory, "flatracoon.module.json"));
        for (var i = 0; i < 1000; i++)
        {
            var name = "module-" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
            files.Add(new TestAdditionalText($"/repo/modules/{name}/flatracoon.module.json", manifest.Replace("\"ipfs-overlay\"", "\"" + name + "\"")));
            files.Add(new TestAdditionalText($"/repo/modules/{name}/schema.json", schema));
        }
        var compilation = GeneratorHarness.CreateCompilation(GeneratorHarness.MinimalUserCode);

        var driver = GeneratorHarness.CreateDriver(files).RunGenerators(compilation);
        var result = driver.GetRunResult();
        output.WriteLine($"generator time (informational): {driver.GetTimingInfo().ElapsedTime.TotalMilliseconds:F0} ms");

        Assert.Empty(result.Diagnostics);
        // One file per module, plus the descriptors and the capabilities.
        Assert.Equal(1002, result.Results.Single().GeneratedSources.Length);
    }
}

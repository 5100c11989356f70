using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace FlatRacoon.Generators.Tests;

/// <summary>Malformed input never makes the generator throw (no CS8785); it always becomes FR diagnostics.</summary>
public sealed class RobustnessTests
{
    public static TheoryData<string> NetworkFiles => new()
    {
        "modules/ipfs-overlay/flatracoon.module.json",
        "modules/ipfs-overlay/schema.json",
        "modules/zerotier-k8s-link/schema.json",
        "configs/environments.json",
        "configs/base.json",
        "configs/modules.json",
    };

    [Theory]
    [MemberData(nameof(NetworkFiles))]
    public void Every_truncation_of_a_valid_file_gives_diagnostics_and_never_an_exception(string relativePath)
    {
        var files = GeneratorHarness.LoadJsonFiles(Path.Combine(GeneratorHarness.TestDataDirectory, "Network"));
        var target = files.Single(f => f.Path.Replace('\\', '/').EndsWith(relativePath, StringComparison.Ordinal));
        var full = target.GetText()!.ToString().TrimEnd();
        var compilation = GeneratorHarness.CreateCompilation(GeneratorHarness.MinimalUserCode);
        var driver = GeneratorHarness.CreateDriver(files).RunGenerators(compilation);
        AdditionalText current = target;

        for (var length = 0; length < full.Length; length++)
        {
            var truncated = new TestAdditionalText(target.Path, full.Substring(0, length));
            driver = driver.ReplaceAdditionalText(current, truncated);
            current = truncated;
            var checkCompilation = length % 97 == 0;
            Compilation? outputCompilation = null;
            if (checkCompilation)
            {
                driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out outputCompilation, out _);
            }
            else
            {
                driver = driver.RunGenerators(compilation);
            }
            var result = driver.GetRunResult();
            var context = $"{relativePath} cut at {length}";
            AssertNoFailure(result, context);
            Assert.True(result.Diagnostics.Any(d => d.Id.StartsWith("FR", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error), $"{context}: no FR error");
            if (outputCompilation is not null)
            {
                AssertCompiles(outputCompilation, context);
            }
        }
    }

    [Fact]
    public void Random_mutations_never_make_the_generator_fail_and_the_output_always_compiles()
    {
        var random = new Random(20240611);
        var files = GeneratorHarness.LoadJsonFiles(Path.Combine(GeneratorHarness.TestDataDirectory, "Network"));
        var compilation = GeneratorHarness.CreateCompilation(GeneratorHarness.MinimalUserCode);
        var driver = GeneratorHarness.CreateDriver(files).RunGenerators(compilation);
        const string alphabet = "{}[],:\"\\ \n0123456789.-eEtrufalsn/abcxyz#_";

        for (var round = 0; round < 1500; round++)
        {
            var target = files[random.Next(files.Count)];
            var text = new StringBuilder(target.GetText()!.ToString());
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var position = random.Next(text.Length + 1);
                switch (random.Next(3))
                {
                    case 0 when position < text.Length:
                        text.Remove(position, 1);
                        break;
                    case 1 when position < text.Length:
                        text[position] = alphabet[random.Next(alphabet.Length)];
                        break;
                    default:
                        text.Insert(position, alphabet[random.Next(alphabet.Length)]);
                        break;
                }
            }
            var mutated = new TestAdditionalText(target.Path, text.ToString());
            var context = $"round {round}, {target.Path}:{Environment.NewLine}{text}";
            var runDriver = driver.ReplaceAdditionalText(target, mutated);
            if (round % 25 == 0)
            {
                runDriver.RunGeneratorsAndUpdateCompilation(compilation, out var outputCompilation, out _);
                AssertNoFailure(runDriver.RunGenerators(compilation).GetRunResult(), context);
                AssertCompiles(outputCompilation, context);
            }
            else
            {
                AssertNoFailure(runDriver.RunGenerators(compilation).GetRunResult(), context);
            }
        }
    }

    [Fact]
    public void A_file_that_cannot_be_read_becomes_FR0000_not_a_crash()
    {
        var output = GeneratorHarness.Run(new AdditionalText[] { new ThrowingText("/repo/modules/x/flatracoon.module.json") });
        Assert.Null(output.RunResult.Results.Single().Exception);
        var diagnostic = Assert.Single(output.GeneratorDiagnostics);
        Assert.Equal("FR0000", diagnostic.Id);
        Assert.Contains("IOException: disk on fire", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(output.CompilationProblems);
    }

    [Fact]
    public void Deeply_nested_json_is_refused_without_overflowing_the_stack()
    {
        var text = "{\"a\": " + new string('[', 100_000) + new string(']', 100_000) + "}";
        var output = GeneratorHarness.Run(new AdditionalText[] { new TestAdditionalText("/repo/modules/x/flatracoon.module.json", text) });
        var diagnostic = Assert.Single(output.GeneratorDiagnostics);
        Assert.Equal("FR0001", diagnostic.Id);
        Assert.Contains("nesting deeper than", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    private static void AssertNoFailure(GeneratorDriverRunResult result, string context)
    {
        var generator = result.Results.Single();
        Assert.True(generator.Exception is null, $"{context}: {generator.Exception}");
        var failures = result.Diagnostics.Where(d => d.Id is "CS8785" or "FR0000" || !d.Id.StartsWith("FR", StringComparison.Ordinal)).ToList();
        Assert.True(failures.Count == 0, $"{context}: {GeneratorHarness.Describe(failures)}");
    }

    private static void AssertCompiles(Compilation compilation, string context)
    {
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, $"{context}: {GeneratorHarness.Describe(errors)}");
    }

    private sealed class ThrowingText(string path) : AdditionalText
    {
        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => throw new IOException("disk on fire");
    }
}

using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace FlatRacoon.Generators.Tests;

/// <summary>The pipeline caches: unrelated edits re-run nothing, a manifest edit re-parses only that file.</summary>
public sealed class IncrementalityTests
{
    private static readonly string[] s_trackingNames = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    private static List<AdditionalText> Files => GeneratorHarness.LoadJsonFiles(Path.Combine(GeneratorHarness.TestDataDirectory, "Network"));

    [Fact]
    public void Every_tracking_name_is_used()
    {
        var result = Run(Files).Driver.GetRunResult().Results.Single();
        Assert.All(s_trackingNames, name => Assert.True(result.TrackedSteps.ContainsKey(name), $"step {name} did not run"));
    }

    [Fact]
    public void An_edit_to_unrelated_csharp_code_reruns_nothing()
    {
        var (driver, compilation) = Run(Files);
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace User { internal static class Other { } }", GeneratorHarness.ParseOptions));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var name in s_trackingNames)
        {
            var reasons = Reasons(result, name);
            if (name == TrackingNames.NamesInCode)
            {
                // The new file is read for the names it uses; the others give the names read before.
                Assert.Equal(1, reasons.Count(r => r == IncrementalStepRunReason.New));
                Assert.All(reasons.Where(r => r != IncrementalStepRunReason.New), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
                continue;
            }
            Assert.True(reasons.All(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged), $"{name}: {string.Join(", ", reasons)}");
        }
        // The emission step saw the same choice of modules (Unchanged), so no source was added again.
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }

    [Fact]
    public void Naming_a_module_in_code_emits_its_typed_api_in_place_of_its_placeholder()
    {
        var (driver, compilation) = Run(Files);
        var before = driver.GetRunResult().Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        // Environments configure ipfs-overlay; the code names nothing else.
        Assert.Contains("IpfsOverlay.g.cs", before.Keys);
        Assert.DoesNotContain("FlatracoonOs.g.cs", before.Keys);
        Assert.Contains("public static void AddFlatracoonOs(this global::FlatRacoon.StackBuilder builder)", before["ModulesOnDemand.g.cs"], StringComparison.Ordinal);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace User { internal static class Uses { internal static void M(FlatRacoon.StackBuilder s) => FlatRacoon.Generated.FlatracoonOsStackBuilderExtensions.AddFlatracoonOs(s); } }",
            GeneratorHarness.ParseOptions));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.Equal(IncrementalStepRunReason.Modified, Reasons(result, TrackingNames.Emission).Single());
        Assert.All(result.TrackedSteps[TrackingNames.ParseFiles].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        var after = result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        Assert.Contains("public static global::FlatRacoon.Generated.FlatracoonOsResource AddFlatracoonOs(", after["FlatracoonOs.g.cs"], StringComparison.Ordinal);
        Assert.DoesNotContain("AddFlatracoonOs(", after.GetValueOrDefault("ModulesOnDemand.g.cs") ?? "", StringComparison.Ordinal);
        Assert.Equal(before["IpfsOverlay.g.cs"], after["IpfsOverlay.g.cs"]);
    }

    [Fact]
    public void Editing_a_manifest_reparses_that_file_only()
    {
        var files = Files;
        var (driver, compilation) = Run(files);
        var manifest = files.Single(f => f.Path.Replace('\\', '/').EndsWith("ipfs-overlay/flatracoon.module.json", StringComparison.Ordinal));
        var edited = new TestAdditionalText(manifest.Path, manifest.GetText()!.ToString().Replace("\"0.1.0\"", "\"0.1.1\""));
        var result = driver.ReplaceAdditionalText(manifest, edited).RunGenerators(compilation).GetRunResult().Results.Single();

        var parse = result.TrackedSteps[TrackingNames.ParseFiles];
        Assert.Equal(files.Count, parse.Length);
        var rerun = parse.Where(s => s.Outputs.Any(o => o.Reason != IncrementalStepRunReason.Cached)).ToList();
        var step = Assert.Single(rerun);
        Assert.Equal(IncrementalStepRunReason.Modified, step.Outputs.Single().Reason);
        Assert.Equal(IncrementalStepRunReason.Modified, Reasons(result, TrackingNames.GenerationSpec).Single());
        Assert.Contains("Version = \"0.1.1\"", result.GeneratedSources.Single(s => s.HintName == "FlatRacoonModules.g.cs").SourceText.ToString());
    }

    [Fact]
    public void A_position_only_edit_reports_again_but_regenerates_nothing()
    {
        // A file with a warning, so the diagnostics (with their positions) change while the spec does not.
        var files = Files;
        var manifest = files.Single(f => f.Path.Replace('\\', '/').EndsWith("ipfs-overlay/flatracoon.module.json", StringComparison.Ordinal));
        var withWarning = new TestAdditionalText(manifest.Path, manifest.GetText()!.ToString().Replace("\"layer\":", "\"owner\": \"team-a\",\n  \"layer\":"));
        files[files.IndexOf(manifest)] = withWarning;
        var (driver, compilation) = Run(files);
        var moved = new TestAdditionalText(manifest.Path, "\n\n" + withWarning.GetText()!.ToString());
        driver = driver.ReplaceAdditionalText(withWarning, moved).RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();

        Assert.Equal(IncrementalStepRunReason.Modified, Reasons(result, TrackingNames.BuildModel).Single());
        Assert.Equal(IncrementalStepRunReason.Modified, Reasons(result, TrackingNames.Diagnostics).Single());
        Assert.Equal(IncrementalStepRunReason.Unchanged, Reasons(result, TrackingNames.GenerationSpec).Single());
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("FR0011", diagnostic.Id);
        var ownerLine = withWarning.GetText()!.ToString().Split('\n').ToList().FindIndex(l => l.Contains("\"owner\"", StringComparison.Ordinal));
        Assert.Equal(ownerLine + 2, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        // The output that adds sources saw an unchanged spec, so it did not run again.
        var emitInputs = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Inputs)
            .Where(i => i.Source.Name == TrackingNames.Emission).ToList();
        Assert.NotEmpty(emitInputs);
        Assert.All(emitInputs, input => Assert.True(input.Source.Outputs[input.OutputIndex].Reason is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached));
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).Where(s => s.Inputs.Any(i => i.Source.Name == TrackingNames.Emission)).SelectMany(s => s.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void Changing_the_namespace_reemits_without_reparsing()
    {
        var files = Files;
        var driver = GeneratorHarness.CreateDriver(files);
        var compilation = GeneratorHarness.CreateCompilation(GeneratorHarness.MinimalUserCode);
        driver = driver.RunGenerators(compilation);
        driver = driver.WithUpdatedAnalyzerConfigOptions(new TestOptionsProvider(new Dictionary<string, string> { ["build_property.FlatRacoonGeneratedNamespace"] = "Other.Space" }));
        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        Assert.All(Reasons(result, TrackingNames.ParseFiles), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.Equal(IncrementalStepRunReason.Modified, Reasons(result, TrackingNames.ReadOptions).Single());
        Assert.All(result.GeneratedSources, s => Assert.Contains("namespace Other.Space", s.SourceText.ToString()));
    }

    [Fact]
    public void No_step_output_holds_a_compilation_symbol_or_syntax_node()
    {
        var (driver, compilation) = Run(Files);
        var result = driver.RunGenerators(compilation.Clone()).GetRunResult().Results.Single();
        foreach (var name in s_trackingNames)
        {
            foreach (var step in result.TrackedSteps[name])
            {
                foreach (var (value, _) in step.Outputs)
                {
                    AssertNoBannedObjects(value, name);
                }
            }
        }
    }

    [Fact]
    public void Step_outputs_of_two_runs_over_equal_input_are_equal()
    {
        var first = Run(Files).Driver.GetRunResult().Results.Single();
        var second = Run(Files).Driver.GetRunResult().Results.Single();
        foreach (var name in s_trackingNames)
        {
            var a = first.TrackedSteps[name].SelectMany(s => s.Outputs).Select(o => o.Value).ToList();
            var b = second.TrackedSteps[name].SelectMany(s => s.Outputs).Select(o => o.Value).ToList();
            Assert.Equal(a.Count, b.Count);
            for (var i = 0; i < a.Count; i++)
            {
                if (a[i] is IEnumerable sequence && a[i] is not string)
                {
                    // Collect() gives an ImmutableArray; the driver compares it element by element.
                    Assert.True(sequence.Cast<object>().SequenceEqual(((IEnumerable)b[i]).Cast<object>()), $"{name}[{i}] has elements without value equality");
                    continue;
                }
                Assert.True(Equals(a[i], b[i]), $"{name}[{i}] is not equal across runs: the model has a member without value equality");
                Assert.Equal(a[i].GetHashCode(), b[i].GetHashCode());
            }
        }
    }

    private static (GeneratorDriver Driver, Compilation Compilation) Run(IEnumerable<AdditionalText> files)
    {
        var compilation = GeneratorHarness.CreateCompilation(GeneratorHarness.MinimalUserCode);
        var driver = GeneratorHarness.CreateDriver(files).RunGenerators(compilation);
        return (driver, compilation);
    }

    private static List<IncrementalStepRunReason> Reasons(GeneratorRunResult result, string name) =>
        result.TrackedSteps[name].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();

    private static void AssertNoBannedObjects(object root, string step)
    {
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<object>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (!visited.Add(node))
            {
                continue;
            }
            Assert.False(node is Compilation or ISymbol or SyntaxNode or SyntaxTree or SemanticModel, $"{step} holds a {node.GetType().Name}");
            var type = node.GetType();
            if (type.IsPrimitive || type.IsEnum || node is string || node is DiagnosticDescriptor)
            {
                continue;
            }
            if (node is IEnumerable sequence)
            {
                foreach (var item in sequence)
                {
                    if (item is not null)
                    {
                        pending.Push(item);
                    }
                }
            }
            for (var t = type; t is not null; t = t.BaseType)
            {
                foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (field.GetValue(node) is { } value)
                    {
                        pending.Push(value);
                    }
                }
            }
        }
    }
}

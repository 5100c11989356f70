using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Xunit;

namespace FlatRacoon.Generators.Tests;

/// <summary>Every diagnostic has a help page, a matching help link and a release-tracking entry.</summary>
public sealed class RuleCatalogTests
{
    public static TheoryData<string> RuleIds
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var descriptor in Descriptors())
            {
                data.Add(descriptor.Id);
            }
            return data;
        }
    }

    [Fact]
    public void Ids_are_unique_and_in_the_input_file_range()
    {
        var ids = Descriptors().Select(d => d.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^FR0[0-9]{3}$", id));
        Assert.All(Descriptors(), d => Assert.Equal(DiagnosticDescriptors.Category, d.Category));
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_has_a_help_page_and_is_tracked(string id)
    {
        var descriptor = Descriptors().Single(d => d.Id == id);
        Assert.Equal($"https://github.com/flatracoon/flatracoon-sdk/blob/main/docs/rules/{id}.md", descriptor.HelpLinkUri);

        var page = Path.Combine(GeneratorHarness.RepoRoot, "docs", "rules", id + ".md");
        Assert.True(File.Exists(page), $"{page} is missing");
        var text = File.ReadAllText(page);
        Assert.StartsWith($"# {id}: {descriptor.Title}", text);
        Assert.Contains("```json", text.Replace("```text", "```json"));

        var unshipped = File.ReadAllLines(Path.Combine(GeneratorHarness.RepoRoot, "src", "FlatRacoon.Generators", "AnalyzerReleases.Unshipped.md"));
        Assert.Contains(unshipped, line => line.StartsWith($"{id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", System.StringComparison.Ordinal));
    }

    private static IEnumerable<DiagnosticDescriptor> Descriptors() =>
        typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!);
}

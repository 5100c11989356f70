using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace FlatRacoon.Analyzers.Tests;

public class HelpLinkTests
{
    [Fact]
    public void Every_descriptor_links_to_an_existing_rule_page_with_a_bad_and_a_fixed_example()
    {
        Assert.NotEmpty(DiagnosticDescriptors.All);
        foreach (var descriptor in DiagnosticDescriptors.All)
        {
            Assert.StartsWith(RuleIdentifiers.HelpLinkBase, descriptor.HelpLinkUri);
            var relative = descriptor.HelpLinkUri.Substring(RuleIdentifiers.HelpLinkBase.Length);
            Assert.Equal(descriptor.Id + ".md", relative);
            var page = Path.Combine(Harness.RepoRoot(), "docs", "rules", relative);
            Assert.True(File.Exists(page), $"{descriptor.Id}: {page} does not exist");
            var text = File.ReadAllText(page);
            Assert.StartsWith("# " + descriptor.Id, text);
            Assert.Contains("## Bad", text);
            Assert.Contains("## Fixed", text);
        }
    }

    [Fact]
    public void Every_descriptor_is_in_the_release_tracking_file_once()
    {
        var unshipped = File.ReadAllLines(Path.Combine(Harness.RepoRoot(), "src", "FlatRacoon.Analyzers", "AnalyzerReleases.Unshipped.md"));
        foreach (var descriptor in DiagnosticDescriptors.All)
        {
            Assert.Single(unshipped, l => l.StartsWith(descriptor.Id + " ", StringComparison.Ordinal));
        }
        Assert.Equal(DiagnosticDescriptors.All.Length, DiagnosticDescriptors.All.Select(d => d.Id).Distinct().Count());
    }

    [Fact]
    public void Literal_rule_ids_do_not_collide_with_the_generator_input_file_rules()
    {
        var generatorPages = Directory.EnumerateFiles(Path.Combine(Harness.RepoRoot(), "docs", "rules"), "FR00*.md").Select(Path.GetFileNameWithoutExtension);
        Assert.Empty(DiagnosticDescriptors.All.Select(d => d.Id).Intersect(generatorPages));
        Assert.All(DiagnosticDescriptors.All, d => Assert.Matches(new Regex("^FR[0-3][0-9]{3}$"), d.Id));
    }
}

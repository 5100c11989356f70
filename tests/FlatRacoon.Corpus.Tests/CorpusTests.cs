using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace FlatRacoon.Corpus.Tests;

/// <summary>
/// Each corpus case is built against the packed package and must give exactly the diagnostics its
/// <c>// expect:</c> comments name, at those lines: an invalid stack fails the build, a valid one
/// builds with no FR or CS diagnostic at all.
/// </summary>
public sealed class CorpusTests : IClassFixture<CorpusBuild>
{
    private readonly CorpusBuild _corpus;
    private readonly ITestOutputHelper _output;

    public CorpusTests(CorpusBuild corpus, ITestOutputHelper output)
    {
        _corpus = corpus;
        _output = output;
    }

    public static IEnumerable<object[]> Cases => CorpusBuild.Cases.Select(c => new object[] { c });

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Case_builds_with_exactly_the_expected_diagnostics(string name)
    {
        var expected = Expectations.Read(Path.Combine(CorpusBuild.StacksDirectory, name));
        var build = await _corpus.BuildAsync(name);
        _output.WriteLine($"corpus time so far: {_corpus.Elapsed.TotalSeconds:F1} s");
        _output.WriteLine(build.Output);

        var missing = expected.Except(build.Diagnostics).ToList();
        var unexpected = build.Diagnostics.Except(expected).ToList();
        var buildFailed = build.ExitCode != 0;
        var mustFail = expected.Count > 0;
        if (missing.Count == 0 && unexpected.Count == 0 && buildFailed == mustFail)
        {
            return;
        }
        var message = new List<string> { $"case '{name}' ({(mustFail ? "invalid" : "valid")}):" };
        message.AddRange(missing.Select(d => $"  missing    {d}"));
        message.AddRange(unexpected.Select(d => $"  unexpected {d}"));
        if (buildFailed != mustFail)
        {
            message.Add(mustFail ? "  the build succeeded but the stack is invalid" : $"  the build failed (exit {build.ExitCode}) but the stack is valid");
        }
        message.Add("build output (FR/CS lines and errors):");
        message.AddRange(build.Output.Split('\n').Where(l => l.Contains(" error ") || l.Contains(" warning FR") || l.Contains(" warning CS")).Take(40).Select(l => "  " + l.Trim()));
        Assert.Fail(string.Join("\n", message));
    }
}

/// <summary>The corpus itself: large enough, balanced, and every expectation comment readable.</summary>
public sealed class CorpusShapeTests
{
    [Fact]
    public void The_corpus_holds_at_least_seventy_cases_about_half_of_them_invalid()
    {
        var invalid = CorpusBuild.AllCases.Count(c => Expectations.Read(Path.Combine(CorpusBuild.StacksDirectory, c)).Count > 0);
        var valid = CorpusBuild.AllCases.Count - invalid;
        Assert.True(CorpusBuild.AllCases.Count >= 70, $"{CorpusBuild.AllCases.Count} cases; the corpus needs at least 70");
        Assert.True(invalid >= 30 && valid >= 30, $"{invalid} invalid and {valid} valid cases; keep about half of each");
    }

    [Fact]
    public void The_README_first_example_is_a_case_word_for_word()
    {
        // The case ok-readme-first-example builds it in a consumer with no configs, as a newcomer's project is.
        var readme = File.ReadAllText(Path.Combine(CorpusBuild.RepoRoot, "README.adoc")).Replace("\r\n", "\n");
        var section = readme.IndexOf("== What you write", StringComparison.Ordinal);
        var start = readme.IndexOf("----\n", section, StringComparison.Ordinal) + 5;
        var end = readme.IndexOf("----\n", start, StringComparison.Ordinal);
        var example = readme[start..end];
        var program = File.ReadAllText(Path.Combine(CorpusBuild.StacksDirectory, "ok-readme-first-example", "Program.cs")).Replace("\r\n", "\n");
        Assert.Equal(example, program);
    }

    [Fact]
    public void Every_expect_comment_is_well_formed_and_every_case_has_a_program()
    {
        var problems = new List<string>();
        foreach (var name in CorpusBuild.AllCases)
        {
            var directory = Path.Combine(CorpusBuild.StacksDirectory, name);
            var files = Directory.GetFiles(directory, "*.cs", SearchOption.AllDirectories);
            if (!files.Any(f => File.ReadAllText(f).Contains("RunAsync(", StringComparison.Ordinal)))
            {
                problems.Add($"{name}: no file runs the stack program (RunAsync)");
            }
            foreach (var file in files)
            {
                var lines = File.ReadAllLines(file);
                var relative = Path.GetRelativePath(directory, file);
                var parsed = Expectations.Parse(relative, lines).Select(d => d.Line).ToHashSet();
                for (var i = 0; i < lines.Length; i++)
                {
                    if (lines[i].Contains("expect", StringComparison.OrdinalIgnoreCase) && lines[i].Contains("//", StringComparison.Ordinal)
                        && lines[i].Contains(':') && !parsed.Contains(i + 1) && System.Text.RegularExpressions.Regex.IsMatch(lines[i], @"//\s*expect\w*\s*:", System.Text.RegularExpressions.RegexOptions.IgnoreCase))
                    {
                        problems.Add($"{name}/{relative}:{i + 1}: unreadable expectation '{lines[i].Trim()}' (write // expect: FR1004 or // expect: FR0101, CS7036 at the end of the line)");
                    }
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}

/// <summary>The two readers the corpus relies on, on known text.</summary>
public sealed class ReaderTests
{
    [Fact]
    public void Expectations_are_read_from_end_of_line_comments_with_one_or_several_ids()
    {
        var lines = new[]
        {
            "var a = 1;",
            "stack.AddIpfsOverlay(k8s, k8s, secrets); // expect: CS1503",
            "c with { NetworkId = \"nope\" }); // expect: FR0101, CS7036",
            "// expect nothing here: not a comment of the form",
        };
        var read = Expectations.Parse("Stack.cs", lines).ToList();
        Assert.Equal(new[]
        {
            new CaseDiagnostic("CS1503", "Stack.cs", 2),
            new CaseDiagnostic("FR0101", "Stack.cs", 3),
            new CaseDiagnostic("CS7036", "Stack.cs", 3),
        }, read);
    }

    [Fact]
    public void Build_output_gives_ids_files_relative_to_the_case_and_lines_of_errors_and_warnings()
    {
        const string output = """
            /tmp/case/Stack.cs(12,9): error CS7036: There is no argument given that corresponds to the required parameter 'secretStore' [/w/consumer/Corpus.csproj]
            /tmp/case/Helpers/Net.cs(3,30): error FR0101: 'abc' is not a ZeroTier network id [/w/consumer/Corpus.csproj]
            /tmp/case/Stack.cs(12,9): error CS7036: There is no argument given that corresponds to the required parameter 'secretStore' [/w/consumer/Corpus.csproj]
            /tmp/case/Stack.cs(20,5): warning CS0168: The variable 'x' is declared but never used [/w/consumer/Corpus.csproj]
            /home/u/.nuget/packages/x/build/x.targets(5,5): warning NU1603: ignored, not FR/CS
            /tmp/case/Program.cs(7): error FR1006: Module 'poly-k8s-mcp' is added twice [/w/consumer/Corpus.csproj]
            CSC : error CS5001: Program does not contain a static 'Main' method [/w/consumer/Corpus.csproj]
            /elsewhere/Gen.g.cs(1,1): error CS0101: duplicate [/w/consumer/Corpus.csproj]
            """;
        var parsed = BuildOutput.Parse(output, "/tmp/case");
        Assert.Equal(new[]
        {
            new CaseDiagnostic("CS5001", "", 0),
            new CaseDiagnostic("CS0101", "/elsewhere/Gen.g.cs", 1),
            new CaseDiagnostic("FR0101", "Helpers/Net.cs", 3),
            new CaseDiagnostic("FR1006", "Program.cs", 7),
            new CaseDiagnostic("CS7036", "Stack.cs", 12),
            new CaseDiagnostic("CS0168", "Stack.cs", 20),
        }, parsed);
    }
}

using System;
using System.IO;
using System.Linq;
using System.Text;
using FlatRacoon.Rendering;
using Xunit;

namespace FlatRacoon.Samples.Tests;

/// <summary>
/// The sample stack's whole render is committed under Golden/netstack and compared byte for byte.
/// After an intended change, regenerate it with FLATRACOON_UPDATE_GOLDEN=1:
/// <code>FLATRACOON_UPDATE_GOLDEN=1 dotnet test tests/FlatRacoon.NetStack.Tests --filter GoldenRenderTests</code>
/// and review the diff. Without the switch the test never writes.
/// </summary>
public class GoldenRenderTests
{
    private static string GoldenDir => Path.Combine(Repo.Root, "tests", "FlatRacoon.NetStack.Tests", "Golden", "netstack");

    [Fact]
    public void The_sample_render_matches_the_committed_golden_files()
    {
        var set = RenderedStack.Render();
        if (Environment.GetEnvironmentVariable("FLATRACOON_UPDATE_GOLDEN") == "1")
        {
            GitOpsWriter.Write(set, GoldenDir, force: true);
        }

        Assert.True(Directory.Exists(GoldenDir), $"{GoldenDir} is missing: run the tests once with FLATRACOON_UPDATE_GOLDEN=1.");
        var expected = Directory.GetFiles(GoldenDir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(GoldenDir, f).Replace(Path.DirectorySeparatorChar, '/'))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        var actual = GitOpsWriter.Files(set);
        Assert.Equal(expected, actual.Select(f => f.Key).OrderBy(f => f, StringComparer.Ordinal));

        var utf8 = new UTF8Encoding(false);
        foreach (var (path, content) in actual)
        {
            var golden = File.ReadAllBytes(Path.Combine(GoldenDir, path));
            var rendered = utf8.GetBytes(content);
            Assert.True(golden.AsSpan().SequenceEqual(rendered),
                $"{path} differs from the golden file. If the change is intended, run with FLATRACOON_UPDATE_GOLDEN=1 and commit the result.\n--- golden\n{Encoding.UTF8.GetString(golden)}\n--- rendered\n{content}");
        }
    }
}

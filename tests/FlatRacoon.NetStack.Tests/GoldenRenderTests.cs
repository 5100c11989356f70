using System;
using System.IO;
using FlatRacoon.Rendering;
using FlatRacoon.Testing;
using Xunit;

namespace FlatRacoon.Samples.Tests;

/// <summary>
/// The sample stack's whole render is committed under Golden/netstack and compared file by file
/// with the testing kit's golden folders (FlatRacoon.Testing). After an intended change, regenerate
/// it with FLATRACOON_UPDATE_GOLDENS=1:
/// <code>FLATRACOON_UPDATE_GOLDENS=1 dotnet test tests/FlatRacoon.NetStack.Tests --filter GoldenRenderTests</code>
/// and review the diff. Without the switch the test never writes.
/// </summary>
public class GoldenRenderTests
{
    private static string GoldenDir => Path.Combine(Repo.Root, "tests", "FlatRacoon.NetStack.Tests", "Golden", "netstack");

    [Fact]
    public void The_sample_render_matches_the_committed_golden_files()
    {
        var rendered = Path.Combine(Path.GetTempPath(), "flatracoon-netstack-golden-" + Guid.NewGuid().ToString("N"));
        try
        {
            GitOpsWriter.Write(RenderedStack.Render(), rendered);
            Golden.AssertDirectory(rendered, GoldenDir);
        }
        finally
        {
            if (Directory.Exists(rendered))
            {
                Directory.Delete(rendered, recursive: true);
            }
        }
    }
}

using System;
using System.IO;
using System.Linq;
using FlatRacoon.Rendering;
using Xunit;

namespace FlatRacoon.Sdk.Tests;

public sealed class GitOpsWriterTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "flatracoon-writer-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static ManifestSet Set() => StackRenderer.Render(TestModules.ThreeWaveStack().Build());

    [Fact]
    public void Writes_one_file_per_object_with_a_kustomization_listing_them_in_order()
    {
        var set = Set();
        GitOpsWriter.Write(set, _dir);

        var kustomization = File.ReadAllLines(Path.Combine(_dir, "kustomization.yaml"));
        var listed = kustomization.Where(l => l.StartsWith("- ")).Select(l => l[2..]).ToArray();
        Assert.Equal(set.Objects.Select(o => o.RelativePath), listed);
        Assert.All(listed, path => Assert.True(File.Exists(Path.Combine(_dir, path)), path));
        Assert.True(File.Exists(Path.Combine(_dir, "storage", "config.json")));
        var yaml = File.ReadAllText(Path.Combine(_dir, "storage", "statefulset-storage.yaml"));
        Assert.StartsWith("apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n", yaml);
        Assert.DoesNotContain("\r", yaml);
        Assert.EndsWith("\n", yaml);
    }

    [Fact]
    public void Rendering_twice_gives_identical_bytes_and_rewrites_nothing()
    {
        GitOpsWriter.Write(Set(), _dir);
        var first = Snapshot();
        var second = GitOpsWriter.Write(Set(), _dir);

        Assert.Empty(second.Written);
        Assert.Empty(second.Deleted);
        Assert.Equal(first, Snapshot());
    }

    [Fact]
    public void A_render_that_changes_one_file_rewrites_only_that_file_and_leaves_the_others_untouched()
    {
        GitOpsWriter.Write(Set(), _dir);
        var old = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var file in Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, old);
        }
        // Same length, other bytes: only a comparison of the contents finds it.
        var edited = Path.Combine(_dir, "storage", "statefulset-storage.yaml");
        var bytes = File.ReadAllBytes(edited);
        bytes[^2] = bytes[^2] == (byte)'x' ? (byte)'y' : (byte)'x';
        File.WriteAllBytes(edited, bytes);
        File.SetLastWriteTimeUtc(edited, old);

        var result = GitOpsWriter.Write(Set(), _dir);

        Assert.Equal(new[] { "storage/statefulset-storage.yaml" }, result.Written);
        Assert.Empty(result.Deleted);
        var touched = Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories)
            .Where(f => File.GetLastWriteTimeUtc(f) != old)
            .Select(f => Path.GetRelativePath(_dir, f).Replace(Path.DirectorySeparatorChar, '/'));
        Assert.Equal(new[] { "storage/statefulset-storage.yaml" }, touched);
        Assert.Equal(GitOpsWriter.Files(Set()).Single(f => f.Key == "storage/statefulset-storage.yaml").Value, File.ReadAllText(edited));
    }

    [Fact]
    public void Files_of_objects_that_left_the_stack_are_deleted()
    {
        GitOpsWriter.Write(Set(), _dir);
        var smaller = StackBuilder.Create("demo");
        smaller.AddModule(TestModules.Secrets, EmptyModuleConfig.Instance);
        var result = GitOpsWriter.Write(StackRenderer.Render(smaller.Build()), _dir);

        Assert.Contains("storage/statefulset-storage.yaml", result.Deleted);
        Assert.False(Directory.Exists(Path.Combine(_dir, "storage")));
        Assert.True(File.Exists(Path.Combine(_dir, "secrets", "deployment-secrets.yaml")));
    }

    [Fact]
    public void A_directory_flatracoon_did_not_write_is_refused_and_with_force_never_pruned()
    {
        Directory.CreateDirectory(_dir);
        var precious = Path.Combine(_dir, "precious.txt");
        File.WriteAllText(precious, "keep me");

        var ex = Assert.Throws<RenderOutputException>(() => GitOpsWriter.Write(Set(), _dir));
        Assert.Contains("--force", ex.Message);
        Assert.Single(Directory.EnumerateFileSystemEntries(_dir));

        GitOpsWriter.Write(Set(), _dir, force: true);
        Assert.Equal("keep me", File.ReadAllText(precious));
    }

    private string[] Snapshot() => Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories)
        .OrderBy(f => f, StringComparer.Ordinal)
        .Select(f => Path.GetRelativePath(_dir, f) + "\n" + Convert.ToHexString(File.ReadAllBytes(f)))
        .ToArray();
}

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

    private static ManifestSet Set() => StackRenderer.Render(TestModules.ThreeWaveStack().Build(), ModuleRenderers.Default.With("storage", new WithArtifact()));

    /// <summary>The baseline plus one artifact, so the module gets a folder of its own.</summary>
    private sealed class WithArtifact : IModuleRenderer
    {
        public void Render(ModuleRenderContext context)
        {
            new WorkloadRenderer().Render(context);
            context.AddArtifact("storage.conf", "swarm = on\n");
        }
    }

    [Fact]
    public void Writes_one_file_per_module_with_its_objects_in_apply_order_and_a_kustomization_listing_them_in_wave_order()
    {
        var set = Set();
        GitOpsWriter.Write(set, _dir);

        var kustomization = File.ReadAllLines(Path.Combine(_dir, "kustomization.yaml"));
        var listed = kustomization.Where(l => l.StartsWith("- ")).Select(l => l[2..]).ToArray();
        // The stack's file first, then the modules in the order of their first object past wave 0 (their namespace is in wave 0).
        var expected = set.Objects.Where(o => o.Wave > 0 || o.Module == ManifestSet.StackFolder).Select(o => o.RelativePath).Distinct().ToArray();
        Assert.Equal(expected, listed);
        Assert.Equal(new[] { "_stack.yaml", "dashboard.yaml", "storage.yaml", "overlay.yaml", "secrets.yaml" }.Order(), listed.Order());
        Assert.All(listed, path => Assert.True(File.Exists(Path.Combine(_dir, path)), path));

        // Every object of the module, in the set's order, as one document each.
        var yaml = File.ReadAllText(Path.Combine(_dir, "storage.yaml"));
        var documents = yaml.Split("---\n");
        var objects = set.Objects.Where(o => o.Module == "storage").ToArray();
        Assert.Equal(objects.Select(GitOpsWriter.ToYaml), documents);
        Assert.Equal(new[] { "Namespace", "ServiceAccount", "ConfigMap", "StatefulSet" }, objects.Select(o => o.Object.Kind).Take(4));
        Assert.StartsWith("apiVersion: v1\nkind: Namespace\nmetadata:\n", yaml);
        Assert.DoesNotContain("\r", yaml);
        Assert.EndsWith("\n", yaml);

        // Artifacts in the module's folder; the settings are in the ConfigMap only; no folder without artifacts.
        Assert.Equal("swarm = on\n", File.ReadAllText(Path.Combine(_dir, "storage", "storage.conf")));
        Assert.Equal(new[] { "storage" }, Directory.GetDirectories(_dir).Select(Path.GetFileName));
        Assert.DoesNotContain(Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories), f => f.EndsWith("config.json", StringComparison.Ordinal));
        Assert.Contains("  config.json: |\n", yaml);
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
        Assert.Equal(GitOpsWriter.Files(Set()).Select(f => f.Key), second.Unchanged);
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
        var edited = Path.Combine(_dir, "storage.yaml");
        var bytes = File.ReadAllBytes(edited);
        bytes[^2] = bytes[^2] == (byte)'x' ? (byte)'y' : (byte)'x';
        File.WriteAllBytes(edited, bytes);
        File.SetLastWriteTimeUtc(edited, old);
        // Another length: rewritten without being read.
        var shorter = Path.Combine(_dir, "storage", "storage.conf");
        File.WriteAllText(shorter, "x");
        File.SetLastWriteTimeUtc(shorter, old);

        var result = GitOpsWriter.Write(Set(), _dir);

        Assert.Equal(new[] { "storage.yaml", "storage/storage.conf" }, result.Written);
        Assert.Empty(result.Deleted);
        var touched = Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories)
            .Where(f => File.GetLastWriteTimeUtc(f) != old)
            .Select(f => Path.GetRelativePath(_dir, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal);
        Assert.Equal(new[] { "storage.yaml", "storage/storage.conf" }, touched);
        Assert.Equal(GitOpsWriter.Files(Set()).Single(f => f.Key == "storage.yaml").Value, File.ReadAllText(edited));
        Assert.Equal("swarm = on\n", File.ReadAllText(shorter));
    }

    [Fact]
    public void Files_of_modules_that_left_the_stack_are_deleted_with_their_folders()
    {
        GitOpsWriter.Write(Set(), _dir);
        var smaller = StackBuilder.Create("demo");
        smaller.AddModule(TestModules.Secrets, EmptyModuleConfig.Instance);
        var result = GitOpsWriter.Write(StackRenderer.Render(smaller.Build()), _dir);

        Assert.Equal(new[] { "dashboard.yaml", "overlay.yaml", "storage.yaml", "storage/storage.conf" }, result.Deleted);
        Assert.False(Directory.Exists(Path.Combine(_dir, "storage")));
        Assert.True(File.Exists(Path.Combine(_dir, "secrets.yaml")));
    }

    [Fact]
    public void A_directory_rendered_with_one_file_per_object_is_cleaned_up_by_the_next_render()
    {
        // The layout before one file per module: <module>/<kind>-<name>.yaml and the config artifact.
        Directory.CreateDirectory(Path.Combine(_dir, "storage"));
        Directory.CreateDirectory(Path.Combine(_dir, "_stack"));
        File.WriteAllText(Path.Combine(_dir, GitOpsWriter.MarkerFile), "# rendered\n");
        File.WriteAllText(Path.Combine(_dir, "storage", "statefulset-storage.yaml"), "kind: StatefulSet\n");
        File.WriteAllText(Path.Combine(_dir, "storage", "config.json"), "{}\n");
        File.WriteAllText(Path.Combine(_dir, "_stack", "namespace-flatracoon-system.yaml"), "kind: Namespace\n");

        var result = GitOpsWriter.Write(Set(), _dir);

        Assert.Equal(new[] { "_stack/namespace-flatracoon-system.yaml", "storage/config.json", "storage/statefulset-storage.yaml" }, result.Deleted);
        Assert.False(Directory.Exists(Path.Combine(_dir, "_stack")));
        Assert.Equal(new[] { "storage.conf" }, Directory.GetFiles(Path.Combine(_dir, "storage")).Select(Path.GetFileName));
        Assert.Equal(GitOpsWriter.Files(Set()).Select(f => f.Key), result.Written); // the marker held other bytes
    }

    [Fact]
    public void An_object_rendered_twice_by_a_module_is_an_error_but_the_same_name_in_two_namespaces_is_not()
    {
        var twice = Assert.Throws<InvalidOperationException>(() => StackRenderer.Render(TestModules.ThreeWaveStack().Build(),
            ModuleRenderers.Default.With("storage", new Twice("storage"))));
        Assert.Contains("Module 'storage' rendered ConfigMap storage/same twice.", twice.Message);

        var set = StackRenderer.Render(TestModules.ThreeWaveStack().Build(), ModuleRenderers.Default.With("storage", new Twice("elsewhere")));
        Assert.Equal(2, set.Objects.Count(o => o.Object.Metadata.Name == "same"));
        Assert.All(set.Objects.Where(o => o.Object.Metadata.Name == "same"), o => Assert.Equal("storage.yaml", o.RelativePath));
    }

    private sealed class Twice(string secondNamespace) : IModuleRenderer
    {
        public void Render(ModuleRenderContext context)
        {
            context.Add(new k8s.Models.V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new k8s.Models.V1ObjectMeta { Name = "same" } });
            context.Add(new k8s.Models.V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new k8s.Models.V1ObjectMeta { Name = "same", NamespaceProperty = secondNamespace } });
        }
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

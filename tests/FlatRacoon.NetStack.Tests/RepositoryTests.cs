using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace FlatRacoon.Samples.Tests;

/// <summary>Facts about the repository's data files that the build relies on.</summary>
public class RepositoryTests
{
    // A Nickel library of functions and contracts has nothing to export.
    private static readonly string[] Libraries = { Path.Combine("configs", "lib.ncl") };

    [Fact]
    public void Every_nickel_file_has_its_committed_export()
    {
        var nickelFiles = Directory.GetFiles(Repo.Root, "*.ncl", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}tests{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(f => Path.GetRelativePath(Repo.Root, f))
            .Where(f => !Libraries.Contains(f))
            .ToArray();
        Assert.True(nickelFiles.Length >= 14, $"expected the eleven module schemas and three configs, found {nickelFiles.Length}");

        var missing = nickelFiles.Where(f => !File.Exists(Path.Combine(Repo.Root, Path.ChangeExtension(f, ".json")))).ToArray();
        Assert.True(missing.Length == 0, "Nickel files without their `nickel export --format json` output: " + string.Join(", ", missing));
        foreach (var file in nickelFiles)
        {
            using var _ = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Root, Path.ChangeExtension(file, ".json"))));
        }
    }

    [Fact]
    public void Every_module_folder_has_manifest_schema_export_and_readme()
    {
        var modules = Directory.GetDirectories(Path.Combine(Repo.Root, "modules"));
        Assert.Equal(11, modules.Length);
        foreach (var module in modules)
        {
            foreach (var file in new[] { "flatracoon.module.json", "schema.ncl", "schema.json", "README.md" })
            {
                Assert.True(File.Exists(Path.Combine(module, file)), $"{Path.GetFileName(module)}/{file} is missing");
            }
            using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(module, "flatracoon.module.json")));
            Assert.Equal(Path.GetFileName(module), manifest.RootElement.GetProperty("module").GetString());
        }
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace FlatRacoon.Package.Tests;

/// <summary>
/// The path a team outside this repository takes: pack FlatRacoon.Sdk into a local feed, create
/// a fresh project that references only the package plus one manifest of its own, build it,
/// use the generated types, run it.
/// </summary>
public sealed class PackageConsumerTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly string _work = Path.Combine(Path.GetTempPath(), "flatracoon-package-" + Guid.NewGuid().ToString("N"));

    public PackageConsumerTests(ITestOutputHelper output) => _output = output;

    public void Dispose()
    {
        if (Directory.Exists(_work))
        {
            Directory.Delete(_work, recursive: true);
        }
    }

    [Fact]
    public async Task A_fresh_consumer_builds_against_the_package_and_uses_generated_types()
    {
        var root = RepoRoot();
        var configuration = typeof(PackageConsumerTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "Configuration").Value!;
        // A unique version: the global packages folder never serves a stale copy.
        var version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var feed = Path.Combine(_work, "feed");
        var consumer = Path.Combine(_work, "consumer");

        await Dotnet($"pack \"{Path.Combine(root, "src", "FlatRacoon.Sdk", "FlatRacoon.Sdk.csproj")}\" -c {configuration} --no-build -o \"{feed}\" -p:PackageVersion={version}", root);
        var package = Path.Combine(feed, $"FlatRacoon.Sdk.{version}.nupkg");
        using (var zip = ZipFile.OpenRead(package))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
            Assert.Contains("lib/net8.0/FlatRacoon.Sdk.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/FlatRacoon.Generators.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/FlatRacoon.Analyzers.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/FlatRacoon.Analyzers.CodeFixes.dll", entries);
            Assert.Contains("buildTransitive/FlatRacoon.Sdk.props", entries);
            Assert.Contains("buildTransitive/FlatRacoon.Sdk.targets", entries);
            Assert.Contains("build/FlatRacoon.Sdk.props", entries);
            Assert.Equal(11, entries.Count(e => e.StartsWith("modules/") && e.EndsWith("/flatracoon.module.json")));
            Assert.Equal(11, entries.Count(e => e.StartsWith("modules/") && e.EndsWith("/schema.json")));
            // Publishable: a readme, the license text and expression, the repository.
            Assert.Contains("README.md", entries);
            Assert.Contains("LICENSE", entries);
            using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec")).Open());
            var metadata = nuspec.ReadToEnd();
            Assert.Contains("<license type=\"expression\">AGPL-3.0-or-later</license>", metadata);
            Assert.Contains("<readme>README.md</readme>", metadata);
            Assert.Contains("<repository type=\"git\" url=\"", metadata);
            // Every assembly in lib/ (the SDK and the dashboard it hosts) tracks its public API.
            Assert.Contains("lib/net8.0/FlatRacoon.Dashboard.dll", entries);
            AssertPublicApiTracked(root, entries);
        }
        // Symbols beside the package, for the symbol server.
        Assert.True(File.Exists(Path.Combine(feed, $"FlatRacoon.Sdk.{version}.snupkg")));

        CopyDirectory(Path.Combine(AppContext.BaseDirectory, "Consumer"), consumer);
        var template = Path.Combine(consumer, "Consumer.csproj.template");
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), File.ReadAllText(template).Replace("$VERSION$", version));
        File.Delete(template);
        // Adds the local feed to the machine's sources; nothing of this repository leaks in.
        File.WriteAllText(Path.Combine(consumer, "nuget.config"),
            $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n    <add key=\"flatracoon-local\" value=\"{feed}\" />\n  </packageSources>\n</configuration>\n");
        File.WriteAllText(Path.Combine(consumer, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(consumer, "Directory.Packages.props"), "<Project />\n");

        // The Nickel CLI cannot be installed here: a stand-in on PATH records each export it is
        // asked for, so the test sees whether the build's re-export target ran, and when.
        var fakeBin = Path.Combine(_work, "fake-bin");
        var exportLog = Path.Combine(_work, "nickel-exports.log");
        Directory.CreateDirectory(fakeBin);
        var fakeNickel = Path.Combine(fakeBin, "nickel");
        File.WriteAllText(fakeNickel, $$"""
            #!/bin/sh
            # Test stand-in for the Nickel CLI: `--version`, and `export --format json --output OUT IN`.
            case "$1" in
              --version) echo "nickel (test stand-in)"; exit 0 ;;
              export) out="$5"; in="$6"; echo "$in" >> "{{exportLog}}"
                      sed 's/"default": "hello"/"default": "hello from nickel"/' "${in%.ncl}.json" > "$out.tmp" && mv "$out.tmp" "$out" ;;
              *) exit 2 ;;
            esac
            """.Replace("\r\n", "\n"));
        File.SetUnixFileMode(fakeNickel, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var schemaNcl = Path.Combine(consumer, "modules", "hello-api", "schema.ncl");
        File.SetLastWriteTimeUtc(schemaNcl, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        // 1. The export is newer than the .ncl: the committed JSON is used, nickel export is not run.
        await Dotnet("build -c Release", consumer, fakeBin);
        Assert.False(File.Exists(exportLog), "nickel export ran although the export is up to date");

        // ASP.NET Core reaches the consumer only through the package: its framework is there at
        // run time (the dashboard and mcp commands), its analyzers and generators are not in the
        // compile (issue 11: they ran over all the generated code); the package's own are.
        var analyzers = await Dotnet("msbuild -nologo \"-t:ResolveLockFileAnalyzers;ResolveTargetingPackAssets\" -getItem:Analyzer -p:Configuration=Release", consumer);
        Assert.Contains("FlatRacoon.Generators.dll", analyzers);
        Assert.Contains("FlatRacoon.Analyzers.dll", analyzers);
        Assert.DoesNotContain("Microsoft.AspNetCore.App.Analyzers.dll", analyzers);
        Assert.DoesNotContain("Microsoft.AspNetCore.Components.Analyzers.dll", analyzers);
        Assert.DoesNotContain("Microsoft.AspNetCore.App.SourceGenerators.dll", analyzers);
        var runtimeConfig = File.ReadAllText(Path.Combine(consumer, "bin", "Release", "net10.0", "Consumer.runtimeconfig.json"));
        Assert.Contains("\"Microsoft.AspNetCore.App\"", runtimeConfig);

        var outDir = Path.Combine(_work, "render");
        var run = await Dotnet($"run -c Release --no-build -- render --out \"{outDir}\"", consumer);
        Assert.Contains("descriptor: hello-api 2.1.0 Observability", run);
        Assert.Contains("capability: greetings overlay-network", run);
        Assert.Contains("default greeting: hello", run);
        Assert.Contains("1 module in 1 wave", run);
        // One file per module: the settings are in its ConfigMap (config.json), beside the Deployment.
        var deployment = File.ReadAllText(Path.Combine(outDir, "hello-api.yaml"));
        Assert.Contains("  config.json: |\n", deployment);
        Assert.Contains("\"greeting\": \"hello from the consumer\"", deployment);
        Assert.Contains("image: ghcr.io/example/hello-api:2.1.0", deployment);
        Assert.Contains("replicas: 2", deployment);

        // 2. The .ncl is edited: the build exports it again and the generated default follows.
        File.SetLastWriteTimeUtc(schemaNcl, DateTime.UtcNow);
        await Dotnet("build -c Release", consumer, fakeBin);
        Assert.Equal(schemaNcl, File.ReadAllText(exportLog).Trim());
        var rerun = await Dotnet("run -c Release --no-build -- validate", consumer);
        Assert.Contains("default greeting: hello from nickel", rerun);
    }

    [Fact]
    public async Task The_template_instance_builds_validates_and_renders_with_no_edit()
    {
        var root = RepoRoot();
        var configuration = typeof(PackageConsumerTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "Configuration").Value!;
        var version = $"0.1.0-template.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var feed = Path.Combine(_work, "feed");
        var hive = Path.Combine(_work, "template-hive");
        var instance = Path.Combine(_work, "TeamNet");

        // The packed SDK and the packed template, as a newcomer gets them.
        await Dotnet($"pack \"{Path.Combine(root, "src", "FlatRacoon.Sdk", "FlatRacoon.Sdk.csproj")}\" -c {configuration} --no-build -o \"{feed}\" -p:PackageVersion={version}", root);
        await Dotnet($"pack \"{Path.Combine(root, "templates", "FlatRacoon.Templates", "FlatRacoon.Templates.csproj")}\" -c {configuration} -o \"{feed}\" -p:PackageVersion={version}", root);
        var templates = Path.Combine(feed, $"FlatRacoon.Templates.{version}.nupkg");
        using (var zip = ZipFile.OpenRead(templates))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
            Assert.Contains("content/flatracoon-stack/.template.config/template.json", entries);
            Assert.Contains("content/flatracoon-stack/configs/environments.json", entries);
            Assert.DoesNotContain(entries, e => e.Contains("/bin/") || e.Contains("/obj/"));
        }

        // A private template hive: the machine's own template list is not touched.
        await Dotnet($"new install \"{templates}\" --debug:custom-hive \"{hive}\"", _work);
        await Dotnet($"new flatracoon-stack -n TeamNet -o \"{instance}\" --sdk-version {version} --debug:custom-hive \"{hive}\"", _work);
        File.WriteAllText(Path.Combine(instance, "nuget.config"),
            $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n    <add key=\"flatracoon-local\" value=\"{feed}\" />\n  </packageSources>\n</configuration>\n");
        Assert.Contains("StackBuilder.Create(\"teamnet\", environment)", File.ReadAllText(Path.Combine(instance, "Stack.cs")));
        Assert.True(File.Exists(Path.Combine(instance, "TeamNet.csproj")));

        await Dotnet("build -c Release", instance);
        var validate = await Dotnet("run -c Release --no-build -- validate", instance);
        Assert.Contains("Stack 'teamnet' is valid: 2 modules", validate);

        var outDir = Path.Combine(_work, "render");
        var render = await Dotnet($"run -c Release --no-build -- render --environment development --out \"{outDir}\"", instance);
        Assert.Contains("Rendered stack 'teamnet' for environment 'development'", render);
        var deployment = File.ReadAllText(Path.Combine(outDir, "hello-web.yaml"));
        Assert.Contains("replicas: 1", deployment);
        Assert.Contains("\"greeting\": \"hello from development\"", deployment);
        Assert.True(File.Exists(Path.Combine(outDir, "kustomization.yaml")));
    }

    /// <summary>
    /// The README's "Start from an empty folder" block, exactly as written, line after line in one
    /// shell from the repository root, for a newcomer whose home folder is empty (a fresh HOME: `~`,
    /// the template list and NuGet's package folder are the newcomer's own, so the 0.1.0 just packed
    /// is the one used). Only the packing of the repository restores from the machine's package folder.
    /// </summary>
    [Fact]
    public async Task The_readme_newcomer_path_works_as_written_from_an_empty_folder()
    {
        var root = RepoRoot();
        var readme = File.ReadAllLines(Path.Combine(root, "README.adoc"));
        var section = Array.FindIndex(readme, l => l.StartsWith("== Start from an empty folder", StringComparison.Ordinal));
        Assert.True(section >= 0, "README.adoc has no 'Start from an empty folder' section");
        var open = Array.FindIndex(readme, section, l => l == "----");
        var close = Array.FindIndex(readme, open + 1, l => l == "----");
        var block = readme[(open + 1)..close];
        Assert.Contains(block, l => l.StartsWith("dotnet new flatracoon-stack", StringComparison.Ordinal));
        Assert.Contains(block, l => l.StartsWith("dotnet run -- render", StringComparison.Ordinal));

        var home = Path.Combine(_work, "home");
        Directory.CreateDirectory(home);
        var shared = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages ? packages
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var script = Path.Combine(_work, "readme.sh");
        File.WriteAllText(script, "set -e\n"
            + $"dotnet() {{ if [ \"$1\" = pack ]; then NUGET_PACKAGES='{shared}' command dotnet \"$@\"; else command dotnet \"$@\"; fi; }}\n"
            + string.Join("\n", block) + "\n");
        var output = await Run("bash", script, root, TimeSpan.FromMinutes(25), environment: new[]
        {
            ("HOME", home), ("NUGET_PACKAGES", Path.Combine(home, ".nuget", "packages")), ("DOTNET_CLI_HOME", (string?)null),
        });
        Assert.Contains("Stack 'mystack' is valid", output);
        Assert.Contains("Rendered stack 'mystack' for environment 'development'", output);
        Assert.True(File.Exists(Path.Combine(home, "my-stack", "out", "mystack", "kustomization.yaml")), output);
    }

    [Fact]
    public async Task A_team_test_project_uses_the_packed_testing_kit_against_the_fake_and_its_goldens()
    {
        var root = RepoRoot();
        var configuration = typeof(PackageConsumerTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "Configuration").Value!;
        var version = $"0.1.0-testing.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var feed = Path.Combine(_work, "feed");
        var consumer = Path.Combine(_work, "testing-consumer");

        // Packed as they are published: the SDK and the testing kit, the same version.
        await Dotnet($"pack \"{Path.Combine(root, "src", "FlatRacoon.Sdk", "FlatRacoon.Sdk.csproj")}\" -c {configuration} --no-build -o \"{feed}\" -p:PackageVersion={version}", root);
        await Dotnet($"pack \"{Path.Combine(root, "src", "FlatRacoon.Testing", "FlatRacoon.Testing.csproj")}\" -c {configuration} --no-build -o \"{feed}\" -p:PackageVersion={version}", root);
        using (var zip = ZipFile.OpenRead(Path.Combine(feed, $"FlatRacoon.Testing.{version}.nupkg")))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
            Assert.Contains("lib/net10.0/FlatRacoon.Testing.dll", entries);
            // The fake API server ships inside the kit.
            Assert.Contains("lib/net10.0/FlatRacoon.FakeApiServer.dll", entries);
            Assert.Contains("README.md", entries);
            Assert.Contains("LICENSE", entries);
            using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec")).Open());
            var metadata = nuspec.ReadToEnd();
            Assert.Contains($"<dependency id=\"FlatRacoon.Sdk\" version=\"{version}\"", metadata);
            Assert.Contains("<frameworkReference name=\"Microsoft.AspNetCore.App\" />", metadata);
            Assert.Contains("<license type=\"expression\">AGPL-3.0-or-later</license>", metadata);
            Assert.Contains("<repository type=\"git\" url=\"https://github.com/flatracoon/flatracoon-sdk\"", metadata);
            // The kit's API is also the fake's: both assemblies are tracked.
            AssertPublicApiTracked(root, entries);
        }
        Assert.True(File.Exists(Path.Combine(feed, $"FlatRacoon.Testing.{version}.snupkg")));

        // The team's test project: its declaration, its module, its tests, the test packages this repository pins.
        CopyDirectory(Path.Combine(AppContext.BaseDirectory, "TestingConsumer"), consumer);
        CopyDirectory(Path.Combine(AppContext.BaseDirectory, "Consumer", "modules"), Path.Combine(consumer, "modules"));
        if (Directory.Exists(Path.Combine(consumer, "Golden")))
        {
            Directory.Delete(Path.Combine(consumer, "Golden"), recursive: true);   // the committed one is passed by path below
        }
        var pins = File.ReadAllText(Path.Combine(root, "Directory.Packages.props"));
        string Pin(string id) => System.Text.RegularExpressions.Regex.Match(pins, $"<PackageVersion Include=\"{System.Text.RegularExpressions.Regex.Escape(id)}\" Version=\"([^\"]+)\"").Groups[1].Value;
        var template = Path.Combine(consumer, "TestingConsumer.csproj.template");
        File.WriteAllText(Path.Combine(consumer, "TestingConsumer.csproj"), File.ReadAllText(template)
            .Replace("$VERSION$", version).Replace("$TESTSDK$", Pin("Microsoft.NET.Test.Sdk")).Replace("$XUNIT$", Pin("xunit")).Replace("$XUNITRUNNER$", Pin("xunit.runner.visualstudio")));
        File.Delete(template);
        File.WriteAllText(Path.Combine(consumer, "nuget.config"),
            $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n    <add key=\"flatracoon-local\" value=\"{feed}\" />\n  </packageSources>\n</configuration>\n");
        File.WriteAllText(Path.Combine(consumer, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(consumer, "Directory.Packages.props"), "<Project />\n");

        // Its golden folder is the one committed here (FLATRACOON_UPDATE_GOLDENS=1 rewrites it there).
        var golden = Path.Combine(root, "tests", "FlatRacoon.Package.Tests", "TestingConsumer", "Golden", "production");
        var test = await Dotnet("test -c Release", consumer, environment: new[] { ("CONSUMER_GOLDEN_DIRECTORY", golden) });
        Assert.Matches(@"Passed!\s+-\s+Failed:\s+0, Passed:\s+2, Skipped:\s+0, Total:\s+2", test);

        // The kit's failure is the test's failure: a golden that differs fails the team's test with the kit's message.
        var edited = Path.Combine(_work, "edited-golden");
        CopyDirectory(golden, edited);
        var deployment = Path.Combine(edited, "hello-api.yaml");
        File.WriteAllText(deployment, File.ReadAllText(deployment).Replace("replicas: 2", "replicas: 5", StringComparison.Ordinal));
        var failed = await Dotnet("test -c Release --no-build", consumer, environment: new[] { ("CONSUMER_GOLDEN_DIRECTORY", edited) }, expectedExitCode: 1);
        Assert.Contains("FlatRacoon.Testing.FlatRacoonTestException : 1 difference between the output", failed);
        Assert.Contains("hello-api.yaml: differs from line", failed);
        Assert.Contains("golden:   replicas: 5", failed);
        Assert.Contains("actual:   replicas: 2", failed);
    }

    /// <summary>
    /// Every assembly the package ships in lib/ tracks its public API (PublicApiAnalyzers with its
    /// PublicAPI.Shipped.txt and PublicAPI.Unshipped.txt), so an accidental API change fails the build;
    /// and no leftover of scripts/public-api.sh (*.sorted, *.new) lies beside them.
    /// </summary>
    private static void AssertPublicApiTracked(string root, IEnumerable<string> entries)
    {
        var assemblies = entries.Where(e => e.StartsWith("lib/", StringComparison.Ordinal) && e.EndsWith(".dll", StringComparison.Ordinal))
            .Select(e => Path.GetFileNameWithoutExtension(e)).ToArray();
        Assert.NotEmpty(assemblies);
        foreach (var assembly in assemblies)
        {
            var project = Path.Combine(root, "src", assembly);
            var csproj = File.ReadAllText(Path.Combine(project, assembly + ".csproj"));
            Assert.True(csproj.Contains("Microsoft.CodeAnalysis.PublicApiAnalyzers", StringComparison.Ordinal), $"{assembly} ships in lib/ but does not reference PublicApiAnalyzers");
            foreach (var file in new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" })
            {
                Assert.True(File.Exists(Path.Combine(project, file)), $"{assembly} ships in lib/ but has no {file}");
                Assert.True(csproj.Contains($"<AdditionalFiles Include=\"{file}\"", StringComparison.Ordinal), $"{assembly} does not give {file} to the analyzer");
            }
            var leftovers = Directory.EnumerateFiles(project, "PublicAPI.*").Where(f => !f.EndsWith(".txt", StringComparison.Ordinal)).Select(Path.GetFileName).ToArray();
            Assert.True(leftovers.Length == 0, $"leftovers of scripts/public-api.sh in {project}: {string.Join(", ", leftovers)}");
        }
    }

    private Task<string> Dotnet(string arguments, string workingDirectory, string? prependPath = null, (string Name, string Value)[]? environment = null, int expectedExitCode = 0)
    {
        var variables = (environment ?? Array.Empty<(string, string)>()).Select(e => (e.Name, (string?)e.Value)).ToList();
        if (prependPath is not null)
        {
            variables.Add(("PATH", prependPath + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH")));
        }
        return Run("dotnet", arguments, workingDirectory, TimeSpan.FromMinutes(8), variables, expectedExitCode);
    }

    /// <summary>Runs <paramref name="program"/> (a variable given null is removed) and returns its output; it must end with <paramref name="expectedExitCode"/> within <paramref name="timeout"/>.</summary>
    private async Task<string> Run(string program, string arguments, string workingDirectory, TimeSpan timeout, IEnumerable<(string Name, string? Value)>? environment = null, int expectedExitCode = 0)
    {
        var info = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        // The test host's MSBuild settings must not leak into the child builds.
        foreach (var key in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "DOTNET_HOST_PATH" })
        {
            info.Environment.Remove(key);
        }
        foreach (var (name, value) in environment ?? Array.Empty<(string, string?)>())
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var exited = process.WaitForExitAsync();
        if (await Task.WhenAny(exited, Task.Delay(timeout)) != exited)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {arguments} timed out");
        }
        var output = await stdout + await stderr;
        _output.WriteLine($"$ {program} {arguments}\n{output}");
        Assert.True(process.ExitCode == expectedExitCode, $"{program} {arguments} exited with {process.ExitCode}, not {expectedExitCode}:\n{output}");
        return output;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FlatRacoon.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("FlatRacoon.sln not found");
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

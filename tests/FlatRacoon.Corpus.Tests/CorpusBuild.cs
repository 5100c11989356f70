using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace FlatRacoon.Corpus.Tests;

/// <summary>What building one case gave.</summary>
public sealed record CaseBuild(string Case, int ExitCode, IReadOnlyList<CaseDiagnostic> Diagnostics, string Output);

/// <summary>
/// Builds the corpus as a team outside this repository would: packs FlatRacoon.Sdk into a local
/// feed once, restores one consumer project against the PACKED package once, then runs a real
/// <c>dotnet build</c> of that project per case (the case's folder, configs and modules chosen by
/// properties; obj/bin per case), a few at a time. A theory row awaits only its own case.
/// </summary>
public sealed class CorpusBuild : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "flatracoon-corpus-" + Guid.NewGuid().ToString("N"));
    private readonly Lazy<Task<Prepared>> _prepared;
    private readonly ConcurrentDictionary<string, Lazy<Task<CaseBuild>>> _builds = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots = new(Parallelism, Parallelism);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _started;

    public CorpusBuild()
    {
        _prepared = new Lazy<Task<Prepared>>(PrepareAsync);
    }

    /// <summary>How many case builds run at once: FLATRACOON_CORPUS_PARALLEL, default 2 (the machines have 2 cores).</summary>
    public static int Parallelism =>
        int.TryParse(Environment.GetEnvironmentVariable("FLATRACOON_CORPUS_PARALLEL"), out var n) && n > 0 ? n : 2;

    /// <summary>The repository root (the folder holding FlatRacoon.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The folder of the cases.</summary>
    public static string StacksDirectory => Path.Combine(RepoRoot, "tests", "FlatRacoon.Corpus.Tests", "Stacks");

    /// <summary>Every case, by folder name, in ordinal order.</summary>
    public static IReadOnlyList<string> AllCases { get; } = Directory.Exists(StacksDirectory)
        ? Directory.GetDirectories(StacksDirectory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray()
        : Array.Empty<string>();

    /// <summary>
    /// The cases this run builds: all of them, or those whose names start with one of the
    /// comma-separated prefixes of FLATRACOON_CORPUS_CASES (to rerun a few without building the rest).
    /// </summary>
    public static IReadOnlyList<string> Cases { get; } = Selected(Environment.GetEnvironmentVariable("FLATRACOON_CORPUS_CASES"));

    private static IReadOnlyList<string> Selected(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return AllCases;
        }
        var prefixes = filter.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return AllCases.Where(c => prefixes.Any(p => c.StartsWith(p, StringComparison.Ordinal))).ToArray();
    }

    /// <summary>Time since the fixture was made (the whole corpus run, for the report line).</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>The build of <paramref name="name"/>; the first call starts every case's build in corpus order.</summary>
    public Task<CaseBuild> BuildAsync(string name)
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            foreach (var each in Cases)
            {
                _ = Build(each).Value;
            }
        }
        return Build(name).Value;
    }

    private Lazy<Task<CaseBuild>> Build(string name) =>
        _builds.GetOrAdd(name, n => new Lazy<Task<CaseBuild>>(() => BuildCaseAsync(n)));

    private async Task<CaseBuild> BuildCaseAsync(string name)
    {
        var prepared = await _prepared.Value;
        await _slots.WaitAsync();
        try
        {
            var caseDirectory = Path.Combine(StacksDirectory, name);
            var configs = Directory.Exists(Path.Combine(caseDirectory, "configs"))
                ? Path.Combine(caseDirectory, "configs")
                : Path.Combine(RepoRoot, "tests", "FlatRacoon.Corpus.Tests", "Configs");
            var output = Path.Combine(_work, "cases", name);
            var (exitCode, text) = await Dotnet(
                $"build \"{prepared.Project}\" --no-restore -c Debug -nologo -tl:off -v:minimal -clp:NoSummary;ForceNoAlign -nodeReuse:false " +
                $"-p:FlatRacoonSdkVersion={prepared.Version} -p:CorpusCase=\"{caseDirectory}\" -p:FlatRacoonConfigRoot=\"{configs}/\" " +
                $"-p:IntermediateOutputPath=\"{output}/obj/\" -p:OutputPath=\"{output}/bin/\"",
                prepared.Directory);
            return new CaseBuild(name, exitCode, BuildOutput.Parse(text, caseDirectory), text);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task<Prepared> PrepareAsync()
    {
        var configuration = typeof(CorpusBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "Configuration").Value!;
        // A unique version: the global packages folder never serves a stale copy (removed again in Dispose).
        var version = $"0.1.0-corpus.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var feed = Path.Combine(_work, "feed");
        var consumer = Path.Combine(_work, "consumer");
        Directory.CreateDirectory(consumer);

        var (packed, packOutput) = await Dotnet(
            $"pack \"{Path.Combine(RepoRoot, "src", "FlatRacoon.Sdk", "FlatRacoon.Sdk.csproj")}\" -c {configuration} --no-build -nologo -o \"{feed}\" -p:PackageVersion={version}",
            RepoRoot);
        if (packed != 0)
        {
            throw new InvalidOperationException($"packing FlatRacoon.Sdk failed ({packed}):\n{packOutput}");
        }

        File.Copy(Path.Combine(RepoRoot, "tests", "FlatRacoon.Corpus.Tests", "Consumer", "Corpus.csproj"), Path.Combine(consumer, "Corpus.csproj"));
        // Only the local feed is added to the machine's sources; nothing of this repository leaks in.
        File.WriteAllText(Path.Combine(consumer, "nuget.config"),
            $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n    <add key=\"flatracoon-corpus\" value=\"{feed}\" />\n  </packageSources>\n</configuration>\n");
        File.WriteAllText(Path.Combine(consumer, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(consumer, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(consumer, "Directory.Packages.props"), "<Project />\n");

        var project = Path.Combine(consumer, "Corpus.csproj");
        var (restored, restoreOutput) = await Dotnet($"restore \"{project}\" -nologo -p:FlatRacoonSdkVersion={version}", consumer);
        if (restored != 0)
        {
            throw new InvalidOperationException($"restoring the corpus consumer failed ({restored}):\n{restoreOutput}");
        }
        return new Prepared(version, consumer, project);
    }

    private static async Task<(int ExitCode, string Output)> Dotnet(string arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["MSBUILDTERMINALLOGGER"] = "off";
        // The test host's MSBuild settings and any FlatRacoon settings must not leak into the child builds.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("FLATRACOON_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }
        foreach (var key in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "DOTNET_HOST_PATH" })
        {
            info.Environment.Remove(key);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var exited = process.WaitForExitAsync();
        if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromMinutes(5))) != exited)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"dotnet {arguments} timed out after 5 minutes\n{await stdout}{await stderr}");
        }
        var output = new StringBuilder().Append(await stdout).Append(await stderr).ToString();
        return (process.ExitCode, output);
    }

    public void Dispose()
    {
        _slots.Dispose();
        if (_prepared.IsValueCreated && _prepared.Value.IsCompletedSuccessfully)
        {
            // The extracted copy of this run's unique package version is of no further use.
            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            var extracted = Path.Combine(packages, "flatracoon.sdk", _prepared.Value.Result.Version);
            if (Directory.Exists(extracted))
            {
                Directory.Delete(extracted, recursive: true);
            }
        }
        if (Directory.Exists(_work))
        {
            Directory.Delete(_work, recursive: true);
        }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FlatRacoon.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("FlatRacoon.sln not found above " + AppContext.BaseDirectory);
    }

    private sealed record Prepared(string Version, string Directory, string Project);
}

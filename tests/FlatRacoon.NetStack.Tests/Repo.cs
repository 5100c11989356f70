using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace FlatRacoon.Samples.Tests;

internal static class Repo
{
    /// <summary>The repository root: the folder holding FlatRacoon.sln.</summary>
    public static string Root { get; } = Find();

    private static string Find()
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

    public static string TempDir(string prefix)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Runs a process to completion; returns its exit code and output.</summary>
    public static async Task<(int Code, string Out, string Err)> Run(string file, string arguments, string workingDirectory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var exited = process.WaitForExitAsync();
        if (await Task.WhenAny(exited, Task.Delay(timeout)) != exited)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{file} {arguments}' did not finish in {timeout}.");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}

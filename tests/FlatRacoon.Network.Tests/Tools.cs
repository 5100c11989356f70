using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using FlatRacoon.Rendering;
using FlatRacoon.Samples;

namespace FlatRacoon.Network.Tests;

internal static class Tools
{
    public static ManifestSet Sample() => StackRenderer.Render(NetStack.Create().Build());

    public static string Artifact(ManifestSet set, string module, string file) =>
        set.Artifacts.Single(a => a.RelativePath == $"{module}/{file}").Content;

    public static string TempDir(string prefix)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Runs a tool to completion with a hard timeout; returns exit code and combined output.</summary>
    public static async Task<(int Code, string Output)> Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var exited = process.WaitForExitAsync();
        if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(60))) != exited)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{file} {string.Join(" ", arguments)}' did not finish in 60 s.");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Starts a daemon in the background through a shell that execs it (the PID is the daemon's).</summary>
    public static Process Start(string shellCommand) =>
        Process.Start(new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", "exec " + shellCommand }, UseShellExecute = false })!;

    public static void Stop(Process? process)
    {
        if (process is null)
        {
            return;
        }
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        process.Dispose();
    }

    /// <summary>Polls <paramref name="probe"/> until it holds (at most 20 s); returns its last result.</summary>
    public static async Task<bool> Eventually(Func<Task<bool>> probe)
    {
        for (var i = 0; i < 80; i++)
        {
            if (await probe())
            {
                return true;
            }
            await Task.Delay(250);
        }
        return false;
    }
}

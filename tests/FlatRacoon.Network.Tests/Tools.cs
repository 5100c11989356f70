using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using FlatRacoon.Tests.Shared;

namespace FlatRacoon.Network.Tests;

internal static class Tools
{
    public static string TempDir(string prefix)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Runs a tool to completion with a hard timeout; returns exit code and combined output.</summary>
    public static Task<(int Code, string Output)> Run(string file, params string[] arguments) => Daemons.Run(file, null, arguments);

    /// <summary>Starts a daemon in the background through a shell that execs it (the PID is the daemon's).</summary>
    public static Process Start(string shellCommand) => Daemons.Start(shellCommand);

    public static void Stop(Process? process) => Daemons.Stop(process);

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

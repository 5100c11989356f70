using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace FlatRacoon.Tests.Shared;

/// <summary>
/// Real tools and daemons the integration tests run: a tool to completion with a hard timeout, a
/// daemon through a shell that execs it (its PID is the daemon's) and stopped by that PID, a free
/// loopback port.
/// </summary>
internal static class Daemons
{
    /// <summary>Runs a tool to completion (60 s at most); exit code and combined output.</summary>
    public static async Task<(int Code, string Output)> Run(string file, IDictionary<string, string>? environment, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }
        foreach (var pair in environment ?? new Dictionary<string, string>())
        {
            info.Environment[pair.Key] = pair.Value;
        }
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{file} is not installed ({e.Message}): run the scripts of scripts/setup.d/ (bash scripts/test.sh runs them).");
        }
        using (process)
        {
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
    }

    /// <summary>Starts a daemon in the background through a shell that execs it (the PID is the daemon's).</summary>
    public static Process Start(string shellCommand) =>
        Process.Start(new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", "exec " + shellCommand }, UseShellExecute = false })!;

    /// <summary>Stops a daemon the test started, by its PID.</summary>
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

    /// <summary>A TCP port free on the loopback address right now.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;
using FlatRacoon.Rendering;
using FlatRacoon.Samples;

namespace FlatRacoon.Dashboard.Tests;

/// <summary>What the agents' tests share: the sample's render, free ports, HTTP answers, tools run to completion, polling.</summary>
internal static class AgentSupport
{
    public static ManifestSet Render() => StackRenderer.Render(NetStack.Create().Build());

    public static string Artifact(ManifestSet set, string module, string file) =>
        set.Artifacts.Single(a => a.RelativePath == $"{module}/{file}").Content;

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static async Task<(int Status, string Text)> GetAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        using var response = await http.GetAsync(url);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Polls <paramref name="probe"/> every 200 ms until it holds or <paramref name="seconds"/> pass.</summary>
    public static async Task<bool> Eventually(Func<Task<bool>> probe, double seconds = 30)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            if (await probe())
            {
                return true;
            }
            await Task.Delay(200);
        }
        return await probe();
    }

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
            throw new InvalidOperationException($"{file} is not installed ({e.Message}): run scripts/setup.d/30-network-daemons.sh and 40-kubectl.sh (bash scripts/test.sh runs them).");
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

    /// <summary>Starts a daemon through a shell that execs it, so the process (and its PID) is the daemon's.</summary>
    public static Process StartDaemon(string shellCommand) =>
        Process.Start(new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", "exec " + shellCommand }, UseShellExecute = false })!;

    /// <summary>Stops a daemon this test started, by its PID.</summary>
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
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Threading.Tasks;
using FlatRacoon.Tests.Shared;

namespace FlatRacoon.Dashboard.Tests;

/// <summary>What the agents' tests share (the sample's render is <see cref="RenderedSample"/>): free ports, HTTP answers, tools run to completion, polling.</summary>
internal static class AgentSupport
{
    public static int FreePort() => Daemons.FreePort();

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
    public static Task<(int Code, string Output)> Run(string file, IDictionary<string, string>? environment, params string[] arguments) => Daemons.Run(file, environment, arguments);

    /// <summary>Starts a daemon through a shell that execs it, so the process (and its PID) is the daemon's.</summary>
    public static Process StartDaemon(string shellCommand) => Daemons.Start(shellCommand);

    /// <summary>Stops a daemon this test started, by its PID.</summary>
    public static void Stop(Process? process) => Daemons.Stop(process);
}

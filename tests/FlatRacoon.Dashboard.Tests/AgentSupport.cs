using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using FlatRacoon.Rendering;
using FlatRacoon.Samples;
using FlatRacoon.Tests.Shared;

namespace FlatRacoon.Dashboard.Tests;

/// <summary>What the agents' tests share: the sample's render, free ports, HTTP answers, tools run to completion, polling.</summary>
internal static class AgentSupport
{
    public static ManifestSet Render() => StackRenderer.Render(NetStack.Create().Build());

    public static string Artifact(ManifestSet set, string module, string file) =>
        set.Artifacts.Single(a => a.RelativePath == $"{module}/{file}").Content;

    /// <summary>The module's settings as its container reads them: the <c>config.json</c> key of the module's ConfigMap (mounted at <c>$FLATRACOON_CONFIG</c>).</summary>
    public static string ModuleConfig(ManifestSet set, string module) =>
        set.Objects.Where(o => o.Module == module).Select(o => o.Object).OfType<k8s.Models.V1ConfigMap>()
            .Single(c => c.Data is not null && c.Data.ContainsKey("config.json")).Data["config.json"];

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

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using FlatRacoon.Deployment;
using FlatRacoon.Testing.Fake;
using FlatRacoon.Narration;
using FlatRacoon.Rendering;
using FlatRacoon.Samples;
using FlatRacoon.Secrets;

namespace FlatRacoon.Dashboard.Tests;

/// <summary>The sample stack applied to a fresh fake API server, and a kubeconfig that points at it.</summary>
public sealed class Cluster : IAsyncDisposable
{
    /// <summary>What every apply-time secret reference of the sample resolves to: no answer may ever contain it.</summary>
    public const string SecretValue = "AGE-SECRET-KEY-1DASHBOARDTESTDASHBOARDTESTDASHBOARDTESTDASHBOARDTE";

    private Cluster(FakeApiServer fake, string kubeconfig)
    {
        Fake = fake;
        Kubeconfig = kubeconfig;
    }

    public FakeApiServer Fake { get; }
    public string Kubeconfig { get; }

    public static string RepoRoot { get; } = Metadata("RepoRoot");
    public static string Configuration { get; } = Metadata("Configuration");

    private static string Metadata(string key) => typeof(Cluster).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    /// <summary>The sample, rendered.</summary>
    public static DeploymentSet Sample() => DeploymentSet.From(StackRenderer.Render(NetStack.Create().Build()));

    /// <summary>Starts the fake and applies the sample to it with the deployment engine (every secret reference resolves to <see cref="SecretValue"/>).</summary>
    public static async Task<Cluster> StartWithSampleAsync()
    {
        var fake = await FakeApiServer.StartAsync();
        using (var api = new KubeApiClient(new HttpClient(), fake.BaseUri))
        {
            var deployer = new Deployer(api, new SilentNarrator(), new DeployOptions
            {
                PollInterval = TimeSpan.FromMilliseconds(20),
                WaveTimeout = TimeSpan.FromSeconds(30),
                User = "tester",
                SecretResolver = new ConstantResolver(SecretValue),
            });
            await deployer.ApplyAsync(Sample());
        }
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"flatracoon-dashboard-kubeconfig-{Guid.NewGuid():N}");
        fake.WriteKubeconfig(kubeconfig);
        return new Cluster(fake, kubeconfig);
    }

    public async ValueTask DisposeAsync()
    {
        File.Delete(Kubeconfig);
        await Fake.DisposeAsync();
    }

    private sealed class SilentNarrator : INarrator
    {
        public void Narrate(NarrationEvent e) { }
    }

    private sealed class ConstantResolver : ISecretResolver
    {
        private readonly string _value;
        public ConstantResolver(string value) => _value = value;
        public Task<byte[]> ResolveAsync(SecretReference reference, CancellationToken cancellation) => Task.FromResult(System.Text.Encoding.UTF8.GetBytes(_value));
    }
}

/// <summary>A program of this repository started as a real process; stopped (by its own PID) on dispose.</summary>
public sealed class RunningProgram : IAsyncDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private RunningProgram(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.CompleteAdding();
            }
            else
            {
                _lines.Add(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _stderr.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string StandardError => string.Join("\n", _stderr);
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>The sample stack program (samples/FlatRacoon.NetStack) in its own output folder (its own deps.json), same configuration as this test.</summary>
    public static string SampleProgram => Path.Combine(Cluster.RepoRoot, "samples", "FlatRacoon.NetStack", "bin", Cluster.Configuration, "net10.0", "FlatRacoon.NetStack.dll");

    /// <summary>The in-cluster dashboard (src/FlatRacoon.Dashboard.Server) in its own output folder.</summary>
    public static string DashboardServer => Path.Combine(Cluster.RepoRoot, "src", "FlatRacoon.Dashboard.Server", "bin", Cluster.Configuration, "net10.0", "FlatRacoon.Dashboard.Server.dll");

    /// <summary>The ipv6-site-enforcer's main container (src/FlatRacoon.Ipv6SiteEnforcer) in its own output folder.</summary>
    public static string Ipv6SiteEnforcer => Path.Combine(Cluster.RepoRoot, "src", "FlatRacoon.Ipv6SiteEnforcer", "bin", Cluster.Configuration, "net10.0", "FlatRacoon.Ipv6SiteEnforcer.dll");

    /// <summary>The flatracoon-os node agent (src/FlatRacoon.NodeAgent) in its own output folder.</summary>
    public static string NodeAgent => Path.Combine(Cluster.RepoRoot, "src", "FlatRacoon.NodeAgent", "bin", Cluster.Configuration, "net10.0", "FlatRacoon.NodeAgent.dll");

    public static RunningProgram Start(string dll, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var pair in environment ?? new Dictionary<string, string>())
        {
            info.Environment[pair.Key] = pair.Value;
        }
        return new RunningProgram(Process.Start(info)!);
    }

    /// <summary>The first line of standard output that satisfies <paramref name="match"/>, within <paramref name="timeout"/>.</summary>
    public string WaitForLine(Func<string, bool> match, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            foreach (var line in _lines.GetConsumingEnumerable(cancel.Token))
            {
                if (match(line))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        throw new TimeoutException($"no matching line within {timeout.TotalSeconds} s; exited: {_process.HasExited}; stderr: {StandardError}");
    }

    public Task WaitForExitAsync() => _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(50));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}

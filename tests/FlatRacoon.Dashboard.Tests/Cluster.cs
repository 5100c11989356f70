using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using FlatRacoon.Deployment;
using FlatRacoon.Testing;
using FlatRacoon.Testing.Fake;
using FlatRacoon.Rendering;
using FlatRacoon.Samples;

namespace FlatRacoon.Dashboard.Tests;

/// <summary>
/// The sample stack applied to a fresh fake cluster of the testing kit (FlatRacoon.Testing's
/// <see cref="FakeCluster"/>) by the sample's own stack program, as a team tests its stack, and
/// the kubeconfig that points at it.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    /// <summary>What every apply-time secret reference of the sample resolves to: no answer may ever contain it.</summary>
    public const string SecretValue = "AGE-SECRET-KEY-1DASHBOARDTESTDASHBOARDTESTDASHBOARDTESTDASHBOARDTE";

    private Cluster(FakeCluster kit) => Kit = kit;

    /// <summary>The kit's fake cluster the sample was applied to.</summary>
    public FakeCluster Kit { get; }
    /// <summary>The fake API server itself (options, faults, recorded requests).</summary>
    public FakeApiServer Fake => Kit.Server;
    /// <summary>A kubeconfig pointing at the fake.</summary>
    public string Kubeconfig => Kit.KubeconfigPath;

    /// <summary>Who applied the sample, as its revision records it (the user running the tests).</summary>
    public static string User { get; } = Environment.UserName;

    public static string RepoRoot { get; } = Metadata("RepoRoot");
    public static string Configuration { get; } = Metadata("Configuration");

    private static string Metadata(string key) => typeof(Cluster).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    /// <summary>The sample, rendered (production, the program's default environment).</summary>
    public static DeploymentSet Sample() => DeploymentSet.From(StackRenderer.Render(NetStack.Create().Build()));

    /// <summary>
    /// The sample's stack program (samples/FlatRacoon.NetStack/Program.cs) with every apply-time
    /// secret reference of the sample resolved to <see cref="SecretValue"/>.
    /// </summary>
    public static TestStack SampleStack() => new TestStack(environment => NetStack.Create(environment))
        .WithSecrets(Sample().Objects.Where(o => DeploymentSet.IsMaterializedSecret(o.Body))
            .SelectMany(o => DeploymentSet.SecretReferences(o.Body))
            .Select(r => r.Reference.ToString())
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(r => r, _ => SecretValue, StringComparer.Ordinal));

    /// <summary>Starts a fake cluster and applies the sample to it with the program's <c>apply</c> (nothing it prints holds <see cref="SecretValue"/>).</summary>
    public static async Task<Cluster> StartWithSampleAsync()
    {
        var kit = await FakeCluster.StartAsync();
        try
        {
            kit.PollInterval = TimeSpan.FromMilliseconds(20);
            kit.WaveTimeout = TimeSpan.FromSeconds(30);
            var program = SampleStack();
            StackAssert.NoSecretValues(await kit.ApplyAsync(program, "production"), program.SecretValues);
            return new Cluster(kit);
        }
        catch
        {
            await kit.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Kit.DisposeAsync();
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

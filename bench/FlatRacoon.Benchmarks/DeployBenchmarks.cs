using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using FlatRacoon.Deployment;
using FlatRacoon.Testing.Fake;
using FlatRacoon.Narration;
using FlatRacoon.Rendering;

namespace FlatRacoon.Benchmarks;

/// <summary>
/// The deployment engine against the in-process FAKE API server: apply of 1,000 objects to an
/// empty cluster at 0 and 5 ms per request, and plan of 10,000 objects against a cluster that
/// already holds them. API requests per operation are printed after each iteration
/// ("requests: N").
/// dotnet run -c Release --project bench/FlatRacoon.Benchmarks -- --filter '*Deploy*'
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MinColumn, MedianColumn]
public class DeployBenchmarks
{
    private FakeApiServer _fake = null!;
    private KubeApiClient _api = null!;
    private DeploymentSet _set = null!;

    [Params(0, 5)]
    public int LatencyMs { get; set; }

    [IterationSetup(Target = nameof(Apply1000))]
    public void SetupApply()
    {
        _fake = FakeApiServer.StartAsync().GetAwaiter().GetResult();
        _fake.Options.ReadyDelay = TimeSpan.Zero;
        if (LatencyMs > 0)
        {
            _fake.Faults.Add(new FaultRule { When = _ => true, Latency = TimeSpan.FromMilliseconds(LatencyMs) });
        }
        _api = new KubeApiClient(new HttpClient(), _fake.BaseUri);
        _set = Synthetic(1000, namespaces: 10, waves: 4);
    }

    [Benchmark(Description = "apply 1,000 objects (empty cluster)")]
    public async Task<int?> Apply1000()
    {
        var result = await new Deployer(_api, NullNarrator.Instance, Options).ApplyAsync(_set);
        return result.Revision;
    }

    [IterationCleanup(Target = nameof(Apply1000))]
    public void CleanupApply()
    {
        Console.WriteLine($"// apply 1,000 @ {LatencyMs} ms: requests: {_fake.Requests.Count} (client: {_api.RequestCount}, writes: {_fake.WriteCount})");
        _api.Dispose();
        _fake.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>The engine's defaults (parallelism included), readiness polled every 10 ms.</summary>
    internal static DeployOptions Options => new() { PollInterval = TimeSpan.FromMilliseconds(10), User = "bench" };

    /// <summary>
    /// n objects (a tenth Deployments, the rest ConfigMaps) in <paramref name="namespaces"/> namespaces over <paramref name="waves"/> waves,
    /// plus the namespaces and the parent; another <paramref name="stack"/> has namespaces of its own.
    /// </summary>
    public static DeploymentSet Synthetic(int n, int namespaces, int waves, string stack = "bench")
    {
        var id = StackRenderer.ApplySetId(stack + "-applyset", StackRenderer.SystemNamespace, "ConfigMap", "");
        JsonObject Meta(string name, string? ns, int wave, string module) => new()
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["labels"] = new JsonObject { [Labels.ManagedBy] = "flatracoon", [Labels.PartOf] = stack, [Labels.Module] = module, [Labels.Layer] = "network", [Labels.ApplySetPartOf] = id },
            ["annotations"] = new JsonObject { [Labels.Wave] = wave.ToString(CultureInfo.InvariantCulture) },
        };
        var objects = new List<DesiredObject>
        {
            new(ManifestSet.StackFolder, 0, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = StackRenderer.SystemNamespace } }),
        };
        var nsNames = Enumerable.Range(0, namespaces).Select(i => stack == "bench" ? $"ns{i:D2}" : $"{stack}-ns{i:D2}").ToList();
        objects.AddRange(nsNames.Select(ns => new DesiredObject(ns, 0, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = Meta(ns, null, 0, ns) })));
        for (var i = 0; i < n; i++)
        {
            var ns = nsNames[i % namespaces];
            var wave = 1 + i % waves;
            var module = $"m{i % 50:D2}";
            JsonObject body = i % 10 == 0
                ? new JsonObject
                {
                    ["apiVersion"] = "apps/v1",
                    ["kind"] = "Deployment",
                    ["metadata"] = Meta($"d{i:D5}", ns, wave, module),
                    ["spec"] = new JsonObject
                    {
                        ["replicas"] = 2,
                        ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = $"d{i:D5}" } },
                        ["template"] = new JsonObject
                        {
                            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = $"d{i:D5}" } },
                            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "ghcr.io/example/app:1.0.0" }) },
                        },
                    },
                }
                : new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "ConfigMap",
                    ["metadata"] = Meta($"c{i:D5}", ns, wave, module),
                    ["data"] = new JsonObject { ["config.json"] = $"{{\"index\": {i}}}" },
                };
            objects.Add(new DesiredObject(module, wave, body));
        }
        var groupKinds = objects.Skip(1).Select(o => KubeObject.Group(KubeObject.ApiVersion(o.Body)) is { Length: > 0 } g ? $"{o.Kind}.{g}" : o.Kind).Distinct().OrderBy(k => k, StringComparer.Ordinal);
        objects.Add(new DesiredObject(ManifestSet.StackFolder, 0, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject
            {
                ["name"] = stack + "-applyset",
                ["namespace"] = StackRenderer.SystemNamespace,
                ["labels"] = new JsonObject { [Labels.ApplySetId] = id },
                ["annotations"] = new JsonObject
                {
                    [Labels.ApplySetTooling] = StackRenderer.Tooling,
                    [Labels.ApplySetContainsGroupKinds] = string.Join(",", groupKinds),
                    [Labels.ApplySetAdditionalNamespaces] = string.Join(",", nsNames),
                },
            },
        }));
        return new DeploymentSet(stack, id, objects);
    }
}

/// <summary>Plan of 10,000 objects against a cluster that holds them (one apply in the setup).</summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class DeployPlanBenchmarks
{
    private FakeApiServer _fake = null!;
    private KubeApiClient _api = null!;
    private DeploymentSet _set = null!;
    private int _before;

    [GlobalSetup]
    public void Setup()
    {
        _fake = FakeApiServer.StartAsync().GetAwaiter().GetResult();
        _fake.Options.ReadyDelay = TimeSpan.Zero;
        _api = new KubeApiClient(new HttpClient(), _fake.BaseUri);
        _set = DeployBenchmarks.Synthetic(10_000, namespaces: 20, waves: 4);
        new Deployer(_api, NullNarrator.Instance, DeployBenchmarks.Options).ApplyAsync(_set).GetAwaiter().GetResult();
    }

    [IterationSetup]
    public void Count() => _before = _fake.Requests.Count;

    [Benchmark(Description = "plan 10,000 objects (all unchanged)")]
    public async Task<int> Plan10000() => (await new Deployer(_api, NullNarrator.Instance, DeployBenchmarks.Options).PlanAsync(_set)).Count(PlanAction.Unchanged);

    [IterationCleanup]
    public void Report() => Console.WriteLine($"// plan 10,000: requests: {_fake.Requests.Count - _before}");

    [GlobalCleanup]
    public void Cleanup()
    {
        _api.Dispose();
        _fake.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}

/// <summary>Narrates nothing (benchmarks measure the engine, not the console).</summary>
public sealed class NullNarrator : INarrator
{
    public static readonly NullNarrator Instance = new();
    public void Narrate(NarrationEvent e)
    {
    }
}

/// <summary>
/// For finding where an apply's time goes (FLATRACOON_BENCH_NARRATE=1): each step but the per-object
/// ones on stderr, with the milliseconds since the narrator was made, and the process's CPU time and
/// JIT time (its compiler threads' included) since then.
/// </summary>
public sealed class TimedNarrator : INarrator
{
    private readonly System.Diagnostics.Stopwatch _since = System.Diagnostics.Stopwatch.StartNew();
    private readonly TimeSpan _cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
    private readonly TimeSpan _jit = System.Runtime.JitInfo.GetCompilationTime();

    /// <summary>A timed narrator when FLATRACOON_BENCH_NARRATE is 1, else <see cref="NullNarrator"/>.</summary>
    public static INarrator FromEnvironment() =>
        Environment.GetEnvironmentVariable("FLATRACOON_BENCH_NARRATE") == "1" ? new TimedNarrator() : NullNarrator.Instance;

    public void Narrate(NarrationEvent e)
    {
        if (e.Step != "apply.object")
        {
            var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - _cpu;
            var jit = System.Runtime.JitInfo.GetCompilationTime() - _jit;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{_since.Elapsed.TotalMilliseconds,7:0} ms (cpu {cpu.TotalMilliseconds,4:0}, jit {jit.TotalMilliseconds,4:0})  {e.Step}: {e.Message}"));
        }
    }
}

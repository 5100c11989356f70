using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using FlatRacoon.Testing.Fake;
using FlatRacoon.Narration;
using FlatRacoon.Rendering;
using FlatRacoon.Samples;
using FlatRacoon.Testing;

namespace FlatRacoon.Deployment.Tests;

/// <summary>Keeps every event and also writes them as text and as JSON lines, as the CLI would.</summary>
public sealed class RecordingNarrator : INarrator
{
    private readonly TextNarrator _text;
    private readonly JsonLinesNarrator _json;
    public ConcurrentQueue<NarrationEvent> Events { get; } = new();
    public StringWriter Text { get; } = new();
    public StringWriter Json { get; } = new();
    public Action<NarrationEvent>? OnEvent { get; set; }

    public RecordingNarrator()
    {
        _text = new TextNarrator(TextWriter.Synchronized(Text));
        _json = new JsonLinesNarrator(TextWriter.Synchronized(Json));
    }

    public void Narrate(NarrationEvent e)
    {
        Events.Enqueue(e);
        lock (this)
        {
            _text.Narrate(e);
            _json.Narrate(e);
        }
        OnEvent?.Invoke(e);
    }

    public IEnumerable<string> Messages => Events.Select(e => e.Message);
}

/// <summary>Resolves every reference through a function (null: unresolvable, as a missing variable would be); counts calls.</summary>
public sealed class MapSecretResolver : FlatRacoon.Secrets.ISecretResolver
{
    private readonly Func<SecretReference, string?> _map;
    private int _calls;

    public MapSecretResolver(Func<SecretReference, string?> map) => _map = map;

    public int Calls => _calls;

    public System.Threading.Tasks.Task<byte[]> ResolveAsync(SecretReference reference, System.Threading.CancellationToken cancellation)
    {
        System.Threading.Interlocked.Increment(ref _calls);
        return _map(reference) is { } value
            ? System.Threading.Tasks.Task.FromResult(System.Text.Encoding.UTF8.GetBytes(value))
            : throw new FlatRacoon.Secrets.SecretResolutionException(reference, "not in the test's map.");
    }
}

/// <summary>The testing kit's fake cluster, a client for it with short retry delays, and an engine with short waits.</summary>
public sealed class Harness : IAsyncDisposable
{
    public static readonly RetryPolicy FastRetry = new() { BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50), RequestTimeout = TimeSpan.FromSeconds(10) };
    /// <summary>What every apply-time secret reference of the sample resolves to, unless a test says otherwise.</summary>
    public const string SampleSecretValue = "sample-secret-value-7f3a";

    public static readonly DeployOptions FastOptions = new()
    {
        PollInterval = TimeSpan.FromMilliseconds(20), WaveTimeout = TimeSpan.FromSeconds(20), Parallelism = 4, User = "test",
        SecretResolver = new MapSecretResolver(_ => SampleSecretValue),
    };

    private Harness(FakeCluster cluster, RetryPolicy retry)
    {
        Cluster = cluster;
        Api = cluster.CreateClient(retry);
    }

    /// <summary>The fake cluster (FlatRacoon.Testing): its kubeconfig, the stack program's commands against it.</summary>
    public FakeCluster Cluster { get; }
    /// <summary>The fake API server itself: options, faults, recorded requests, objects.</summary>
    public FakeApiServer Fake => Cluster.Server;
    public KubeApiClient Api { get; }
    public RecordingNarrator Narrator { get; private set; } = new();

    public static async Task<Harness> StartAsync(RetryPolicy? retry = null) => new(await FakeCluster.StartAsync(), retry ?? FastRetry);

    /// <summary>A fresh engine with a fresh narrator.</summary>
    public Deployer Deployer(DeployOptions? options = null)
    {
        Narrator = new RecordingNarrator();
        Api.OnRetry = null;
        return new Deployer(Api, Narrator, options ?? FastOptions);
    }

    /// <summary>The sample stack (samples/FlatRacoon.NetStack), rendered.</summary>
    public static DeploymentSet Sample() => DeploymentSet.From(StackRenderer.Render(NetStack.Create().Build()));

    /// <summary>The sample with <paramref name="edit"/> applied to copies of its objects, and objects added or removed.</summary>
    public static DeploymentSet Edit(DeploymentSet set, Func<DesiredObject, DesiredObject?> edit, params DesiredObject[] added) =>
        new(set.StackName, set.ApplySetId, set.Objects.Select(o => edit(o with { Body = (JsonObject)o.Body.DeepClone() })).Where(o => o is not null).Select(o => o!).Concat(added));

    public static DesiredObject ConfigMap(string ns, string name, string module, int wave, string applySetId, string value = "v") => new(module, wave, new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["labels"] = new JsonObject
            {
                [Labels.ManagedBy] = "flatracoon",
                [Labels.PartOf] = NetStack.Name,
                [Labels.Module] = module,
                [Labels.ApplySetPartOf] = applySetId,
            },
            ["annotations"] = new JsonObject { [Labels.Wave] = wave.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        },
        ["data"] = new JsonObject { ["key"] = value },
    });

    /// <summary>Every stored object without what the server changes on its own (versions, times, status), for object-by-object comparison.</summary>
    public Dictionary<string, string> Comparable()
    {
        return Fake.Snapshot().ToDictionary(p => p.Key, p =>
        {
            var o = KubeObject.Comparable(p.Value);
            var managed = p.Value["metadata"]?["managedFields"]?.DeepClone() as JsonArray ?? new JsonArray();
            foreach (var entry in managed.OfType<JsonObject>())
            {
                entry.Remove("time");
            }
            o["metadata"]!["uid"] = p.Value["metadata"]?["uid"]?.DeepClone();
            o["metadata"]!["managedFields"] = managed;
            return KubeObject.Canonical(o);
        }, StringComparer.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Cluster.DisposeAsync();
    }
}

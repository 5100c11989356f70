using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FlatRacoon.Deployment;
using FlatRacoon.Narration;
using FlatRacoon.Testing.Fake;

namespace FlatRacoon.Testing;

/// <summary>
/// A FAKE Kubernetes cluster for a unit test: the in-process fake API server (Kestrel on
/// 127.0.0.1 and a free port, see <see cref="FakeApiServer"/>) and a kubeconfig pointing at it.
/// Apply, plan, roll back and destroy a team's stack through the stack program's own commands —
/// the SDK's real deploy engine — then inspect what the "cluster" holds.
/// <code>
/// await using var cluster = await FakeCluster.StartAsync();
/// var stack = new TestStack(env =&gt; MyStack.Create(env), MyStack.Configure);
/// await cluster.ApplyAsync(stack, "development");
/// var deployment = cluster.Get("Deployment", "team-cache", "team-cache");
/// </code>
/// It is a fake: it implements the REST subset the engine uses after the API's documentation and
/// simulates controllers (workloads become ready after <see cref="FakeClusterOptions.ReadyDelay"/>);
/// see docs/reference/fake-api-server.md for what differs from a real API server.
/// </summary>
public sealed class FakeCluster : IAsyncDisposable
{
    private readonly string _directory;

    private FakeCluster(FakeApiServer server, string directory)
    {
        Server = server;
        _directory = directory;
        KubeconfigPath = server.WriteKubeconfig(Path.Combine(directory, "kubeconfig"));
    }

    /// <summary>The fake API server: its options (readiness delay, objects that never become ready), fault injection, recorded requests.</summary>
    public FakeApiServer Server { get; }

    /// <summary>A kubeconfig file pointing at the fake (an anonymous user, as a local test server has); deleted on dispose.</summary>
    public string KubeconfigPath { get; }

    /// <summary>How often apply waits between readiness checks (the program's <c>--poll-interval</c>); short, since the fake is quick.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(25);

    /// <summary>How long each wave may take to become ready (the program's <c>--timeout</c>).</summary>
    public TimeSpan WaveTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Starts a fake cluster with the built-in kinds and common CRD kinds, and the namespaces every cluster has.</summary>
    public static async Task<FakeCluster> StartAsync(CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        var server = await FakeApiServer.StartAsync().ConfigureAwait(false);
        var directory = Path.Combine(Path.GetTempPath(), "flatracoon-fake-cluster-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        foreach (var ns in new[] { "default", "kube-system", "kube-public" })
        {
            server.ApplyAs("kube-apiserver", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } });
        }
        return new FakeCluster(server, directory);
    }

    /// <summary>Runs a cluster command of <paramref name="stack"/> (plan, apply, status, history, rollback, destroy, or one of the team's) against this cluster.</summary>
    public Task<StackRun> RunAsync(TestStack stack, params string[] args) =>
        (stack ?? throw new ArgumentNullException(nameof(stack))).RunAsync(args.Concat(new[] { "--kubeconfig", KubeconfigPath }));

    /// <summary>
    /// <c>apply</c>: server-side apply wave by wave, readiness waits, prune, a revision recorded.
    /// Secret references resolve as the program configures them (by default as in production:
    /// <c>env://</c>, <c>file://</c>, ...), or to test values with <see cref="TestStack.WithSecrets"/>. Throws
    /// <see cref="FlatRacoonTestException"/> with the program's output when it does not exit 0.
    /// </summary>
    public Task<StackRun> ApplyAsync(TestStack stack, string? environment = null, params string[] extraArgs) =>
        Expect(stack, "apply", environment, new[] { "--poll-interval", Milliseconds(PollInterval), "--timeout", Seconds(WaveTimeout) }.Concat(extraArgs));

    /// <summary><c>plan</c>: the dry-run diff against the cluster; <see cref="PlanSummary"/> reads its counts.</summary>
    public async Task<PlanSummary> PlanAsync(TestStack stack, string? environment = null)
    {
        var run = await Expect(stack, "plan", environment, new[] { "--output", "json" }).ConfigureAwait(false);
        return PlanSummary.From(run);
    }

    /// <summary><c>rollback</c>: re-applies revision <paramref name="to"/> (null: the one before the last).</summary>
    public Task<StackRun> RollbackAsync(TestStack stack, int? to = null, string? environment = null) =>
        Expect(stack, "rollback", environment, (to is { } n ? new[] { "--to", n.ToString(System.Globalization.CultureInfo.InvariantCulture) } : Array.Empty<string>())
            .Concat(new[] { "--poll-interval", Milliseconds(PollInterval), "--timeout", Seconds(WaveTimeout) }));

    /// <summary><c>destroy --yes</c>: deletes every object of the stack in reverse wave order, each wave gone before the next, then its history.</summary>
    public Task<StackRun> DestroyAsync(TestStack stack, string? environment = null) =>
        Expect(stack, "destroy", environment, new[] { "--yes", "--poll-interval", Milliseconds(PollInterval), "--timeout", Seconds(WaveTimeout) });

    /// <summary>The object as the API returns it, or null when there is none. <paramref name="ns"/> is null for cluster-scoped kinds.</summary>
    public JsonObject? Find(string kind, string? ns, string name) => Server.Find(kind, ns, name);

    /// <summary>The object as the API returns it; throws <see cref="FlatRacoonTestException"/> naming the objects of that kind when it is missing.</summary>
    public JsonObject Get(string kind, string? ns, string name)
    {
        if (Find(kind, ns, name) is { } found)
        {
            return found;
        }
        var same = Objects().Keys.Where(k => k.Split('/') is { Length: >= 3 } parts && parts[1] == kind).ToArray();
        throw new FlatRacoonTestException($"the fake cluster has no {kind} {(ns is null ? name : ns + "/" + name)}; "
            + (same.Length == 0 ? $"it has no {kind} at all." : $"its {kind} objects: {string.Join(", ", same)}."));
    }

    /// <summary>Every stored object as the API returns it, by <c>group/Kind/namespace/name</c>.</summary>
    public IReadOnlyDictionary<string, JsonObject> Objects() => Server.Snapshot();

    /// <summary>
    /// A client of the fake for the SDK's engine used directly (<see cref="Deployer"/>): short
    /// retry delays, so an injected fault costs milliseconds. The caller disposes it.
    /// </summary>
    public KubeApiClient CreateClient(RetryPolicy? retry = null) =>
        new(new HttpClient(), Server.BaseUri, retry: retry ?? new RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50), RequestTimeout = TimeSpan.FromSeconds(10) });

    /// <summary>Stops the fake and deletes its kubeconfig.</summary>
    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }

    private async Task<StackRun> Expect(TestStack stack, string command, string? environment, IEnumerable<string> args)
    {
        var run = await RunAsync(stack, TestStack.WithEnvironment(new[] { command }.Concat(args), environment).ToArray()).ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            throw new FlatRacoonTestException($"{command}{TestStack.For(environment)} against the fake cluster failed: {run}");
        }
        return run;
    }

    private static string Milliseconds(TimeSpan t) => Math.Max(1, (long)t.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
    private static string Seconds(TimeSpan t) => Math.Max(1, (long)Math.Ceiling(t.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>What <c>plan</c> found: how many objects it would create, update and delete, and which.</summary>
/// <param name="Create">Objects to create.</param>
/// <param name="Update">Objects to update.</param>
/// <param name="Delete">Objects to delete.</param>
/// <param name="Unchanged">Objects that already match.</param>
/// <param name="Changes">Each change as <c>action Kind namespace/name</c>, in plan order.</param>
public sealed record PlanSummary(int Create, int Update, int Delete, int Unchanged, IReadOnlyList<string> Changes)
{
    /// <summary>Whether applying would change nothing.</summary>
    public bool IsEmpty => Create == 0 && Update == 0 && Delete == 0;

    /// <inheritdoc />
    public override string ToString() => $"{Create} to create, {Update} to update, {Delete} to delete, {Unchanged} unchanged"
        + (Changes.Count == 0 ? "" : ": " + string.Join("; ", Changes));

    internal static PlanSummary From(StackRun run)
    {
        foreach (var line in run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.TryGetProperty("step", out var step) && step.GetString() == "plan.result")
            {
                var plan = root.GetProperty("data").GetProperty("plan");
                var summary = plan.GetProperty("summary");
                var changes = plan.GetProperty("objects").EnumerateArray()
                    .Where(o => o.GetProperty("action").GetString() != "unchanged")
                    .Select(o => $"{o.GetProperty("action").GetString()} {o.GetProperty("kind").GetString()} "
                        + (o.TryGetProperty("namespace", out var ns) && ns.ValueKind == JsonValueKind.String ? ns.GetString() + "/" : "") + o.GetProperty("name").GetString())
                    .ToArray();
                return new PlanSummary(summary.GetProperty("create").GetInt32(), summary.GetProperty("update").GetInt32(),
                    summary.GetProperty("delete").GetInt32(), summary.GetProperty("unchanged").GetInt32(), changes);
            }
        }
        throw new FlatRacoonTestException($"plan printed no plan.result line: {run}");
    }
}

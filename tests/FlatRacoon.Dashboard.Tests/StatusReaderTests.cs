using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using FlatRacoon.Deployment;
using FlatRacoon.Testing.Fake;
using FlatRacoon.Observability;
using FlatRacoon.Samples;
using Xunit;

namespace FlatRacoon.Dashboard.Tests;

/// <summary>What the dashboard and /status read, in process against the fake: health, rights, a cluster that is gone.</summary>
public sealed class StatusReaderTests
{
    private static readonly RetryPolicy NoRetry = new() { MaxAttempts = 1, RequestTimeout = TimeSpan.FromSeconds(5) };

    private static StackStatusReader Reader(Cluster cluster, KubeApiClient api) => new(api, NetStack.Create().Build(), Cluster.Sample());

    [Fact(Timeout = 120_000)]
    public async Task An_unhealthy_service_shows_its_answer_and_the_module_keeps_its_workload_state()
    {
        await using var cluster = await Cluster.StartWithSampleAsync();
        using var api = new KubeApiClient(new HttpClient(), cluster.Fake.BaseUri, retry: NoRetry);
        cluster.Fake.Options.Unhealthy = service => KubeObject.Name(service) == "network-dashboard";
        var snapshot = await Reader(cluster, api).ReadAsync(CancellationToken.None);
        var dashboard = snapshot.Modules.Single(m => m.Name == "network-dashboard");
        Assert.Equal(503, dashboard.Health!.StatusCode);
        Assert.False(dashboard.Health.Healthy);
        Assert.Equal("ready", dashboard.State);
        Assert.Equal(4, dashboard.Wave);
        Assert.Equal("observability", dashboard.Layer);
        Assert.Equal(200, snapshot.Modules.Single(m => m.Name == "poly-k8s-mcp").Health!.StatusCode);
        Assert.Equal(1, snapshot.Revision!.Number);
        // The first apply created every object of the set (the count follows the render).
        Assert.Equal($"{Cluster.Sample().Objects.Length} created, 0 updated, 0 deleted", snapshot.Revision.Summary);
    }

    [Fact(Timeout = 120_000)]
    public async Task Without_the_right_to_read_revisions_every_module_is_still_shown()
    {
        await using var cluster = await Cluster.StartWithSampleAsync();
        using var api = new KubeApiClient(new HttpClient(), cluster.Fake.BaseUri, retry: NoRetry);
        cluster.Fake.Faults.Add(new FaultRule { When = r => r.Method == "GET" && r.Path.Contains("/secrets", StringComparison.Ordinal), Status = 403 });
        var snapshot = await Reader(cluster, api).ReadAsync(CancellationToken.None);
        Assert.Null(snapshot.Revision);
        Assert.StartsWith("cannot read the stack's revisions", snapshot.Problem);
        Assert.All(snapshot.Modules, m => Assert.Equal("ready", m.State));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_cluster_that_is_gone_is_one_problem_line_not_an_exception()
    {
        Uri gone;
        await using (var cluster = await Cluster.StartWithSampleAsync())
        {
            gone = cluster.Fake.BaseUri;
        }
        using var api = new KubeApiClient(new HttpClient(), gone, retry: NoRetry);
        var snapshot = await new StackStatusReader(api, NetStack.Create().Build(), Cluster.Sample()).ReadAsync(CancellationToken.None);
        Assert.StartsWith("cannot read the cluster:", snapshot.Problem);
        Assert.All(snapshot.Modules, m => Assert.Equal("unknown", m.State));
        Assert.Equal(11, snapshot.Modules.Count);
    }

    [Fact]
    public void Equal_snapshots_serialize_to_equal_bytes_and_read_back()
    {
        var snapshot = new StackSnapshot("s", "production", "T", new RevisionInfo(2, "t", "u", "apply", "1 created, 0 updated, 0 deleted"),
            new[] { new ModuleStatus("m", "m", "network", 1, "ready", "1/1 ready", 1, 1, new HealthAnswer("m.m:8080/healthz", 200, "OK"), Array.Empty<WarningEvent>()) });
        var json = SnapshotJson.Write(snapshot);
        Assert.Equal(json, SnapshotJson.Write(SnapshotJson.Read(json)));
        Assert.Contains("\"desired_replicas\":1", json);
    }

    [Fact]
    public void A_stack_file_that_is_not_one_is_one_clear_line()
    {
        var e = Assert.Throws<System.IO.InvalidDataException>(() => StackFile.Parse("{\"stack\":\"s\"}", "stack.json"));
        Assert.Equal("stack.json: 'modules' is missing or not a list.", e.Message);
        Assert.Throws<System.IO.InvalidDataException>(() => StackFile.Parse("not json", "stack.json"));
    }
}

using System.Linq;
using System.Text.Json.Nodes;
using Xunit;

namespace FlatRacoon.Deployment.Tests;

public class ReadinessTests
{
    private static JsonObject Parse(string json) => (JsonObject)JsonNode.Parse(json)!;

    [Theory]
    [InlineData("""{"kind":"Deployment","metadata":{"generation":2},"spec":{"replicas":3},"status":{"observedGeneration":1,"replicas":3,"updatedReplicas":3,"readyReplicas":3,"availableReplicas":3}}""", ReadinessState.InProgress, "the controller has not seen the new generation yet")]
    [InlineData("""{"kind":"Deployment","metadata":{"generation":2},"spec":{"replicas":3},"status":{"observedGeneration":2,"replicas":3,"updatedReplicas":3,"readyReplicas":2,"availableReplicas":2}}""", ReadinessState.InProgress, "2/3 ready")]
    [InlineData("""{"kind":"Deployment","metadata":{"generation":2},"spec":{"replicas":3},"status":{"observedGeneration":2,"replicas":4,"updatedReplicas":3,"readyReplicas":3,"availableReplicas":3}}""", ReadinessState.InProgress, "1 old replicas still running")]
    [InlineData("""{"kind":"Deployment","metadata":{"generation":2},"spec":{"replicas":3},"status":{"observedGeneration":2,"replicas":3,"updatedReplicas":3,"readyReplicas":3,"availableReplicas":3}}""", ReadinessState.Ready, "3/3 ready")]
    [InlineData("""{"kind":"Deployment","metadata":{"generation":1},"spec":{"replicas":1},"status":{"observedGeneration":1,"conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded"}]}}""", ReadinessState.Failed, "the rollout exceeded its progress deadline")]
    [InlineData("""{"kind":"StatefulSet","metadata":{"generation":1},"spec":{"replicas":3},"status":{"observedGeneration":1,"readyReplicas":3,"updatedReplicas":3,"currentRevision":"a","updateRevision":"b"}}""", ReadinessState.InProgress, "3/3 updated")]
    [InlineData("""{"kind":"DaemonSet","metadata":{"generation":1},"status":{"observedGeneration":1,"desiredNumberScheduled":3,"numberReady":3,"updatedNumberScheduled":3,"numberAvailable":3}}""", ReadinessState.Ready, "3/3 ready")]
    [InlineData("""{"kind":"Job","metadata":{},"status":{"conditions":[{"type":"Failed","status":"True"}]}}""", ReadinessState.Failed, "the job failed")]
    [InlineData("""{"kind":"Job","metadata":{},"status":{"succeeded":1,"conditions":[{"type":"Complete","status":"True"}]}}""", ReadinessState.Ready, "complete")]
    [InlineData("""{"kind":"ExternalSecret","metadata":{"generation":1},"status":{"conditions":[{"type":"Ready","status":"False","message":"store not found"}]}}""", ReadinessState.InProgress, "store not found")]
    [InlineData("""{"kind":"ConfigMap","metadata":{}}""", ReadinessState.Ready, "exists")]
    public void Workloads_are_ready_by_observed_generation_and_their_kind_rules(string json, ReadinessState state, string message)
    {
        var status = Readiness.Evaluate(Parse(json));
        Assert.Equal(state, status.State);
        Assert.Equal(message, status.Message);
    }

    [Fact]
    public void Diff_matches_named_list_items_by_name_and_redacts_secret_values()
    {
        var before = Parse("""{"kind":"Deployment","spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"1"}]}}""");
        var after = Parse("""{"kind":"Deployment","spec":{"containers":[{"name":"new","image":"1"},{"name":"a","image":"1"},{"name":"b","image":"2"}]}}""");
        var changes = ObjectDiff.Diff(before, after);
        Assert.Contains(new FieldChange("spec.containers[name=b].image", "\"1\"", "\"2\""), changes);
        Assert.Contains(new FieldChange("spec.containers[name=new].name", null, "\"new\""), changes);
        Assert.DoesNotContain(changes, c => c.Path.StartsWith("spec.containers[name=a]", System.StringComparison.Ordinal));

        var secret = ObjectDiff.Diff(Parse("""{"kind":"Secret","data":{"k":"b2xk"}}"""), Parse("""{"kind":"Secret","data":{"k":"bmV3"}}"""));
        Assert.Equal(new FieldChange("data.k", ObjectDiff.Redacted, ObjectDiff.Redacted), Assert.Single(secret));
    }
}

public class HealthEndpointTests
{
    [Fact(Timeout = 60_000)]
    public async System.Threading.Tasks.Task Apply_checks_each_modules_health_endpoint_through_the_service_proxy()
    {
        await using var h = await Harness.StartAsync();
        var set = Harness.Sample();
        await h.Deployer().ApplyAsync(set);

        var workloads = set.Objects.Where(o => Readiness.IsWaitedOn(o.Body) && o.Body["spec"]?["template"]?["spec"]?["containers"]?[0]?["readinessProbe"]?["httpGet"] is not null).ToList();
        Assert.NotEmpty(workloads);
        foreach (var w in workloads)
        {
            Assert.Contains(h.Fake.HealthChecks, c => c.StartsWith($"{KubeObject.Namespace(w.Body)}/{KubeObject.Name(w.Body)}:", System.StringComparison.Ordinal));
        }
        Assert.Contains("  healthy: network-dashboard (/healthz answered 200)", h.Narrator.Messages);
    }

    [Fact(Timeout = 60_000)]
    public async System.Threading.Tasks.Task An_unhealthy_endpoint_fails_the_wave_after_its_timeout()
    {
        await using var h = await Harness.StartAsync(Harness.FastRetry with { MaxAttempts = 2 });
        h.Fake.Options.Unhealthy = s => KubeObject.Name(s) == "network-dashboard";
        var deployer = h.Deployer(Harness.FastOptions with { WaveTimeout = System.TimeSpan.FromMilliseconds(1500) });

        var error = await Assert.ThrowsAsync<ApplyFailedException>(() => deployer.ApplyAsync(Harness.Sample()));

        Assert.Contains("the health endpoint of network-dashboard was not healthy within 1.5 s", error.Message, System.StringComparison.Ordinal);
        Assert.Contains(h.Narrator.Messages, m => m.StartsWith("  waiting for the health endpoint of network-dashboard", System.StringComparison.Ordinal));
    }
}

using System;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using FlatRacoon.Testing.Fake;
using FlatRacoon.Rendering;
using Xunit;

namespace FlatRacoon.Deployment.Tests;

public class ResilienceTests
{
    [Fact(Timeout = 60_000)]
    public async Task Apply_survives_injected_429_500_latency_timeouts_and_dropped_connections()
    {
        await using var h = await Harness.StartAsync(Harness.FastRetry with { RequestTimeout = TimeSpan.FromSeconds(1) });
        var tooMany = h.Fake.Faults.Add(new FaultRule { When = r => r.Method == "PATCH" && !r.DryRun && r.Path.Contains("/statefulsets/", StringComparison.Ordinal), Times = 2, Status = 429, RetryAfterSeconds = 1 });
        var internalError = h.Fake.Faults.Add(new FaultRule { When = r => r.Method == "GET" && r.Path.Contains("/deployments/", StringComparison.Ordinal), Times = 3, Status = 500 });
        var unavailable = h.Fake.Faults.Add(new FaultRule { When = r => r.DryRun, Times = 2, Status = 503 });
        var dropped = h.Fake.Faults.Add(new FaultRule { When = r => r.Method == "PATCH" && !r.DryRun && r.Path.Contains("/configmaps/", StringComparison.Ordinal), Times = 2, Drop = true });
        var slow = h.Fake.Faults.Add(new FaultRule { When = r => r.Method == "PATCH" && !r.DryRun && r.Path.Contains("/services/", StringComparison.Ordinal), Times = 1, Latency = TimeSpan.FromSeconds(4) });
        var latency = h.Fake.Faults.Add(new FaultRule { When = _ => true, Latency = TimeSpan.FromMilliseconds(2) });

        var result = await h.Deployer().ApplyAsync(Harness.Sample());

        Assert.Equal(1, result.Revision);
        Assert.Equal(2, tooMany.Hits);
        Assert.Equal(3, internalError.Hits);
        Assert.Equal(2, unavailable.Hits);
        Assert.Equal(2, dropped.Hits);
        Assert.Equal(1, slow.Hits);
        Assert.True(latency.Hits > 100);
        var retries = h.Narrator.Events.Where(e => e.Step == "api.retry").ToList();
        // One retry per injected fault (a loaded machine may add timeouts of its own, never fewer retries).
        Assert.True(retries.Count >= 2 + 3 + 2 + 2 + 1, $"{retries.Count} retries");
        // Retry-After is honoured: the 429 retries wait the second the server asked for.
        Assert.Equal(2, retries.Count(e => e.Message.Contains("429 TooManyRequests", StringComparison.Ordinal) && (long)e.Data!["delay_ms"]! == 1000));
        Assert.Equal(3, retries.Count(e => e.Message.Contains("500 InternalError", StringComparison.Ordinal)));
        Assert.Equal(2, retries.Count(e => e.Message.Contains("503 ServiceUnavailable", StringComparison.Ordinal)));
        Assert.Contains(retries, e => e.Message.Contains("no answer within 1 s", StringComparison.Ordinal));
        Assert.True(retries.Count(e => e.Message.Contains("connection failed", StringComparison.Ordinal)) >= 2);
        Assert.False((await h.Deployer().PlanAsync(Harness.Sample())).HasChanges);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_persistent_failure_names_the_object_and_the_API_answer_and_the_revision()
    {
        await using var h = await Harness.StartAsync(Harness.FastRetry with { MaxAttempts = 3 });
        h.Fake.Faults.Add(new FaultRule { When = r => r.Method == "PATCH" && !r.DryRun && r.Path.EndsWith("/statefulsets/ipfs-overlay", StringComparison.Ordinal), Status = 500 });

        var error = await Assert.ThrowsAsync<ApplyFailedException>(() => h.Deployer().ApplyAsync(Harness.Sample()));

        Assert.Contains("apply StatefulSet ipfs-overlay/ipfs-overlay: the API answered 500 InternalError: injected failure (after 3 attempts)", error.Message, StringComparison.Ordinal);
        Assert.Contains("holds revision none", error.Message, StringComparison.Ordinal);
        Assert.Null(error.ClusterRevision);
    }

    [Fact(Timeout = 60_000)]
    public async Task Secret_values_never_appear_in_narration_plan_json_or_errors()
    {
        const string value = "s3cr3t-Pa55word-do-not-print";
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
        await using var h = await Harness.StartAsync();
        var sample = Harness.Sample();
        DesiredObject Secret(string v) => new("poly-secret-mcp", 2, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = "token",
                ["namespace"] = "poly-secret-mcp",
                ["labels"] = new JsonObject { [Labels.ApplySetPartOf] = sample.ApplySetId, [Labels.Module] = "poly-secret-mcp" },
            },
            ["type"] = "Opaque",
            ["data"] = new JsonObject { ["token"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(v)) },
        });
        var withSecret = Harness.Edit(sample, o => o, Secret(value));

        // The API echoes the invalid value in its message (as validation errors do): it must not reach us.
        h.Fake.Faults.Add(new FaultRule { When = r => r.Method == "PATCH" && !r.DryRun && r.Path.Contains("/secrets/token", StringComparison.Ordinal), Times = 1, EchoInvalid = true });
        var deployer = h.Deployer();
        var error = await Assert.ThrowsAsync<ApplyFailedException>(() => deployer.ApplyAsync(withSecret));
        Assert.Contains("422 Invalid", error.Message, StringComparison.Ordinal);
        var outputs = new[] { error.ToString(), error.InnerException!.Message, h.Narrator.Text.ToString(), h.Narrator.Json.ToString() };

        deployer = h.Deployer();
        await deployer.ApplyAsync(withSecret);
        outputs = outputs.Append(h.Narrator.Text.ToString()).Append(h.Narrator.Json.ToString()).ToArray();

        var changed = Harness.Edit(sample, o => o, Secret(value + "-rotated"));
        deployer = h.Deployer();
        var plan = await deployer.PlanAsync(changed);
        var secretPlan = plan.Objects.Single(o => o.Kind == "Secret" && o.Name == "token");
        Assert.Equal(PlanAction.Update, secretPlan.Action);
        Assert.Equal(new FieldChange("data.token", ObjectDiff.Redacted, ObjectDiff.Redacted), Assert.Single(secretPlan.Changes));
        outputs = outputs.Append(plan.ToText()).Append(plan.ToJsonText()).Append(h.Narrator.Text.ToString()).Append(h.Narrator.Json.ToString()).ToArray();

        Assert.Contains(outputs, o => o.Contains("(redacted)", StringComparison.Ordinal));
        foreach (var text in outputs)
        {
            Assert.DoesNotContain(value, text, StringComparison.Ordinal);
            Assert.DoesNotContain(encoded, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(value + "-rotated")), text, StringComparison.Ordinal);
        }
    }
}

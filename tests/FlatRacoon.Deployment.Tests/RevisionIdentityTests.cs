using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FlatRacoon.Testing.Fake;
using FlatRacoon.Rendering;
using Xunit;

namespace FlatRacoon.Deployment.Tests;

/// <summary>Revision identity: a keyed hash of everything applied (Secret values included), its key in the cluster.</summary>
public sealed class RevisionIdentityTests
{
    private static DesiredObject Secret(DeploymentSet sample, string value) => new("ipfs-overlay", 4, new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject
        {
            ["name"] = "api-token",
            ["namespace"] = "ipfs-overlay",
            ["labels"] = new JsonObject
            {
                [Labels.ManagedBy] = "flatracoon",
                [Labels.PartOf] = sample.StackName,
                [Labels.Module] = "ipfs-overlay",
                [Labels.ApplySetPartOf] = sample.ApplySetId,
            },
            ["annotations"] = new JsonObject { [Labels.Wave] = "4" },
        },
        ["type"] = "Opaque",
        ["data"] = new JsonObject { ["token"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value)) },
    });

    [Fact(Timeout = 120_000)]
    public async Task The_identity_changes_with_a_secret_value_and_is_keyed_by_a_key_kept_in_the_cluster()
    {
        await using var h = await Harness.StartAsync();
        var sample = Harness.Sample();
        var one = Harness.Edit(sample, o => o, Secret(sample, "token-one"));
        var two = Harness.Edit(sample, o => o, Secret(sample, "token-two"));

        await h.Deployer().ApplyAsync(one);
        await h.Deployer().ApplyAsync(two);
        var history = await h.Deployer().HistoryAsync(sample.StackName);
        Assert.Equal(new[] { 1, 2 }, history.Select(r => r.Number));
        Assert.NotEqual(history[0].Hash, history[1].Hash); // only a Secret value differs
        Assert.StartsWith("hmac-sha256:", history[1].Hash, StringComparison.Ordinal);

        // The key lives beside the revisions; under any other key the identity differs, so a stored
        // identity cannot be used to check guesses at a value without reading that Secret.
        var keySecret = h.Fake.Find("Secret", StackRenderer.SystemNamespace, $"flatracoon.{sample.StackName}.revision-key")!;
        Assert.Equal(RevisionStore.KeySecretType, keySecret["type"]!.GetValue<string>());
        var key = Convert.FromBase64String(keySecret["data"]!["key"]!.GetValue<string>());
        Assert.Equal(32, key.Length);
        var applied = await two.ResolveSecretsAsync(Harness.FastOptions.SecretResolver); // as applied: apply-time Secrets resolved
        Assert.Equal(applied.Identity(key), history[1].Hash);
        Assert.NotEqual(two.Identity(new byte[32]), history[1].Hash);
        Assert.DoesNotContain(h.Narrator.Messages, m => m.Contains(keySecret["data"]!["key"]!.GetValue<string>(), StringComparison.Ordinal));

        // Back to the first value: a new revision whose identity equals the first one's.
        await h.Deployer().ApplyAsync(one);
        Assert.Equal(history[0].Hash, (await h.Deployer().HistoryAsync(sample.StackName))[^1].Hash);
    }

    [Fact(Timeout = 120_000)]
    public async Task Killed_between_the_last_object_write_and_the_revision_write_the_next_apply_converges_and_history_tells_the_truth()
    {
        await using var h = await Harness.StartAsync();
        var sample = Harness.Sample();
        await h.Deployer().ApplyAsync(Harness.Edit(sample, o => o, Secret(sample, "token-one"))); // revision 1
        var changed = Harness.Edit(sample, o => o, Secret(sample, "token-two"));

        // The engine dies as it sends the revision write: the connection drops and the process is gone.
        using var kill = new CancellationTokenSource();
        h.Fake.Faults.Add(new FaultRule
        {
            When = r =>
            {
                var hit = r.Method == "PATCH" && !r.DryRun && r.Path.EndsWith($"/secrets/flatracoon.{sample.StackName}.v2", StringComparison.Ordinal);
                if (hit)
                {
                    kill.Cancel();
                }
                return hit;
            },
            Drop = true,
        });
        await Assert.ThrowsAnyAsync<Exception>(() => h.Deployer().ApplyAsync(changed, kill.Token));
        var live = h.Fake.Find("Secret", "ipfs-overlay", "api-token")!;
        Assert.Equal(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("token-two")), live["data"]!["token"]!.GetValue<string>()); // every object was written
        Assert.Equal(new[] { 1 }, (await h.Deployer().HistoryAsync(sample.StackName)).Select(r => r.Number)); // no revision 2 yet
        h.Fake.Recover();

        // A new engine: nothing left to change on the objects, but the live content is not revision 1's.
        var result = await h.Deployer().ApplyAsync(changed);
        Assert.True(result.Changed);
        Assert.Equal(2, result.Revision);
        Assert.False(result.Plan.HasChanges);
        var history = await h.Deployer().HistoryAsync(sample.StackName);
        Assert.Equal(new[] { 1, 2 }, history.Select(r => r.Number));
        var key = await h.Deployer().Revisions(sample.StackName).KeyAsync(default);
        Assert.Equal((await changed.ResolveSecretsAsync(Harness.FastOptions.SecretResolver)).Identity(key), history[^1].Hash);
        var recorded = (await h.Deployer().Revisions(sample.StackName).LoadAsync(2, default)).Objects.Single(o => o.Display == "Secret ipfs-overlay/api-token");
        Assert.Equal(live["data"]!["token"]!.GetValue<string>(), recorded.Body["data"]!["token"]!.GetValue<string>()); // revision 2 holds what is live

        var (revision, objects) = await h.Deployer().StatusAsync(changed);
        Assert.Equal(2, revision!.Number);
        Assert.All(objects, o => Assert.True(o.Present, o.Object));
        Assert.False((await h.Deployer().ApplyAsync(changed)).Changed);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_revision_stores_the_set_in_the_format_it_always_had_and_its_identity_is_the_one_of_the_set()
    {
        // The stored set and the identity's input are made while the waves run; the bytes must be those the
        // set's JSON tree gives (revisions recorded before stay readable, and equal sets still compare equal).
        await using var h = await Harness.StartAsync();
        var sample = Harness.Sample();
        var set = Harness.Edit(sample, o => o, new DesiredObject("ipfs-overlay", 4, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject
            {
                ["name"] = "escapes",
                ["namespace"] = "ipfs-overlay",
                ["labels"] = new JsonObject { [Labels.ManagedBy] = "flatracoon", [Labels.PartOf] = sample.StackName, [Labels.Module] = "ipfs-overlay", [Labels.ApplySetPartOf] = sample.ApplySetId },
                ["annotations"] = new JsonObject { [Labels.Wave] = "4" },
            },
            ["data"] = new JsonObject { ["zeta"] = "<a href=\"x\">&'</a> ünïcödé \u2028 \t", ["alpha"] = "1e3" },
        }));
        Assert.Equal(1, (await h.Deployer().ApplyAsync(set)).Revision);

        var applied = await set.ResolveSecretsAsync(Harness.FastOptions.SecretResolver); // as applied: apply-time Secrets resolved
        var secret = h.Fake.Find("Secret", StackRenderer.SystemNamespace, $"flatracoon.{sample.StackName}.v1")!;
        using var gzip = new System.IO.Compression.GZipStream(new System.IO.MemoryStream(Convert.FromBase64String(secret["data"]!["set"]!.GetValue<string>())), System.IO.Compression.CompressionMode.Decompress);
        using var text = new System.IO.StreamReader(gzip, System.Text.Encoding.UTF8);
        var expected = new JsonObject
        {
            ["stack"] = applied.StackName,
            ["applySetId"] = applied.ApplySetId,
            ["objects"] = new JsonArray(applied.Objects.Select(o => (JsonNode)new JsonObject { ["module"] = o.Module, ["wave"] = o.Wave, ["object"] = o.Body.DeepClone() }).ToArray()),
        };
        Assert.Equal(expected.ToJsonString(), await text.ReadToEndAsync());
        Assert.Equal(expected.ToJsonString(), applied.ToStored().ToJsonString());

        var key = await h.Deployer().Revisions(sample.StackName).KeyAsync(default);
        var history = await h.Deployer().HistoryAsync(sample.StackName);
        Assert.Equal(applied.Identity(key), history.Single().Hash);
        var loaded = await h.Deployer().Revisions(sample.StackName).LoadAsync(1, default);
        Assert.Equal(applied.Identity(key), loaded.Identity(key));
    }
}

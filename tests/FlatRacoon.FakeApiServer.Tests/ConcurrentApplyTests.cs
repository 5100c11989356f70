using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace FlatRacoon.FakeApiServer.Tests;

/// <summary>
/// Server-side applies sent at once, as an apply with parallelism sends them. The fake reads and
/// checks each request on its own thread and merges and commits one object at a time, as the API
/// server's optimistic concurrency does for one object: no update is lost, the first of two
/// conflicting appliers wins and the other gets its 409, every write has a resourceVersion of its own.
/// </summary>
public sealed class ConcurrentApplyTests
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";

    private static JsonObject ConfigMap(string name, JsonObject data) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["data"] = data,
    };

    [Fact]
    public async Task Forty_managers_applying_their_own_key_of_one_object_at_once_all_keep_it()
    {
        await using var fake = await StructuredMergeTests.StartAsync();
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Http.ApplyAsync(fake.BaseUri, $"{ConfigMaps}/shared", $"team-{i:D2}", ConfigMap("shared", new JsonObject { [$"k{i:D2}"] = $"v{i}" }))));

        Assert.All(answers, a => Assert.True(a.Status is 200 or 201, a.Body.ToJsonString()));
        Assert.Single(answers, a => a.Status == 201); // one of them created it
        var shared = fake.Find("ConfigMap", "default", "shared")!;
        var data = shared["data"]!.AsObject();
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"k{i:D2}"), data.Select(p => p.Key).Order(StringComparer.Ordinal));
        var owners = shared["metadata"]!["managedFields"]!.AsArray()
            .ToDictionary(m => m!["manager"]!.GetValue<string>(), m => string.Join(",", m!["fieldsV1"]!["f:data"]!.AsObject().Select(p => p.Key)));
        Assert.Equal(40, owners.Count);
        Assert.All(Enumerable.Range(0, 40), i => Assert.Equal($"f:k{i:D2}", owners[$"team-{i:D2}"]));
    }

    [Fact]
    public async Task Of_twenty_managers_applying_one_field_with_different_values_at_once_the_first_wins_and_the_rest_conflict()
    {
        await using var fake = await StructuredMergeTests.StartAsync();
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Http.ApplyAsync(fake.BaseUri, $"{ConfigMaps}/contested", $"team-{i:D2}", ConfigMap("contested", new JsonObject { ["mode"] = $"value-{i}" }))));

        var winner = Assert.Single(answers, a => a.Status == 201);
        Assert.Equal(19, answers.Count(a => a.Status == 409 && a.Body["reason"]?.GetValue<string>() == "Conflict"));
        var contested = fake.Find("ConfigMap", "default", "contested")!;
        Assert.Equal(winner.Body["data"]!["mode"]!.GetValue<string>(), contested["data"]!["mode"]!.GetValue<string>());
        Assert.Single(contested["metadata"]!["managedFields"]!.AsArray());
    }

    [Fact]
    public async Task Two_hundred_objects_applied_at_once_all_exist_each_with_a_resource_version_of_its_own()
    {
        await using var fake = await StructuredMergeTests.StartAsync();
        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            Http.ApplyAsync(fake.BaseUri, $"{ConfigMaps}/c{i:D3}", "flatracoon", ConfigMap($"c{i:D3}", new JsonObject { ["index"] = $"{i}" }))));

        Assert.All(answers, a => Assert.Equal(201, a.Status));
        var versions = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 200; i++)
        {
            var stored = fake.Find("ConfigMap", "default", $"c{i:D3}")!;
            Assert.Equal($"{i}", stored["data"]!["index"]!.GetValue<string>());
            Assert.True(versions.Add(stored["metadata"]!["resourceVersion"]!.GetValue<string>()));
        }
        Assert.Equal(200, fake.Snapshot().Count(p => p.Value["kind"]?.GetValue<string>() == "ConfigMap"));
    }
}

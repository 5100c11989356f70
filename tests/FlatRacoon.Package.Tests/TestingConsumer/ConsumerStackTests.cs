using System;
using System.IO;
using System.Threading.Tasks;
using FlatRacoon.Testing;
using Xunit;

namespace TestingConsumer;

/// <summary>A team tests its stack with the packed testing kit, as the guide shows.</summary>
public class ConsumerStackTests
{
    private static readonly TestStack Stack = new(env => ConsumerStack.Create(env));

    // The golden folder: committed beside the tests (the package test passes where it lives).
    private static string GoldenDirectory => Environment.GetEnvironmentVariable("CONSUMER_GOLDEN_DIRECTORY")
        ?? Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Golden", "production");

    [Fact]
    public async Task The_stack_is_valid_renders_without_secret_values_and_matches_its_golden_folder()
    {
        await StackAssert.IsValidAsync(Stack);
        var rendered = await StackAssert.RendersAsync(Stack);
        StackAssert.NoSecretValues(rendered, new[] { "consumer-secret-value-41f" });
        Golden.AssertDirectory(rendered, GoldenDirectory);
        Directory.Delete(rendered, recursive: true);
    }

    [Fact]
    public async Task The_stack_applies_to_the_fake_cluster_plans_empty_and_is_destroyed()
    {
        await using var cluster = await FakeCluster.StartAsync();
        await StackAssert.PlanIsEmptyAfterApplyAsync(cluster, Stack);
        var deployment = cluster.Get("Deployment", "hello-api", "hello-api");
        Assert.Equal(2, deployment["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("flatracoon", deployment["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]!.GetValue<string>());

        await cluster.DestroyAsync(Stack);
        Assert.Null(cluster.Find("Deployment", "hello-api", "hello-api"));
    }
}

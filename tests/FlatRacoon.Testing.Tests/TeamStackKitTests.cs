using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using FlatRacoon.Rendering;
using k8s.Models;
using Xunit;

namespace FlatRacoon.Testing.Tests;

/// <summary>
/// The testing kit as a team uses it: the team's stack program (samples/FlatRacoon.TeamStack)
/// applied, planned, rolled back and destroyed against the fake cluster through the stack
/// program's own commands, its render compared with a committed golden folder.
/// </summary>
public class TeamStackKitTests
{
    internal static TestStack Team => new(env => TeamStack.TeamStack.Create(env), TeamStack.TeamStack.Configure);

    internal static string ProjectDirectory => typeof(TeamStackKitTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ProjectDirectory").Value!;

    [Fact(Timeout = 120_000)]
    public async Task Apply_plan_rollback_and_destroy_a_team_stack_against_the_fake_cluster()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var stack = Team;

        var first = await cluster.PlanAsync(stack, "development");
        Assert.True(first.Create >= 3, first.ToString());
        Assert.Contains("create Deployment team-cache/team-cache", first.Changes);

        await StackAssert.PlanIsEmptyAfterApplyAsync(cluster, stack, "development");
        var deployment = cluster.Get("Deployment", "team-cache", "team-cache");
        Assert.Equal(1, deployment["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("team-42", deployment["metadata"]!["labels"]!["example.com/cost-centre"]!.GetValue<string>());
        Assert.Contains("maxmemory 64mb", cluster.Get("ConfigMap", "team-cache", "team-cache-settings").ToJsonString(), StringComparison.Ordinal);

        // Production has three replicas: revision 2; rollback returns to revision 1's one replica.
        await cluster.ApplyAsync(stack, "production");
        Assert.Equal(3, cluster.Get("Deployment", "team-cache", "team-cache")["spec"]!["replicas"]!.GetValue<int>());
        var rollback = await cluster.RollbackAsync(stack, to: 1, environment: "production");
        Assert.Contains("revision 1", rollback.Output, StringComparison.Ordinal);
        Assert.Equal(1, cluster.Get("Deployment", "team-cache", "team-cache")["spec"]!["replicas"]!.GetValue<int>());

        await cluster.DestroyAsync(stack, "development");
        Assert.Null(cluster.Find("Deployment", "team-cache", "team-cache"));
        var gone = Assert.Throws<FlatRacoonTestException>(() => cluster.Get("Deployment", "team-cache", "team-cache"));
        Assert.Equal("the fake cluster has no Deployment team-cache/team-cache; it has no Deployment at all.", gone.Message);

        // The kubeconfig is the fake's own (an anonymous user) and any command of the program runs with it.
        Assert.Contains("user: {}", File.ReadAllText(cluster.KubeconfigPath), StringComparison.Ordinal);
        var history = await cluster.RunAsync(stack, "history");
        Assert.Equal(0, history.ExitCode);
        Assert.Contains("has no revisions", history.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_failing_command_and_a_plan_that_does_not_settle_fail_with_readable_messages()
    {
        await using var cluster = await FakeCluster.StartAsync();

        // A transform that differs on every render: what apply wrote never matches the next plan.
        var renders = 0;
        var unstable = new TestStack(env => TeamStack.TeamStack.Create(env), options =>
        {
            TeamStack.TeamStack.Configure(options);
            options.AddTransform(ObjectTransforms.For<V1Deployment>(d =>
                d.Metadata.Annotations = new Dictionary<string, string>(d.Metadata.Annotations ?? new Dictionary<string, string>()) { ["example.com/render"] = (++renders).ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        });
        var unsettled = await Assert.ThrowsAsync<FlatRacoonTestException>(() => StackAssert.PlanIsEmptyAfterApplyAsync(cluster, unstable, "development"));
        Assert.StartsWith("after apply (environment 'development') the plan is not empty: 0 to create, 1 to update, 0 to delete,", unsettled.Message, StringComparison.Ordinal);
        Assert.EndsWith(": update Deployment team-cache/team-cache.", unsettled.Message, StringComparison.Ordinal);

        // A command that fails: its exit code and output are in the message.
        var failed = await Assert.ThrowsAsync<FlatRacoonTestException>(() => cluster.ApplyAsync(Team, "no-such-environment"));
        Assert.StartsWith("apply (environment 'no-such-environment') against the fake cluster failed: exit code 2", failed.Message, StringComparison.Ordinal);
        Assert.Contains("no-such-environment", failed.Message[60..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_team_stack_is_valid_renders_and_its_render_matches_the_golden_folder()
    {
        var stack = Team;
        await StackAssert.IsValidAsync(stack, "development");
        var rendered = await StackAssert.RendersAsync(stack, "development");
        try
        {
            // Rendered output carries references only; the values below are never in it.
            StackAssert.NoSecretValues(rendered, new[] { "team-cache-password-value" });
            Golden.AssertDirectory(rendered, Path.Combine(ProjectDirectory, "Golden", "team-stack-development"));
        }
        finally
        {
            Directory.Delete(rendered, recursive: true);
        }
    }
}

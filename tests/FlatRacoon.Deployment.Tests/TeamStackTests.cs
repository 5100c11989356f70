using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace FlatRacoon.Deployment.Tests;

/// <summary>
/// A team's own module with its own renderer and a transform (samples/FlatRacoon.TeamStack)
/// goes through render, plan and apply of the stack program, against the fake API server.
/// </summary>
public class TeamStackTests
{
    internal static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await StackProgram.RunAsync(args, env => TeamStack.TeamStack.Create(env), TeamStack.TeamStack.Configure, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    internal static string Kubeconfig(Harness h) => h.Cluster.KubeconfigPath;

    [Fact]
    public async Task The_team_renderer_and_transform_shape_the_render_for_the_chosen_environment()
    {
        var dev = Path.Combine(Path.GetTempPath(), "flatracoon-team-" + Guid.NewGuid().ToString("N"));
        var prod = dev + "-prod";
        try
        {
            var (code, _, err) = await Run("render", "--environment", "development", "--out", dev);
            Assert.True(code == 0, err);
            var (prodCode, _, prodErr) = await Run("render", "--out", prod);
            Assert.True(prodCode == 0, prodErr);

            // The team's renderer made the ConfigMap (the built-in workload renderer makes none of this name).
            Assert.Contains("maxmemory 64mb", Document(Path.Combine(dev, "team-cache.yaml"), "ConfigMap", "team-cache-settings"), StringComparison.Ordinal);
            var devDeployment = Document(Path.Combine(dev, "team-cache.yaml"), "Deployment", "team-cache");
            var prodDeployment = Document(Path.Combine(prod, "team-cache.yaml"), "Deployment", "team-cache");
            // The transform's label, beside the stack's own labels (which a transform cannot remove).
            Assert.Contains("example.com/cost-centre: team-42", devDeployment, StringComparison.Ordinal);
            Assert.Contains("app.kubernetes.io/managed-by: flatracoon", devDeployment, StringComparison.Ordinal);
            // --environment development declares the stack for development: one replica; production (the default): three.
            Assert.Contains("replicas: 1", devDeployment, StringComparison.Ordinal);
            Assert.Contains("replicas: 3", prodDeployment, StringComparison.Ordinal);
            Assert.Contains("environment: development", Document(Path.Combine(dev, "_stack.yaml"), "ConfigMap", "team-stack-applyset"), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var dir in new[] { dev, prod }.Where(Directory.Exists))
            {
                Directory.Delete(dir, true);
            }
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task The_team_module_plans_and_applies_against_the_fake_with_its_transform()
    {
        await using var h = await Harness.StartAsync();
        var kubeconfig = Kubeconfig(h);
        try
        {
            var connection = new[] { "--kubeconfig", kubeconfig, "--environment", "development" };
            var (planCode, planOut, planErr) = await Run(new[] { "plan" }.Concat(connection).ToArray());
            Assert.True(planCode == 0, planErr);
            Assert.Contains("+ create Deployment team-cache/team-cache", planOut, StringComparison.Ordinal);
            Assert.Contains("+ create ConfigMap team-cache/team-cache-settings", planOut, StringComparison.Ordinal);

            var (applyCode, applyOut, applyErr) = await Run(new[] { "apply", "--poll-interval", "20", "--timeout", "20" }.Concat(connection).ToArray());
            Assert.True(applyCode == 0, applyErr + applyOut);
            var deployment = h.Fake.Find("Deployment", "team-cache", "team-cache")!;
            Assert.Equal("team-42", deployment["metadata"]!["labels"]!["example.com/cost-centre"]!.GetValue<string>());
            Assert.Equal(1, deployment["spec"]!["replicas"]!.GetValue<int>());
            Assert.NotNull(h.Fake.Find("ConfigMap", "team-cache", "team-cache-settings"));

            // The transform takes part in the revision: the same program plans no change.
            var (againCode, againOut, _) = await Run(new[] { "apply" }.Concat(connection).ToArray());
            Assert.Equal(0, againCode);
            Assert.Contains("No changes", againOut, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    /// <summary>The one YAML document of a module's file with this kind and name.</summary>
    private static string Document(string file, string kind, string name) =>
        File.ReadAllText(file).Split("---\n").Single(d => d.Contains($"\nkind: {kind}\n", StringComparison.Ordinal) && d.Contains($"\n  name: {name}\n", StringComparison.Ordinal));
}

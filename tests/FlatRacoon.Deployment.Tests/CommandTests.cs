using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using FlatRacoon.Samples;
using Xunit;

namespace FlatRacoon.Deployment.Tests;

/// <summary>The stack program's cluster commands, through a kubeconfig that points at the fake.</summary>
public class CommandTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        // The sample's apply-time Secret (the SOPS age key) points at a file this test provides.
        var code = await SampleSettings.With(new System.Collections.Generic.Dictionary<string, System.Collections.Generic.IReadOnlyDictionary<string, string>>
        {
            ["poly-secret-mcp"] = new System.Collections.Generic.Dictionary<string, string> { ["sops_age_key"] = "file://" + AgeKeyFile },
        }).RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private const string AgeKey = "AGE-SECRET-KEY-1CLITESTCLITESTCLITESTCLITESTCLITESTCLITESTCLITESTCLIT";
    private static readonly string AgeKeyFile = WriteAgeKey();

    private static string WriteAgeKey()
    {
        var path = Path.Combine(Path.GetTempPath(), $"flatracoon-cli-age-{Guid.NewGuid():N}.key");
        File.WriteAllText(path, AgeKey);
        return path;
    }

    // The fake cluster's own kubeconfig (an anonymous user, `user: {}`), resolved as kubectl would.
    private static string Kubeconfig(Harness h) => h.Cluster.KubeconfigPath;

    [Fact(Timeout = 90_000)]
    public async Task Plan_apply_status_history_rollback_and_destroy_run_against_a_kubeconfig()
    {
        await using var h = await Harness.StartAsync();
        var kubeconfig = Kubeconfig(h);
        try
        {
            var connection = new[] { "--kubeconfig", kubeconfig, "--context", "flatracoon-fake" };
            var (planCode, planOut, _) = await Run(new[] { "plan" }.Concat(connection).ToArray());
            Assert.Equal(0, planCode);
            Assert.Contains("+ create Namespace ipfs-overlay", planOut, StringComparison.Ordinal);

            var (applyCode, applyOut, applyErr) = await Run(new[] { "apply", "--poll-interval", "20", "--timeout", "20", "--output", "json" }.Concat(connection).ToArray());
            Assert.True(applyCode == 0, applyErr);
            var lines = applyOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.DoesNotContain(AgeKey, applyOut + applyErr + planOut, StringComparison.Ordinal);
            Assert.Equal(AgeKey, System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(h.Fake.Find("Secret", "poly-secret-mcp", "poly-secret-mcp-sops-age")!["data"]!["age.key"]!.GetValue<string>())));
            Assert.All(lines, l => JsonDocument.Parse(l).Dispose());
            Assert.Contains(lines, l => l.Contains("\"step\":\"revision.recorded\"", StringComparison.Ordinal));
            Assert.Contains(h.Fake.Requests, r => r.Method == "PATCH" && r.Query.Contains("fieldManager=flatracoon", StringComparison.Ordinal));

            var (again, againOut, _) = await Run(new[] { "apply" }.Concat(connection).ToArray());
            Assert.Equal(0, again);
            Assert.Contains("No changes: the cluster already matches revision 1.", againOut, StringComparison.Ordinal);

            var (planJsonCode, planJson, _) = await Run(new[] { "plan", "--output", "json" }.Concat(connection).ToArray());
            Assert.Equal(0, planJsonCode);
            var result = planJson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).Single(e => e.GetProperty("step").GetString() == "plan.result");
            Assert.Equal(0, result.GetProperty("data").GetProperty("plan").GetProperty("summary").GetProperty("create").GetInt32());

            var (statusCode, statusOut, _) = await Run(new[] { "status" }.Concat(connection).ToArray());
            Assert.Equal(0, statusCode);
            Assert.Contains("revision 1", statusOut, StringComparison.Ordinal);
            Assert.Contains("StatefulSet ipfs-overlay/ipfs-overlay: ready (3/3 ready)", statusOut, StringComparison.Ordinal);

            var (historyCode, historyOut, _) = await Run(new[] { "history" }.Concat(connection).ToArray());
            Assert.Equal(0, historyCode);
            Assert.Contains("1 revision", historyOut, StringComparison.Ordinal);

            var (rollbackCode, _, rollbackErr) = await Run(new[] { "rollback" }.Concat(connection).ToArray());
            Assert.Equal(1, rollbackCode);
            Assert.Contains("has only revision 1; give --to", rollbackErr, StringComparison.Ordinal);

            var (refused, _, refusedErr) = await Run(new[] { "destroy" }.Concat(connection).ToArray());
            Assert.Equal(2, refused);
            Assert.Contains("--yes", refusedErr, StringComparison.Ordinal);
            var (destroyCode, destroyOut, _) = await Run(new[] { "destroy", "--yes" }.Concat(connection).ToArray());
            Assert.Equal(0, destroyCode);
            Assert.Contains("Destroyed stack 'flatracoon-netstack'", destroyOut, StringComparison.Ordinal);
            Assert.DoesNotContain(h.Fake.Snapshot().Keys, k => k.Contains("/ipfs-overlay/", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task A_user_without_credentials_is_anonymous_as_with_kubectl_but_an_undefined_user_is_an_error()
    {
        await using var h = await Harness.StartAsync();
        var kubeconfig = Kubeconfig(h);
        try
        {
            // The fake's kubeconfig has `user: {}`: requests go out with no Authorization header.
            Assert.Contains("  user: {}", File.ReadAllText(kubeconfig), StringComparison.Ordinal);
            var (code, _, err) = await Run("history", "--kubeconfig", kubeconfig);
            Assert.True(code == 0, err);
            Assert.Contains(h.Fake.Requests, r => r.Method == "GET");

            // A context naming a user the file does not define stays an error, in one line.
            File.WriteAllText(kubeconfig, File.ReadAllText(kubeconfig).Replace("    user: flatracoon-fake", "    user: nobody", StringComparison.Ordinal));
            var (undefined, _, undefinedErr) = await Run("history", "--kubeconfig", kubeconfig);
            Assert.Equal(1, undefined);
            Assert.StartsWith("error: cannot use kubeconfig '", undefinedErr, StringComparison.Ordinal);
            Assert.Single(undefinedErr.Trim().Split('\n'));
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task A_missing_kubeconfig_is_a_clear_error()
    {
        var (code, _, err) = await Run("status", "--kubeconfig", Path.Combine(Path.GetTempPath(), "does-not-exist-" + Guid.NewGuid().ToString("N")));
        Assert.Equal(2, code);
        Assert.Contains("error: --kubeconfig file '", err, StringComparison.Ordinal);
        Assert.Contains("' does not exist.", err, StringComparison.Ordinal);
    }
}

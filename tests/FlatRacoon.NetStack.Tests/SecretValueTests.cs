using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using FlatRacoon.Rendering;
using Xunit;

namespace FlatRacoon.Samples.Tests;

/// <summary>
/// No secret value reaches the render. The test puts known values where the references point
/// (environment variables and files the applying machine would hold), renders, and scans every
/// output file for the values in plain text, base64 and hex.
/// </summary>
public class SecretValueTests
{
    private static readonly string SwarmKey = "/key/swarm/psk/1.0.0/\n/base16/\n" + "5e1ec7ed5a17f00dcafe0123456789abcdef0123456789abcdef0123456789ab";
    private const string ClusterSecret = "c1a55e7c1a55e7c1a55e7c1a55e7c1a55e7c1a55e7c1a55e7c1a55e7c1a55e7c";
    private const string ZerotierToken = "zt-token-4fb2c9e0d1a8b7c6";
    private const string GrafanaToken = "glsa_grafana_value_93d1c0ffee";
    private const string AgeKey = "AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQS";

    [Fact]
    public void Known_secret_values_appear_nowhere_in_the_render()
    {
        var dir = Repo.TempDir("secret-values");
        var outDir = Path.Combine(dir, "render");
        try
        {
            var clusterSecretFile = Path.Combine(dir, "cluster-secret");
            var grafanaFile = Path.Combine(dir, "grafana-token");
            var ageFile = Path.Combine(dir, "age.key");
            File.WriteAllText(clusterSecretFile, ClusterSecret);
            File.WriteAllText(grafanaFile, GrafanaToken);
            File.WriteAllText(ageFile, AgeKey);
            Environment.SetEnvironmentVariable("FLATRACOON_TEST_SWARM_KEY", SwarmKey);
            Environment.SetEnvironmentVariable("FLATRACOON_TEST_ZEROTIER_TOKEN", ZerotierToken);

            var stack = RenderedStack.WithSettings(new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                ["ipfs-overlay"] = new Dictionary<string, string>
                {
                    ["swarm_key"] = "env://FLATRACOON_TEST_SWARM_KEY",
                    ["cluster_secret"] = "file://" + clusterSecretFile,
                },
                ["zerotier-k8s-link"] = new Dictionary<string, string> { ["controller_token"] = "env://FLATRACOON_TEST_ZEROTIER_TOKEN" },
                ["poly-observability-mcp"] = new Dictionary<string, string> { ["grafana_token"] = "file://" + grafanaFile },
                ["poly-secret-mcp"] = new Dictionary<string, string> { ["sops_age_key"] = "file://" + ageFile },
                ["twingate-helm-deploy"] = new Dictionary<string, string> { ["access_token"] = "sops://secrets/twingate.enc.yaml#access_token" },
            }).Build();
            var set = StackRenderer.Render(stack);
            GitOpsWriter.Write(set, outDir);

            var files = Directory.GetFiles(outDir, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).ToList();
            // Every file of the render is scanned: a file per module, the artifacts, the stack's file, the kustomization and the marker.
            Assert.Equal(GitOpsWriter.Files(set).Count, files.Count);
            Assert.True(files.Count > 30, $"only {files.Count} files");
            var values = new[] { SwarmKey, ClusterSecret, ZerotierToken, GrafanaToken, AgeKey };
            var leaks = Scan(files, values);
            Assert.True(leaks.Count == 0, "secret values in the render:\n" + string.Join("\n", leaks));

            // The references went where they should: an apply-time plan (never values) per module.
            var plan = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "ipfs-overlay", ModuleSecrets.ApplyTimeFile))).RootElement;
            var references = plan.GetProperty("secrets").EnumerateArray().SelectMany(s => s.GetProperty("data").EnumerateArray())
                .Select(d => d.GetProperty("reference").GetString()).OrderBy(r => r, StringComparer.Ordinal);
            Assert.Equal(new[] { "env://FLATRACOON_TEST_SWARM_KEY", "file://" + clusterSecretFile }.OrderBy(r => r, StringComparer.Ordinal), references);
            Assert.True(File.Exists(Path.Combine(outDir, "twingate-helm-deploy", ModuleSecrets.ApplyTimeFile)));
            Assert.False(Directory.GetFiles(outDir, "secret-*.yaml", SearchOption.AllDirectories).Any(), "a Secret object was rendered");
        }
        finally
        {
            Environment.SetEnvironmentVariable("FLATRACOON_TEST_SWARM_KEY", null);
            Environment.SetEnvironmentVariable("FLATRACOON_TEST_ZEROTIER_TOKEN", null);
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void The_scanner_finds_a_planted_value_in_any_encoding()
    {
        var dir = Repo.TempDir("secret-scan");
        try
        {
            var plain = Path.Combine(dir, "plain.yaml");
            var encoded = Path.Combine(dir, "encoded.yaml");
            var clean = Path.Combine(dir, "clean.yaml");
            File.WriteAllText(plain, "value: " + ZerotierToken + "\n");
            File.WriteAllText(encoded, "data:\n  token: " + Convert.ToBase64String(Encoding.UTF8.GetBytes(SwarmKey)) + "\n");
            File.WriteAllText(clean, "value: nothing\n");
            var leaks = Scan(new[] { plain, encoded, clean }, new[] { SwarmKey, ZerotierToken });
            var leakingFiles = leaks.Select(l => Path.GetFileName(l[..l.IndexOf(": ", StringComparison.Ordinal)])).Distinct().OrderBy(f => f, StringComparer.Ordinal);
            Assert.Equal(new[] { "encoded.yaml", "plain.yaml" }, leakingFiles);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>Files that contain any of <paramref name="values"/> (and each line of 32 characters or more), raw, base64 or hex.</summary>
    private static List<string> Scan(IEnumerable<string> files, IEnumerable<string> values)
    {
        var needles = values
            .SelectMany(v => v.Split('\n').Where(l => l.Length >= 32).Append(v))
            .SelectMany(v => new[]
            {
                v,
                Convert.ToBase64String(Encoding.UTF8.GetBytes(v)),
                Convert.ToHexString(Encoding.UTF8.GetBytes(v)).ToLowerInvariant(),
            })
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var leaks = new List<string>();
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            foreach (var needle in needles.Where(n => text.Contains(n, StringComparison.Ordinal)))
            {
                leaks.Add($"{file}: contains '{needle[..Math.Min(8, needle.Length)]}...'");
            }
        }
        return leaks;
    }
}

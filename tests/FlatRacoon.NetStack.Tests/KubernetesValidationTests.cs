using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using FlatRacoon.Rendering;
using Xunit;

namespace FlatRacoon.Samples.Tests;

/// <summary>
/// Every object of the sample render passes offline schema validation with npm kubernetes-models
/// 5 (Kubernetes 1.27 schemas) and the Prometheus Operator and External Secrets model packages;
/// Multus' NetworkAttachmentDefinition, which no npm package models, is checked by hand-written
/// required-field rules in tools/k8s-validate/validate.mjs. scripts/setup.d/20-k8s-validate.sh
/// installs the validator from its committed lock file.
/// </summary>
public class KubernetesValidationTests
{
    private static string Validator => Path.Combine(Repo.Root, "tools", "k8s-validate", "validate.mjs");

    private static void RequireValidator()
    {
        Assert.True(File.Exists(Path.Combine(Repo.Root, "tools", "k8s-validate", "node_modules", "kubernetes-models", "package.json")),
            "The validator is not installed: run `bash scripts/setup.d/20-k8s-validate.sh` (npm ci in tools/k8s-validate; scripts/test.sh does this).");
    }

    [Theory]
    [MemberData(nameof(RenderedStack.Environments), MemberType = typeof(RenderedStack))]
    public async Task Every_object_of_the_sample_render_passes_schema_validation(string environment)
    {
        RequireValidator();
        var dir = Repo.TempDir("k8s-validate");
        try
        {
            var set = RenderedStack.Render(environment);
            GitOpsWriter.Write(set, dir);
            var (code, output, error) = await Repo.Run("node", $"\"{Validator}\" \"{dir}\"", Repo.Root, TimeSpan.FromMinutes(3));
            Assert.True(code == 0, $"validation failed (exit {code}):\n{output}\n{error}");
            var files = set.Objects.Select(o => o.RelativePath).Distinct(StringComparer.Ordinal).Count();
            Assert.Contains($"validated {set.Objects.Length} objects in {files} files, 0 problems", output);

            // Every YAML file of the render is either a listed object or a known text artifact.
            var listed = set.Objects.Select(o => o.RelativePath).ToHashSet(StringComparer.Ordinal);
            var artifacts = set.Artifacts.Select(a => a.RelativePath).ToHashSet(StringComparer.Ordinal);
            foreach (var file in Directory.GetFiles(dir, "*.yaml", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(dir, file).Replace(Path.DirectorySeparatorChar, '/');
                Assert.True(relative == "kustomization.yaml" || listed.Contains(relative) || artifacts.Contains(relative), relative);
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task The_validator_rejects_invalid_objects_and_unknown_kinds()
    {
        RequireValidator();
        var dir = Repo.TempDir("k8s-invalid");
        try
        {
            File.WriteAllText(Path.Combine(dir, "deployment.yaml"), "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replicas: three\n  template: {}\n");
            File.WriteAllText(Path.Combine(dir, "podmonitor.yaml"), "apiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata:\n  name: x\nspec:\n  podMetricsEndpoints: 3\n");
            File.WriteAllText(Path.Combine(dir, "nad.yaml"), "apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata:\n  name: x\nspec:\n  config: '{\"type\":\"ipvlan\"}'\n");
            File.WriteAllText(Path.Combine(dir, "unknown.yaml"), "apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: x\n");
            var (code, output, _) = await Repo.Run("node", $"\"{Validator}\" \"{dir}\"", Repo.Root, TimeSpan.FromMinutes(3));
            Assert.Equal(1, code);
            Assert.Contains("/spec/replicas must be integer", output);
            Assert.Contains("/spec must have required property 'selector'".Replace("'", ""), output.Replace("'", ""));
            Assert.Contains("/spec/podMetricsEndpoints must be array", output);
            Assert.Contains("cniVersion is required", output);
            Assert.Contains("no schema for example.com/v1/Gadget", output);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}

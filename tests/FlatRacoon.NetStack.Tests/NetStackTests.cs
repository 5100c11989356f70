using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using FlatRacoon.Rendering;
using FlatRacoon.Samples;
using Xunit;

namespace FlatRacoon.Samples.Tests;

public class NetStackTests
{
    private static readonly string[] ElevenModules =
    {
        "bgp-backbone-lab", "flatracoon-os", "hesiod-dns-map", "ipfs-overlay", "ipv6-site-enforcer", "network-dashboard",
        "poly-k8s-mcp", "poly-observability-mcp", "poly-secret-mcp", "twingate-helm-deploy", "zerotier-k8s-link",
    };

    [Fact]
    public void The_eleven_modules_deploy_in_four_waves()
    {
        var stack = NetStack.Create().Build();

        Assert.Equal(ElevenModules, stack.Modules.Select(m => m.Name).OrderBy(n => n, StringComparer.Ordinal));
        var waves = stack.Waves.Select(w => w.Select(m => m.Name).ToArray()).ToArray();
        Assert.Equal(new[]
        {
            new[] { "flatracoon-os", "poly-k8s-mcp" },
            new[] { "bgp-backbone-lab", "ipv6-site-enforcer", "poly-observability-mcp", "poly-secret-mcp" },
            new[] { "hesiod-dns-map", "twingate-helm-deploy", "zerotier-k8s-link" },
            new[] { "ipfs-overlay", "network-dashboard" },
        }, waves);
        Assert.Equal(new[] { "zerotier-k8s-link" }, stack.ProvidersOf("overlay-network"));
        Assert.Contains("zerotier-k8s-link", stack.DependenciesOf("ipfs-overlay"));
    }

    [Fact]
    public void The_stack_takes_production_values_from_the_environment()
    {
        var stack = NetStack.Create().Build();
        Assert.Equal("production", stack.Environment.Name);
        Assert.True(stack.Environment.Ipv6Only);
        Assert.Equal(stack.Environment.SitePrefix, Ipv6Prefix.Parse(stack.Environment.SitePrefix!).Value); // throws FR0102 when malformed
        var zerotier = stack.Modules.Single(m => m.Name == "zerotier-k8s-link");
        var networkId = ConfigJson.ToElement(zerotier.Config).GetProperty("network_id").GetString();
        Assert.Equal(networkId, ZeroTierNetworkId.Parse(networkId!).Value); // throws FR0101 when malformed
    }

    [Fact]
    public void Render_writes_a_file_per_module_its_artifacts_in_a_folder_and_a_kustomization()
    {
        var dir = Repo.TempDir("netstack");
        try
        {
            var set = StackRenderer.Render(NetStack.Create().Build());
            GitOpsWriter.Write(set, dir);

            Assert.True(File.Exists(Path.Combine(dir, "kustomization.yaml")));
            var files = Directory.GetFiles(dir, "*.yaml").Select(Path.GetFileName).Where(n => n is not "kustomization.yaml" and not "_stack.yaml").OrderBy(n => n, StringComparer.Ordinal);
            Assert.Equal(ElevenModules.Select(m => m + ".yaml"), files);
            foreach (var module in ElevenModules)
            {
                var yaml = File.ReadAllText(Path.Combine(dir, module + ".yaml"));
                Assert.Contains($"kind: Namespace\nmetadata:\n", yaml);
                Assert.Contains($"kind: ServiceAccount\nmetadata:\n", yaml);
                // At least one workload: twingate-helm-deploy renders one Deployment per connector.
                Assert.Matches("\nkind: (Deployment|StatefulSet|DaemonSet)\n", yaml);
            }
            // A folder only for a module with artifacts (files the ConfigMaps do not make reviewable as files).
            var folders = Directory.GetDirectories(dir).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal);
            Assert.Equal(set.Artifacts.Select(a => a.Module).Distinct().OrderBy(n => n, StringComparer.Ordinal), folders);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>
    /// Two separate processes (string hashing is randomized per process, so an ordering that
    /// leaks from a hash set shows only across processes) must write identical bytes.
    /// </summary>
    [Fact]
    public async Task Rendering_twice_in_separate_processes_gives_identical_bytes()
    {
        var program = typeof(NetStack).Assembly.Location;
        var first = Repo.TempDir("render-a");
        var second = Repo.TempDir("render-b");
        try
        {
            var a = await Repo.Run("dotnet", $"\"{program}\" render --out \"{first}\"", Repo.Root, TimeSpan.FromMinutes(2));
            var b = await Repo.Run("dotnet", $"\"{program}\" render --out \"{second}\"", Repo.Root, TimeSpan.FromMinutes(2));
            Assert.True(a.Code == 0, a.Err);
            Assert.True(b.Code == 0, b.Err);
            Assert.Contains("11 modules in 4 waves", a.Out);

            var filesA = Directory.GetFiles(first, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(first, f)).OrderBy(f => f, StringComparer.Ordinal).ToArray();
            var filesB = Directory.GetFiles(second, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(second, f)).OrderBy(f => f, StringComparer.Ordinal).ToArray();
            Assert.Equal(filesA, filesB);
            Assert.True(filesA.Length > 40, $"only {filesA.Length} files");
            foreach (var file in filesA)
            {
                Assert.True(File.ReadAllBytes(Path.Combine(first, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(second, file))), file);
            }
        }
        finally
        {
            Directory.Delete(first, true);
            Directory.Delete(second, true);
        }
    }

    [Fact]
    public async Task The_program_rejects_bad_arguments_with_usage()
    {
        var program = typeof(NetStack).Assembly.Location;
        var (code, _, err) = await Repo.Run("dotnet", $"\"{program}\" rendr", Repo.Root, TimeSpan.FromMinutes(1));
        Assert.Equal(2, code);
        Assert.Contains("unknown command 'rendr'; did you mean 'render'?", err);
        Assert.Contains("--help' for usage.", err);
    }
}

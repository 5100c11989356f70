using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Attributes;
using FlatRacoon.Rendering;
using FlatRacoon.Samples;

namespace FlatRacoon.Benchmarks;

/// <summary>
/// Render speed: the sample stack, and synthetic stacks of 100 and 1,000 modules (ten waves
/// deep) to show rendering stays linear. Includes YAML serialization of every object.
/// </summary>
[MemoryDiagnoser]
public class RenderBenchmarks
{
    private Stack _sample = null!;
    private Stack _synthetic = null!;

    [Params(100, 1000)]
    public int Modules { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _sample = NetStack.Create().Build();
        _synthetic = Synthetic(Modules);
    }

    [Benchmark(Description = "sample stack: render + YAML")]
    public int RenderSample() => GitOpsWriter.Files(StackRenderer.Render(_sample)).Sum(f => f.Value.Length);

    [Benchmark(Description = "synthetic stack: render + YAML")]
    public int RenderSynthetic() => GitOpsWriter.Files(StackRenderer.Render(_synthetic)).Sum(f => f.Value.Length);

    /// <summary>
    /// n modules in ten layers of dependencies (module i requires the capability of module i-10),
    /// each rendered by the fallback renderer: the shape of cdk8s's benchmark (Namespace, ConfigMap,
    /// Deployment, Service per module) plus a ServiceAccount (cdk8s's side in bench/cdk8s/main.js renders the same five objects).
    /// </summary>
    public static Stack Synthetic(int n)
    {
        var stack = StackBuilder.Create("synthetic");
        var digits = Math.Max(4, (n - 1).ToString(CultureInfo.InvariantCulture).Length);
        string Id(int i) => i.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
        for (var i = 0; i < n; i++)
        {
            stack.AddModule(new ModuleDescriptor
            {
                Name = $"m{Id(i)}",
                Version = "1.0.0",
                Layer = Layer.Network,
                Requires = i >= 10 ? ImmutableArray.Create("kubernetes", $"cap{Id(i - 10)}") : ImmutableArray.Create("kubernetes"),
                Provides = ImmutableArray.Create($"cap{Id(i)}"),
                HealthEndpoint = new Endpoint(8080, "/healthz"),
                MetricsEndpoint = new Endpoint(9090, "/metrics"),
                Image = new ImageReference("ghcr.io/example/m", "1.0.0"),
            }, EmptyModuleConfig.Instance);
        }
        return stack.Build();
    }
}

using System.Collections.Immutable;
using System.Linq;
using System.Text.Json;

namespace FlatRacoon.Sdk.Tests;

/// <summary>Hand-made modules and configurations, independent of the generator.</summary>
internal static class TestModules
{
    public static ModuleDescriptor Module(string name, Layer layer, string[] requires, string[] provides,
        WorkloadKind workload = WorkloadKind.Deployment, Endpoint? health = null, Endpoint? metrics = null) => new()
    {
        Name = name,
        Version = "1.2.3",
        Layer = layer,
        Requires = requires.ToImmutableArray(),
        Provides = provides.ToImmutableArray(),
        Workload = workload,
        HealthEndpoint = health,
        MetricsEndpoint = metrics,
        Image = new ImageReference("ghcr.io/example/" + name, "1.2.3"),
    };

    public static readonly ModuleDescriptor Secrets = Module("secrets", Layer.Orchestration, new[] { "kubernetes" }, new[] { "secret-store" });
    public static readonly ModuleDescriptor Overlay = Module("overlay", Layer.Overlay, new[] { "kubernetes", "secret-store" }, new[] { "overlay-network" },
        WorkloadKind.DaemonSet);
    public static readonly ModuleDescriptor Storage = Module("storage", Layer.Storage, new[] { "overlay-network", "secret-store" }, new[] { "ipfs-storage" },
        WorkloadKind.StatefulSet, new Endpoint(9094, "/health"), new Endpoint(5001, "/debug/metrics/prometheus"));
    public static readonly ModuleDescriptor Dashboard = Module("dashboard", Layer.Observability, new[] { "ipfs-storage" }, new[] { "status-dashboard" },
        WorkloadKind.Deployment, new Endpoint(8080, "/healthz"), new Endpoint(8080, "/metrics"));

    public static StackBuilder ThreeWaveStack(StackEnvironment? environment = null)
    {
        var stack = StackBuilder.Create("demo", environment);
        stack.AddModule(Dashboard, new TestConfig(2, "vault://secret/demo/dash#token"));
        var storage = stack.AddModule(Storage, new TestConfig(3, "env://SWARM_KEY"));
        var overlay = stack.AddModule(Overlay, EmptyModuleConfig.Instance);
        stack.AddModule(Secrets, EmptyModuleConfig.Instance);
        // Storage provides ipfs-storage: the rules (FR1004) want its swarm on the overlay.
        storage.WithOverlay(overlay);
        return stack;
    }
}

/// <summary>A configuration with replicas and a secret reference, like generated ones.</summary>
internal sealed record TestConfig(int Replicas, string Token) : IModuleConfig
{
    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteNumber("replicas", Replicas);
        writer.WriteString("token", SecretReference.Parse(Token).ToString());
        writer.WriteStartObject("resources");
        writer.WriteStartObject("limits");
        writer.WriteString("cpu", "750m");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}

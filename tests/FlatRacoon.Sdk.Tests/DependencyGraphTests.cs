using System.Collections.Immutable;
using System.Linq;
using FlatRacoon.Stacks.Rules;
using Xunit;

namespace FlatRacoon.Sdk.Tests;

public class DependencyGraphTests
{
    private static ModuleDescriptor Node(string name, string[] requires, string[] provides) =>
        new() { Name = name, Version = "1.0.0", Layer = Layer.Network, Requires = requires.ToImmutableArray(), Provides = provides.ToImmutableArray() };

    [Fact]
    public void Waves_follow_dependencies_and_order_names_inside_a_wave()
    {
        var graph = DependencyGraph.Build(new[]
        {
            Node("d", new[] { "c-cap", "a-cap" }, new[] { "d-cap" }),
            Node("c", new[] { "b-cap" }, new[] { "c-cap" }),
            Node("b", new[] { "kubernetes" }, new[] { "b-cap" }),
            Node("a", new string[0], new[] { "a-cap" }),
        });

        Assert.Empty(graph.Issues);
        Assert.Equal(new[] { new[] { "a", "b" }, new[] { "c" }, new[] { "d" } }, graph.Waves.Select(w => w.ToArray()).ToArray());
        Assert.Equal(new[] { "a", "c" }, graph.DependenciesOf("d"));
    }

    [Fact]
    public void A_cycle_is_reported_once_with_its_chain_and_its_modules_get_no_wave()
    {
        var graph = DependencyGraph.Build(new[]
        {
            Node("x", new[] { "z-cap" }, new[] { "x-cap" }),
            Node("y", new[] { "x-cap" }, new[] { "y-cap" }),
            Node("z", new[] { "y-cap" }, new[] { "z-cap" }),
            Node("free", new string[0], new[] { "free-cap" }),
        });

        var issue = Assert.Single(graph.Issues);
        Assert.Equal("FR1002", issue.RuleId);
        Assert.Equal(new[] { "x", "z", "y", "x" }, issue.Chain);
        Assert.Contains("x → z → y → x", issue.Message);
        Assert.Equal(-1, graph.WaveOf("x"));
        Assert.Equal(0, graph.WaveOf("free"));
    }

    [Fact]
    public void A_missing_provider_names_the_capability_the_dependents_and_candidates()
    {
        var catalog = new[] { Node("ipv6", new string[0], new[] { "ipv6-ingress" }) };
        var graph = DependencyGraph.Build(new[]
        {
            Node("hesiod", new[] { "ipv6-ingress" }, new[] { "service-discovery" }),
            Node("dashboard", new[] { "service-discovery" }, new[] { "status" }),
        }, catalog: catalog);

        var issue = Assert.Single(graph.Issues);
        Assert.Equal("FR1001", issue.RuleId);
        Assert.Equal("hesiod", issue.Module);
        Assert.Equal("ipv6-ingress", issue.Capability);
        Assert.Equal(new[] { "dashboard", "hesiod" }, issue.Chain);
        Assert.Contains("needed by dashboard → hesiod", issue.Message);
        Assert.Contains("Add a module that provides it: ipv6.", issue.Message);
    }

    [Fact]
    public void External_capabilities_need_no_provider()
    {
        var graph = DependencyGraph.Build(new[] { Node("a", new[] { "kubernetes", "gpu" }, new string[0]) }, new[] { "kubernetes", "gpu" });
        Assert.Empty(graph.Issues);
    }

    [Fact]
    public void A_module_added_twice_is_reported()
    {
        var graph = DependencyGraph.Build(new[] { Node("a", new string[0], new string[0]), Node("a", new string[0], new string[0]) });
        Assert.Equal("FR1006", Assert.Single(graph.Issues).RuleId);
    }

    [Fact]
    public void Explicit_dependencies_add_edges()
    {
        var graph = DependencyGraph.Build(
            new[] { Node("a", new string[0], new string[0]), Node("b", new string[0], new string[0]) },
            explicitDependencies: new[] { new System.Collections.Generic.KeyValuePair<string, string>("a", "b") });
        Assert.Equal(1, graph.WaveOf("a"));
        Assert.Equal(0, graph.WaveOf("b"));
    }
}

public class BindingTests
{
    [Fact]
    public void WithOverlay_records_the_binding_and_waits_for_the_overlay()
    {
        var stack = StackBuilder.Create("bound");
        stack.AddModule(TestModules.Secrets, EmptyModuleConfig.Instance);
        var overlay = stack.AddModule(TestModules.Overlay, EmptyModuleConfig.Instance);
        var free = stack.AddModule(TestModules.Module("free", Layer.Storage, new[] { "kubernetes" }, new string[0]), EmptyModuleConfig.Instance);
        free.WithOverlay(overlay);
        var built = stack.Build();

        var module = built.Module("free")!;
        Assert.Equal("overlay", built.BoundTo(module, ModuleInstance.OverlayRole)!.Name);
        Assert.Contains("overlay", built.DependenciesOf("free"));
        Assert.Null(built.BoundTo(built.Module("secrets")!, ModuleInstance.OverlayRole));
    }
}

public class LayerOrderTests
{
    // The rules rank layers by the public enum; messages and the generator use the shared list.
    // They must be one order.
    [Fact]
    public void The_Layer_enum_lists_the_layers_in_the_shared_order()
    {
        Assert.Equal(FlatRacoon.Topology.Layers.Ordered,
            System.Enum.GetValues<Layer>().OrderBy(l => (int)l).Select(l => l.ToString().ToLowerInvariant()));
    }
}

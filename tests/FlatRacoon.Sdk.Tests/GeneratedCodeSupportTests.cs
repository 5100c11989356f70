using System;
using System.Collections.Immutable;
using System.Linq;
using Xunit;

namespace FlatRacoon.Sdk.Tests;

/// <summary>The descriptors of modules a program does not name are data the SDK reads (docs/reference/generated-code.md, on demand).</summary>
public sealed class GeneratedCodeSupportTests
{
    private static readonly ModuleDescriptor s_named = new()
    {
        Name = "m-named",
        Version = "1.0.0",
        Layer = Layer.Overlay,
        Provides = ImmutableArray.Create("overlay-network"),
    };

    [Fact]
    public void Modules_reads_every_field_and_keeps_the_named_instances_in_name_order()
    {
        const string data = """
            [{"name":"z-last","version":"2.1.0","layer":"Storage","requires":["kubernetes","overlay-network"],"provides":["ipfs-storage"],
              "health_endpoint":{"port":8080,"path":"/healthz"},"metrics_endpoint":{"port":9090,"path":"/metrics"},
              "image":{"repository":"ghcr.io/example/z","tag":"2.1.0","digest":"sha256:00"},"workload":"StatefulSet","description":"A \"quoted\"\nline."},
             {"name":"a-first","version":"0.1.0","layer":"Platform","requires":[],"provides":[],"workload":"DaemonSet"}]
            """;

        var all = GeneratedCodeSupport.Modules(data, s_named);

        Assert.Equal(new[] { "a-first", "m-named", "z-last" }, all.Select(d => d.Name));
        Assert.Same(s_named, all[1]);
        var first = all[0];
        Assert.Equal(Layer.Platform, first.Layer);
        Assert.Empty(first.Requires);
        Assert.Null(first.HealthEndpoint);
        Assert.Null(first.Image);
        Assert.Null(first.Description);
        Assert.Equal(WorkloadKind.DaemonSet, first.Workload);
        var last = all[2];
        Assert.Equal("2.1.0", last.Version);
        Assert.Equal(Layer.Storage, last.Layer);
        Assert.Equal(new[] { "kubernetes", "overlay-network" }, last.Requires);
        Assert.Equal(new[] { "ipfs-storage" }, last.Provides);
        Assert.Equal(new Endpoint(8080, "/healthz"), last.HealthEndpoint);
        Assert.Equal(new Endpoint(9090, "/metrics"), last.MetricsEndpoint);
        Assert.Equal(new ImageReference("ghcr.io/example/z", "2.1.0", "sha256:00"), last.Image);
        Assert.Equal(WorkloadKind.StatefulSet, last.Workload);
        Assert.Equal("A \"quoted\"\nline.", last.Description);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[{\"name\":\"x\"}]")]
    [InlineData("[{\"name\":\"x\",\"version\":\"1\",\"layer\":\"Nowhere\",\"requires\":[],\"provides\":[],\"workload\":\"Deployment\"}]")]
    [InlineData("{\"name\":\"x\"}")]
    public void Unreadable_data_is_a_format_error_that_says_to_rebuild(string data)
    {
        var error = Assert.Throws<FormatException>(() => GeneratedCodeSupport.Modules(data));
        Assert.Contains("rebuild the project", error.Message, StringComparison.Ordinal);
    }
}

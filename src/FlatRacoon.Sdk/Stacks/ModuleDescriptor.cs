using System.Collections.Immutable;

namespace FlatRacoon;

/// <summary>What kind of workload carries a module's main container.</summary>
public enum WorkloadKind
{
    /// <summary>A Deployment (stateless, rolling updates).</summary>
    Deployment,
    /// <summary>A StatefulSet with stable identities and volumes.</summary>
    StatefulSet,
    /// <summary>A DaemonSet: one pod per node.</summary>
    DaemonSet,
}

/// <summary>An HTTP endpoint of a module's main container.</summary>
/// <param name="Port">Container port (1-65535).</param>
/// <param name="Path">Request path, starting with '/'.</param>
public sealed record Endpoint(int Port, string Path)
{
    /// <inheritdoc />
    public override string ToString() => $":{Port}{Path}";
}

/// <summary>A container image pinned by tag and, optionally, by digest.</summary>
public sealed record ImageReference(string Repository, string Tag, string? Digest = null)
{
    /// <summary>The reference as a container runtime reads it.</summary>
    public override string ToString() =>
        Digest is null ? $"{Repository}:{Tag}" : $"{Repository}:{Tag}@{Digest}";
}

/// <summary>
/// A module as its manifest (<c>flatracoon.module.json</c>) describes it. Instances are
/// generated at compile time from the manifests; nothing is read from disk at run time.
/// </summary>
public sealed record ModuleDescriptor
{
    /// <summary>Module name, lower-case kebab (<c>ipfs-overlay</c>).</summary>
    public required string Name { get; init; }
    /// <summary>Semantic version of the module.</summary>
    public required string Version { get; init; }
    /// <summary>The layer the module belongs to.</summary>
    public required Layer Layer { get; init; }
    /// <summary>Capabilities the module needs (provided by other modules or external).</summary>
    public ImmutableArray<string> Requires { get; init; } = ImmutableArray<string>.Empty;
    /// <summary>Capabilities the module offers to others.</summary>
    public ImmutableArray<string> Provides { get; init; } = ImmutableArray<string>.Empty;
    /// <summary>Health endpoint of the main container, if it has an HTTP one.</summary>
    public Endpoint? HealthEndpoint { get; init; }
    /// <summary>Prometheus metrics endpoint of the main container, if any.</summary>
    public Endpoint? MetricsEndpoint { get; init; }
    /// <summary>Main container image.</summary>
    public ImageReference? Image { get; init; }
    /// <summary>Workload kind of the main container.</summary>
    public WorkloadKind Workload { get; init; } = WorkloadKind.Deployment;
    /// <summary>One sentence saying what the module does.</summary>
    public string? Description { get; init; }
}

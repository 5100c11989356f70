namespace FlatRacoon;

/// <summary>
/// The layers of the stack, from the bottom up. A module may depend on modules of its own
/// layer or of layers below it (see docs/concepts/layers.adoc).
/// </summary>
public enum Layer
{
    /// <summary>Immutable container hosts (flatracoon-os).</summary>
    Platform = 0,
    /// <summary>Cluster and secret integrations (poly-k8s-mcp, poly-secret-mcp).</summary>
    Orchestration = 1,
    /// <summary>IPv6-only ingress, NAT64/DNS64, BGP backbone.</summary>
    Network = 2,
    /// <summary>The ZeroTier mesh.</summary>
    Overlay = 3,
    /// <summary>Remote access (Twingate connector).</summary>
    Access = 4,
    /// <summary>The private IPFS cluster.</summary>
    Storage = 5,
    /// <summary>Hesiod HS-class DNS discovery.</summary>
    Naming = 6,
    /// <summary>Dashboards, metrics, logs.</summary>
    Observability = 7,
}

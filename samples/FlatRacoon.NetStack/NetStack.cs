using FlatRacoon;
using FlatRacoon.Generated;

namespace FlatRacoon.Samples;

/// <summary>
/// The FlatRacoon Network Stack: all eleven modules, configured for production from
/// configs/environments.ncl. Capabilities resolve the order (the overlay before IPFS, secrets
/// before everything that holds a credential); nothing here lists waves by hand.
/// </summary>
public static class NetStack
{
    /// <summary>The stack's name: the part-of label of everything it renders.</summary>
    public const string Name = "flatracoon-netstack";

    /// <summary>The environments of configs/environments.ncl, by name.</summary>
    public static StackEnvironment Environment(string name) => name switch
    {
        "development" => Environments.Development.Environment,
        "staging" => Environments.Staging.Environment,
        "production" => Environments.Production.Environment,
        _ => throw new System.ArgumentException($"Unknown environment '{name}'.", nameof(name)),
    };

    /// <summary>Declares the stack for production.</summary>
    public static StackBuilder Create() => Create(Environments.Production.Environment);

    /// <summary>Declares the stack for <paramref name="environment"/>.</summary>
    public static StackBuilder Create(StackEnvironment environment)
    {
        var stack = StackBuilder.Create(Name, environment);

        // Platform and orchestration: immutable hosts, cluster access, secret references.
        stack.AddFlatracoonOs();
        stack.AddPolyK8sMcp();
        stack.AddPolySecretMcp();

        // Network: IPv6-only ingress with NAT64/DNS64, and the BGP backbone lab.
        stack.AddIpv6SiteEnforcer();
        stack.AddBgpBackboneLab();

        // Overlay and access: the ZeroTier mesh and the Twingate connector.
        var overlay = stack.AddZerotierK8sLink();
        stack.AddTwingateHelmDeploy();

        // Storage: the private IPFS cluster, which lives on the overlay only.
        stack.AddIpfsOverlay().WithOverlay(overlay);

        // Naming and observability.
        stack.AddHesiodDnsMap();
        stack.AddPolyObservabilityMcp();
        stack.AddNetworkDashboard();

        return stack;
    }
}

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

    /// <summary>Declares the stack.</summary>
    public static StackBuilder Create()
    {
        var stack = StackBuilder.Create(Name, Environments.Production.Environment);

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

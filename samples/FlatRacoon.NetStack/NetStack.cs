using FlatRacoon;
using FlatRacoon.Generated;

namespace FlatRacoon.Samples;

/// <summary>
/// The FlatRacoon Network Stack: all eleven modules, configured per environment from
/// configs/environments.ncl. Providers are typed arguments, so the declaration reads like the
/// wiring diagram: a missing provider, or IPFS bound to anything but the overlay, does not compile.
/// </summary>
public static class NetStack
{
    /// <summary>The stack's name: the part-of label of everything it renders.</summary>
    public const string Name = "flatracoon-netstack";

    /// <summary>The environments of configs/environments.ncl, by name.</summary>
    public static StackEnvironment Environment(string name) =>
        EnvironmentCatalog.Find(name) ?? throw new System.ArgumentException($"Unknown environment '{name}'.", nameof(name));

    /// <summary>Declares the stack for production.</summary>
    public static StackBuilder Create() => Create(Environments.Production.Environment);

    /// <summary>Declares the stack for <paramref name="environment"/>.</summary>
    public static StackBuilder Create(StackEnvironment environment)
    {
        var stack = StackBuilder.Create(Name, environment);

        // Platform and orchestration: immutable hosts, cluster access, secret references.
        var hosts = stack.AddFlatracoonOs();
        var kubernetes = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp(kubernetes);

        // Network: IPv6-only ingress with NAT64/DNS64, and the BGP backbone lab.
        var ingress = stack.AddIpv6SiteEnforcer(hosts, kubernetes);
        stack.AddBgpBackboneLab(hosts, kubernetes);

        // Overlay and access: the ZeroTier mesh and the Twingate connector.
        var overlay = stack.AddZerotierK8sLink(hosts, kubernetes, secrets);
        stack.AddTwingateHelmDeploy(kubernetes, secrets);

        // Storage: the private IPFS cluster, which lives on the overlay only.
        stack.AddIpfsOverlay(overlay, kubernetes, secrets);

        // Naming and observability.
        var discovery = stack.AddHesiodDnsMap(ingress, kubernetes);
        var observability = stack.AddPolyObservabilityMcp(kubernetes);
        stack.AddNetworkDashboard(kubernetes, observability, discovery);

        return stack;
    }
}

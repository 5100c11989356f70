using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

/// <summary>All eleven modules, wired as the sample does.</summary>
internal static class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("flatracoon-netstack", env);

        // Platform and orchestration.
        var os = stack.AddFlatracoonOs();
        var k8s = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp(k8s);

        // Network: IPv6-only ingress with NAT64/DNS64, and the BGP lab.
        var ingress = stack.AddIpv6SiteEnforcer(os, k8s);
        stack.AddBgpBackboneLab(os, k8s);

        // Overlay and access.
        var overlay = stack.AddZerotierK8sLink(os, k8s, secrets);
        stack.AddTwingateHelmDeploy(k8s, secrets);

        // Storage on the overlay only.
        stack.AddIpfsOverlay(overlay, k8s, secrets);

        // Naming and observability.
        var naming = stack.AddHesiodDnsMap(ingress, k8s);
        var metrics = stack.AddPolyObservabilityMcp(k8s);
        stack.AddNetworkDashboard(k8s, metrics, naming);
        return stack;
    }
}

using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

/// <summary>The network team's helper: joins the cluster to the ZeroTier mesh.</summary>
internal static class Overlay
{
    public static IOverlayNetwork Add(StackBuilder stack, IContainerHosts hosts, IKubernetesApi api, ISecretStore secrets)
    {
        // The secret store is at hand but not passed on.
        return stack.AddZerotierK8sLink(hosts, api); // expect: CS7036
    }
}

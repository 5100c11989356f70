using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

/// <summary>The platform team's building blocks, as extension methods on the builder.</summary>
internal static class StackExtensions
{
    public static StackBuilder AddMesh(this StackBuilder stack, IContainerHosts hosts, IKubernetesApi api, ISecretStore secrets, out IOverlayNetwork overlay)
    {
        overlay = stack.AddZerotierK8sLink(hosts, api, secrets, c => c with { Mtu = 2800 });
        return stack;
    }

    public static StackBuilder AddStorage(this StackBuilder stack, IOverlayNetwork overlay, IKubernetesApi api, ISecretStore secrets)
    {
        stack.AddIpfsOverlay(overlay, api, secrets, c => c with { Replicas = 3, GatewayEnabled = false });
        return stack;
    }
}

using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    private static readonly ZeroTierNetworkId LabNetwork = "8056c2e21c000001";
    private static readonly Ipv6Prefix LabOverlay = "fd7a:f1a7:2e00::/64";
    private const int LabMtu = 2800;

    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("netstack", env);
        var os = stack.AddFlatracoonOs();
        var k8s = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp(k8s);
        var overlay = stack.AddZerotierK8sLink(os, k8s, secrets);
        if (env.Name == "development")
        {
            overlay.WithConfig(c => c with { NetworkId = LabNetwork, OverlayPrefix = LabOverlay, Mtu = LabMtu });
        }
        stack.AddIpfsOverlay(overlay, k8s, secrets);
        return stack;
    }
}

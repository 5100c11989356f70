using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    // Upper-case hex is not a ZeroTier network id.
    private static readonly ZeroTierNetworkId LabNetwork = "8056C2E21C000001"; // expect: FR0101

    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("netstack", env);
        var os = stack.AddFlatracoonOs();
        var k8s = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp(k8s);
        var overlay = stack.AddZerotierK8sLink(os, k8s, secrets, c => c with { NetworkId = LabNetwork });
        stack.AddIpfsOverlay(overlay, k8s, secrets);
        return stack;
    }
}

using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("netstack", env);
        var os = stack.AddFlatracoonOs();
        var k8s = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp(k8s);
        var network = NetworkFor(env);
        var overlay = stack.AddZerotierK8sLink(os, k8s, secrets, c => c with { NetworkId = network });
        stack.AddIpfsOverlay(overlay, k8s, secrets);
        return stack;
    }

    // The value is made here, from the environment's name: this is where it is refused.
    private static ZeroTierNetworkId NetworkFor(StackEnvironment env) => env.Name + "-overlay"; // expect: FR0101
}

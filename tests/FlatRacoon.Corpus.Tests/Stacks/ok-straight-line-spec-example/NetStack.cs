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
        var overlay = stack.AddZerotierK8sLink(os, k8s, secrets);
        var ipfs = stack.AddIpfsOverlay(overlay, k8s, secrets, c => c with { Replicas = 3 });
        ipfs.WithConfig(c => c with { GatewayEnabled = false }).WaitFor(overlay);
        return stack;
    }
}

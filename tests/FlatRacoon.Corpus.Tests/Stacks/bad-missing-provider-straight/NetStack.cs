using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

// IPFS needs a secret store for its swarm key; the team forgot to pass one.
internal static class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("netstack", env);
        var os = stack.AddFlatracoonOs();
        var k8s = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp(k8s);
        var overlay = stack.AddZerotierK8sLink(os, k8s, secrets);
        stack.AddIpfsOverlay(overlay, k8s); // expect: CS7036
        return stack;
    }
}

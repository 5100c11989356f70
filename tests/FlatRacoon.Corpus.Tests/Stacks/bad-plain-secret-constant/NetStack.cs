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
        stack.AddIpfsOverlay(overlay, k8s, secrets, c => c with
        {
            Replicas = 3,
            SwarmKey = "4c1d0f7e9a2b5c8d3e6f1a4b7c0d9e2f5a8b1c4d7e0f3a6b9c2d5e8f1a4b7c0d", // expect: FR2001
        });
        return stack;
    }
}

using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("edge", env);
        var os = stack.AddFlatracoonOs();
        var k8s = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp(k8s);
        var overlay = stack.AddZerotierK8sLink(os, k8s, secrets);
        var relay = stack.AddEdgeRelay(k8s, secrets, c => c with { PublicName = "relay.flatracoon.internal" });
        // The team's module (access layer) starts after the overlay (a layer below).
        relay.WaitFor(overlay);
        stack.AddIpfsOverlay(overlay, k8s, secrets);
        return stack;
    }
}

using System;
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
        // A swarm key made up on the spot: a plain value, not a reference to one.
        var key = Convert.ToHexString(new byte[32]).ToLowerInvariant();
        stack.AddIpfsOverlay(overlay, k8s, secrets, c => c with { SwarmKey = key }); // expect: FR2001
        return stack;
    }
}

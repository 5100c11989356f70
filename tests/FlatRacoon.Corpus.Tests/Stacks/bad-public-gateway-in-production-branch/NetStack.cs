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
        var ipfs = stack.AddIpfsOverlay(overlay, k8s, secrets);
        if (env.Name == "production")
        {
            // Production serves the gateway on the site's public prefix, outside the overlay.
            ipfs.WithConfig(c => c with { GatewayEnabled = true, GatewayAddress = "2001:db8:f1a7:e000::80" }); // expect: FR2002
        }
        return stack;
    }
}

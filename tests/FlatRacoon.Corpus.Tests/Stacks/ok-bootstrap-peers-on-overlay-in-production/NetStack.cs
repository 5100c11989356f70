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
            // Peers on the production overlay (2001:db8:f1a7:2e00::/64): a private swarm.
            ipfs.WithConfig(c => c with
            {
                BootstrapPeers =
                [
                    "/ip6/2001:db8:f1a7:2e00::11/tcp/4001/p2p/12D3KooWGzh1cB7dBhkV9R8aaXqXgWqZb3kKh9f8Yb5oJXbVvP2a",
                    "/ip6/2001:db8:f1a7:2e00::12/tcp/4001/p2p/12D3KooWQnZ7c1x4YPq6aJ3vHk2Yb8NwY1sEbEWf5JpxnUq8YkTL",
                ],
            });
        }
        return stack;
    }
}

// Expected: FR1004 FR1004 FR2002 FR2002
using System.Collections.Immutable;
using FlatRacoon;
using FlatRacoon.Generated;

namespace Invalid;

public static class OverlayStacks
{
    /// <summary>FR1004: IPFS is not bound to the overlay at all.</summary>
    public static StackBuilder Unbound()
    {
        var stack = StackBuilder.Create("invalid-overlay", Environments.Production.Environment);
        stack.AddFlatracoonOs();
        stack.AddPolyK8sMcp();
        stack.AddPolySecretMcp();
        stack.AddZerotierK8sLink();
        stack.AddIpfsOverlay();
        return stack;
    }

    /// <summary>
    /// FR1004: announces an address outside the overlay prefix. FR2002 (production): a public
    /// bootstrap peer, and the gateway bound to every address.
    /// </summary>
    public static StackBuilder Exposed()
    {
        var stack = StackBuilder.Create("invalid-overlay", Environments.Production.Environment);
        stack.AddFlatracoonOs();
        stack.AddPolyK8sMcp();
        stack.AddPolySecretMcp();
        var overlay = stack.AddZerotierK8sLink();
        var publicPeer = "/dnsaddr/bootstrap.libp2p.io/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN";
        stack.AddIpfsOverlay(c => c with
        {
            AnnounceAddresses = ImmutableArray.Create("/ip6/2001:db8:ffff::7/tcp/4001"),
            BootstrapPeers = ImmutableArray.Create(publicPeer),
            GatewayEnabled = true,
            GatewayAddress = "::",
        }).WithOverlay(overlay);
        return stack;
    }
}

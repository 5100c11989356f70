using FlatRacoon.Generated;

namespace Corpus;

internal static class OverlaySettings
{
    public static void Apply(ZerotierK8sLinkResource overlay)
    {
        overlay.WithConfig(c => c with
        {
            Mtu = 2800,
            NetworkId = "0x8056c2e21c000001", // expect: FR0101
        });
    }
}

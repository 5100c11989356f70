using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static partial class NetStack
{
    private static void AddNetwork(StackBuilder stack, PlatformParts platform)
    {
        var overlay = stack.AddZerotierK8sLink(platform.Hosts, platform.Api, platform.Secrets);
        stack.AddIpfsOverlay(overlay, platform.Api, platform.Secrets);
        stack.AddIpv6SiteEnforcer(platform.Hosts, platform.Api);
    }
}

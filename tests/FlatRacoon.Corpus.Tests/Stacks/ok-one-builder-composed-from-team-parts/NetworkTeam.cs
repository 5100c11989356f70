using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetworkTeam
{
    public static void Add(StackBuilder stack, PlatformParts platform)
    {
        var overlay = stack.AddZerotierK8sLink(platform.Hosts, platform.Api, platform.Secrets);
        stack.AddIpfsOverlay(overlay, platform.Api, platform.Secrets);
        stack.AddTwingateHelmDeploy(platform.Api, platform.Secrets);
    }
}

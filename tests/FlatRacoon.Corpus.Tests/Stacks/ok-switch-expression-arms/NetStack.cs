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
        // Each arm is only the tail of a network id; the whole id is made below.
        var siteDigits = env.Name switch
        {
            "production" => "f10003",
            "staging" => "5a0002",
            _ => "de0001",
        };
        var overlay = stack.AddZerotierK8sLink(os, k8s, secrets, c => c with { NetworkId = "f1a7c0de00" + siteDigits });
        // Arms that are parts of a prefix: "::/64" alone is no prefix.
        var subnet = env.Name switch
        {
            "production" => "2001:db8:f1a7:2e00",
            "staging" => "2001:db8:57a6:2e00",
            _ => "fdf1:a7de:0:2e00",
        };
        overlay.WithConfig(c => c with { OverlayPrefix = subnet + "::/64" });
        stack.AddIpfsOverlay(overlay, k8s, secrets);
        return stack;
    }
}

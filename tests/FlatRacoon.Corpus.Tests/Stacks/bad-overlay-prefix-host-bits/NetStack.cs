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
        var overlay = stack.AddZerotierK8sLink(os, k8s, secrets, c => c with
        {
            NetworkId = "f1a7c0de00de0001",
            OverlayPrefix = "fd7a:f1a7:2e00::1/64", // expect: FR0102
        });
        stack.AddIpfsOverlay(overlay, k8s, secrets);
        return stack;
    }
}

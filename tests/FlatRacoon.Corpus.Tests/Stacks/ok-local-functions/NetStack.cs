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
        var overlay = Overlay();
        Storage(overlay);
        return stack;

        IOverlayNetwork Overlay() => stack.AddZerotierK8sLink(os, k8s, secrets);

        void Storage(IOverlayNetwork on)
        {
            var ipfs = stack.AddIpfsOverlay(on, k8s, secrets);
            ipfs.WithConfig(c => c with { Replicas = 2 });
        }
    }
}

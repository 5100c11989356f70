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
        stack.AddZerotierK8sLink(os, k8s, secrets);
        // A manifest known only at run time: the run-time rules apply (bound to a non-overlay).
        stack.AddModule(FlatRacoonModules.IpfsOverlay, IpfsOverlayConfig.Default).BindTo("overlay", secrets); // expect: FR1004
        return stack;
    }
}

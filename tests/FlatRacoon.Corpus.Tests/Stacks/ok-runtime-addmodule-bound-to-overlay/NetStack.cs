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
        // The descriptor as a value (a plugin would load it at run time); bound to the overlay.
        ModuleDescriptor storage = FlatRacoonModules.IpfsOverlay;
        stack.AddModule(storage, IpfsOverlayConfig.Default with { Replicas = 2 }).BindTo("overlay", overlay);
        return stack;
    }
}

using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("netstack", env);
        var os = stack.AddFlatracoonOs();
        var k8s = stack.AddPolyK8sMcp().WithNamespace("cluster-api");
        var secrets = stack.AddPolySecretMcp(k8s).WithConfig(c => c with { VaultMount = "kv" });
        // Fluent calls keep the resource's type: the overlay is still an IOverlayNetwork.
        var overlay = stack.AddZerotierK8sLink(os, k8s, secrets).WithConfig(c => c with { Mtu = 2800 }).WaitFor(os);
        stack.AddIpfsOverlay(overlay, k8s, secrets);
        return stack;
    }
}

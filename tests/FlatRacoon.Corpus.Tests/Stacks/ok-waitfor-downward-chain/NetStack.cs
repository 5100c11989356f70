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
        var ingress = stack.AddIpv6SiteEnforcer(os, k8s);
        var overlay = stack.AddZerotierK8sLink(os, k8s, secrets);
        var access = stack.AddTwingateHelmDeploy(k8s, secrets);
        var ipfs = stack.AddIpfsOverlay(overlay, k8s, secrets);
        // Explicit order on top of what the providers imply, always towards lower layers.
        overlay.WaitFor(ingress);
        access.WaitFor(overlay).WaitFor(ingress);
        ipfs.WaitFor(access);
        secrets.WaitFor(os);
        return stack;
    }
}

using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class CoreStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("core", env);
        var os = stack.AddFlatracoonOs();
        var k8s = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp(k8s);
        var overlay = stack.AddZerotierK8sLink(os, k8s, secrets);
        stack.AddIpfsOverlay(overlay, k8s, secrets, c => c with { Replicas = 3 });
        stack.AddTwingateHelmDeploy(k8s, secrets);
        return stack;
    }
}

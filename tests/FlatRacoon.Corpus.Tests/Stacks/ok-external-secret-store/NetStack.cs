using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("netstack", env);
        // The cluster already runs the company's secret store: no module provides it here.
        var vault = stack.AddExternalSecretStore();
        var os = stack.AddFlatracoonOs();
        var k8s = stack.AddPolyK8sMcp();
        var overlay = stack.AddZerotierK8sLink(os, k8s, vault);
        stack.AddIpfsOverlay(overlay, k8s, vault);
        stack.AddTwingateHelmDeploy(k8s, vault);
        return stack;
    }
}

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
        var secrets = stack.AddPolySecretMcp(kubernetesApi: k8s);
        var overlay = stack.AddZerotierK8sLink(containerHosts: os, kubernetesApi: k8s, secretStore: secrets);
        stack.AddIpfsOverlay(overlay: overlay, kubernetesApi: k8s, secretStore: secrets, configure: c => c with { Replicas = 2 });
        return stack;
    }
}

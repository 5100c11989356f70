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
        // Named arguments, and the overlay is left out.
        stack.AddIpfsOverlay(kubernetesApi: k8s, secretStore: secrets); // expect: CS7036
        return stack;
    }
}

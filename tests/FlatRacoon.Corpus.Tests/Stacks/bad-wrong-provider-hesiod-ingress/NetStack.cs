using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("naming", env);
        var os = stack.AddFlatracoonOs();
        var k8s = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp(k8s);
        var overlay = stack.AddZerotierK8sLink(os, k8s, secrets);
        // Hesiod needs the IPv6 ingress; the overlay is not one.
        stack.AddHesiodDnsMap(overlay, k8s); // expect: CS1503
        return stack;
    }
}

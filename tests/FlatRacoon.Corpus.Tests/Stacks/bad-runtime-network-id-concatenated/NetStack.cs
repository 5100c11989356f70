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
        // The site suffix is the environment's name: not hex, so never a network id.
        var suffix = env.Name.Substring(0, 4);
        var overlay = stack.AddZerotierK8sLink(os, k8s, secrets, c => c with { NetworkId = "f1a7c0de00de" + suffix }); // expect: FR0101
        stack.AddIpfsOverlay(overlay, k8s, secrets);
        return stack;
    }
}

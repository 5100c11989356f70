using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("netstack", env);
        var k8s = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp(k8s);
        // No overlay in this stack: the team binds IPFS to what it has.
        stack.AddIpfsOverlay(secrets, k8s, secrets); // expect: CS1503
        return stack;
    }
}

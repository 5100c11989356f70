using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("edge", env);
        var k8s = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp(k8s);
        // The team's own module gets the same check as the built-in ones.
        stack.AddEdgeRelay(k8s, secrets, c => c with { PartnerNetwork = "f1a7-c0de-00ed-0001" }); // expect: FR0101
        return stack;
    }
}

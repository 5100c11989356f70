using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    private static readonly Ipv6Prefix PartnerRange = "10.99.0.0/16"; // expect: FR0102

    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("edge", env);
        var k8s = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp(k8s);
        stack.AddEdgeRelay(k8s, secrets, c => c with { RelayPrefix = PartnerRange });
        return stack;
    }
}

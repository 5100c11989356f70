using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    private static readonly ZeroTierNetworkId PartnerNetwork = "f1a7c0de00ed0002";

    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("edge", env);
        var k8s = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp(k8s);
        stack.AddEdgeRelay(k8s, secrets, c => c with
        {
            PartnerNetwork = PartnerNetwork,
            RelayPrefix = "fd7a:f1a7:ed00:1::/64",
            PublicName = "relay.partners.flatracoon.internal",
            ListenPort = 4443,
            Partners = 32,
            Region = "eu-west-2",
        });
        return stack;
    }
}

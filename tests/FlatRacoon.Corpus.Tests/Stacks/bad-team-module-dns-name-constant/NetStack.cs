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
        var relay = stack.AddEdgeRelay(k8s, secrets);
        relay.WithConfig(Partners.Configure);
        return stack;
    }
}

internal static class Partners
{
    public static EdgeRelayConfig Configure(EdgeRelayConfig config) => config with
    {
        PublicName = "relay..flatracoon.internal", // expect: FR0104
        Partners = 8,
    };
}

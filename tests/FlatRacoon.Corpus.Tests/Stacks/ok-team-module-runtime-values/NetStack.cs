using System.Globalization;
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
        var index = env.Name.Length % 10;
        relay.WithConfig(c => c with
        {
            PartnerNetwork = "f1a7c0de00ed000" + index.ToString(CultureInfo.InvariantCulture),
            RelayPrefix = $"fd7a:f1a7:ed0{index}::/64",
            PublicName = $"relay.{env.Name}.flatracoon.internal",
            ListenPort = 4000 + index,
            Partners = 1 + index,
        });
        return stack;
    }
}

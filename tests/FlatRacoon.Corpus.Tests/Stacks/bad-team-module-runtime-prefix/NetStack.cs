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
        // The relay range is carved from the site prefix: the /48 keeps its length, "::ed00" makes host bits.
        var site = $"{env.SitePrefix}";
        var range = site.Replace("::/48", "::ed00/48");
        stack.AddEdgeRelay(k8s, secrets, c => c with { RelayPrefix = range }); // expect: FR0102
        return stack;
    }
}

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
        // The environment's own prefixes, passed on unchanged.
        stack.AddIpv6SiteEnforcer(os, k8s, c => c with
        {
            SitePrefix = $"{env.SitePrefix}",
            Nat64Prefix = $"{env.Nat64Prefix}",
        });
        return stack;
    }
}

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
        var ingress = stack.AddIpv6SiteEnforcer(os, k8s, c => c with
        {
            SitePrefix = Addressing.SitePrefix(env),
            Nat64Prefix = Addressing.Nat64,
        });
        stack.AddHesiodDnsMap(ingress, k8s, c => c with { Domain = Addressing.Domain(env) });
        return stack;
    }
}

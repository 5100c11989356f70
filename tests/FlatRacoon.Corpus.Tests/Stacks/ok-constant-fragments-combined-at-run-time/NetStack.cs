using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("naming", env);
        var os = stack.AddFlatracoonOs();
        var k8s = stack.AddPolyK8sMcp();
        var ingress = stack.AddIpv6SiteEnforcer(os, k8s);
        var zone = env.Name == "production" ? Naming.Apex : env.Name + Naming.Suffix;
        stack.AddHesiodDnsMap(ingress, k8s, c => c with { Domain = zone, Rhs = "." + zone });
        return stack;
    }
}

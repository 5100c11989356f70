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
        var edge = stack.AddIpv6SiteEnforcer(os, k8s);
        var bgp = stack.AddBgpBackboneLab(os, k8s);
        edge.WaitFor(bgp);
        bgp.StartsAfter(edge);
        return stack;
    }
}

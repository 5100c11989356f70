using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

/// <summary>Two stacks in one project: the core and the edge.</summary>
internal static class Stacks
{
    public static StackBuilder Core(StackEnvironment env, out PolyK8sMcpResource api)
    {
        var stack = StackBuilder.Create("core", env);
        stack.AddFlatracoonOs();
        api = stack.AddPolyK8sMcp();
        return stack;
    }

    public static StackBuilder Edge(StackEnvironment env)
    {
        Core(env, out var coreApi);
        var edge = StackBuilder.Create("edge", env);
        var os = edge.AddFlatracoonOs();
        var k8s = edge.AddPolyK8sMcp();
        var ipv6 = edge.AddIpv6SiteEnforcer(os, k8s);
        ipv6.WaitFor(coreApi); // expect: FR1007
        return edge;
    }
}

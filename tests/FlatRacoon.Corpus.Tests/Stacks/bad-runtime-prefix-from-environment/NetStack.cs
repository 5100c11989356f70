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
        // The site /48 with a "1" appended: a /481.
        stack.AddIpv6SiteEnforcer(os, k8s, c => c with { SitePrefix = env.SitePrefix + "1" }); // expect: FR0102
        return stack;
    }
}

using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class LabStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("lab", env);
        var os = stack.AddFlatracoonOs();
        var k8s = stack.AddPolyK8sMcp();
        var ingress = stack.AddIpv6SiteEnforcer(os, k8s);
        stack.AddBgpBackboneLab(os, k8s).WaitFor(ingress);
        return stack;
    }
}

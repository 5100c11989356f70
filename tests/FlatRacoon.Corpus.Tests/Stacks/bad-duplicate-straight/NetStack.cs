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
        stack.AddBgpBackboneLab(os, k8s);
        stack.AddBgpBackboneLab(os, k8s); // expect: FR1006
        return stack;
    }
}

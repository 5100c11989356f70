using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("edge", env);
        var k8s = stack.AddPolyK8sMcp();
        stack.AddEdgeRelay(k8s); // expect: CS7036
        return stack;
    }
}

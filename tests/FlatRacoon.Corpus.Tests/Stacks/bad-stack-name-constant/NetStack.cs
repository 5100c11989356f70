using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("FlatRacoon_NetStack", env); // expect: FR0104
        var os = stack.AddFlatracoonOs();
        stack.AddPolyK8sMcp();
        return stack;
    }
}

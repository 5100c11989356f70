using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var name = $"netstack.{env.Name}";
        var stack = StackBuilder.Create(name, env); // expect: FR0104
        stack.AddFlatracoonOs();
        stack.AddPolyK8sMcp();
        return stack;
    }
}

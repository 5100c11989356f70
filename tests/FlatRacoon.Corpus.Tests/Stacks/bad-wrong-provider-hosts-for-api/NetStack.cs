using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("netstack", env);
        var os = stack.AddFlatracoonOs();
        stack.AddPolyK8sMcp();
        stack.AddPolySecretMcp(os); // expect: CS1503
        return stack;
    }
}

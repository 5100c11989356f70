using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("netstack", env);
        var vault = stack.AddExternalSecretStore();
        stack.AddPolyK8sMcp();
        stack.AddTwingateHelmDeploy(vault, vault); // expect: CS1503
        return stack;
    }
}

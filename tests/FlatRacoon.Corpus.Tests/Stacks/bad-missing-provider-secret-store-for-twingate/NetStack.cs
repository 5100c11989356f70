using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

// The provider is forgotten and the configure lambda slides into its place.

internal static class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("access", env);
        var k8s = stack.AddPolyK8sMcp();
        stack.AddTwingateHelmDeploy(k8s, c => c with { Replicas = 2 }); // expect: CS1660
        return stack;
    }
}

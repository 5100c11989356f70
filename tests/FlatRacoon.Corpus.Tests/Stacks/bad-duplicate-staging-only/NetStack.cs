using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("netstack", env);
        var k8s = stack.AddPolyK8sMcp();
        stack.AddPolyObservabilityMcp(k8s);
        if (env.Name == "staging")
        {
            // Staging wanted a second observability instance with a short retention.
            stack.AddPolyObservabilityMcp(k8s, c => c with { Retention = "1d" }); // expect: FR1006
        }
        return stack;
    }
}

using System;
using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("netstack", env);
        var k8s = stack.AddPolyK8sMcp();
        // Orchestration modules, added in order from a table.
        var orchestration = new Func<object>[]
        {
            () => stack.AddFlatracoonOs(),
            () => stack.AddPolySecretMcp(), // expect: CS7036
            () => stack.AddPolyObservabilityMcp(k8s),
        };
        foreach (var add in orchestration)
        {
            add();
        }
        return stack;
    }
}

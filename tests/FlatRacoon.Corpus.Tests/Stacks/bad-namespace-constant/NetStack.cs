using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("netstack", env);
        var k8s = stack.AddPolyK8sMcp();
        k8s.WithNamespace("Cluster Access"); // expect: FR0104
        stack.AddPolySecretMcp(k8s);
        return stack;
    }
}

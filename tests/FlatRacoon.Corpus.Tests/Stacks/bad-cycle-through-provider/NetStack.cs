using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("netstack", env);
        var k8s = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp(k8s);
        // The secret store already depends on the Kubernetes API it was given.
        k8s.WaitFor(secrets); // expect: FR1002
        return stack;
    }
}

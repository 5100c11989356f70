using System.Collections.Generic;
using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("netstack", env);
        var os = stack.AddFlatracoonOs();
        var k8s = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp(k8s);
        var overlay = stack.AddZerotierK8sLink(os, k8s, secrets);
        // Everything the overlay should wait for, collected from the stack: it is in the list too.
        var before = new List<IModuleResource>(stack.Modules);
        foreach (var module in before)
        {
            overlay.WaitFor(module); // expect: FR1002
        }
        return stack;
    }
}

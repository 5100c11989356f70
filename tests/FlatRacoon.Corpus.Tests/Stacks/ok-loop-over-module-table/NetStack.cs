using System;
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
        // Optional modules, switched on from a table.
        var optional = new List<(string Name, bool Enabled, Action Add)>
        {
            ("bgp-lab", env.Name != "production", () => stack.AddBgpBackboneLab(os, k8s)),
            ("remote-access", true, () => stack.AddTwingateHelmDeploy(k8s, secrets)),
            ("observability", true, () => stack.AddPolyObservabilityMcp(k8s)),
        };
        foreach (var (_, enabled, add) in optional)
        {
            if (enabled)
            {
                add();
            }
        }
        return stack;
    }
}

using System;
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
        // A wish computed from the environment, kept inside the schema's range.
        var wanted = env.Name.Length * 3;
        stack.AddIpfsOverlay(overlay, k8s, secrets, c => c with { Replicas = Math.Clamp(wanted, 1, 15) });
        stack.AddTwingateHelmDeploy(k8s, secrets, c => c with { Replicas = Math.Min(wanted, 10) });
        return stack;
    }
}

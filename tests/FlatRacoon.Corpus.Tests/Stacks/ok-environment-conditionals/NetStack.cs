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
        var ipfs = stack.AddIpfsOverlay(overlay, k8s, secrets);

        if (env.Name == "production")
        {
            ipfs.WithConfig(c => c with { Replicas = 5, GatewayEnabled = false });
            stack.AddTwingateHelmDeploy(k8s, secrets, c => c with { Replicas = 2 });
        }
        else if (env.Name == "staging")
        {
            ipfs.WithConfig(c => c with { Replicas = 2 });
        }
        else
        {
            stack.AddBgpBackboneLab(os, k8s);
        }
        return stack;
    }
}

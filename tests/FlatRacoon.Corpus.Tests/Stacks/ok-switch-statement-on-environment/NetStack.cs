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
        switch (env.Name)
        {
            case "production":
                stack.AddTwingateHelmDeploy(k8s, secrets, c => c with { Replicas = 3, Network = "flatracoon" });
                break;
            case "staging":
                stack.AddTwingateHelmDeploy(k8s, secrets, c => c with { Network = "flatracoon-staging" });
                break;
            default:
                stack.AddBgpBackboneLab(os, k8s);
                break;
        }
        return stack;
    }
}

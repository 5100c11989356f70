using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    private static readonly SecretReference TwingateAccess = "vault://secret/netops/twingate#access_token";
    private const string RefreshVariable = "TWINGATE_REFRESH_TOKEN";

    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("access", env);
        var k8s = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp(k8s);
        stack.AddTwingateHelmDeploy(k8s, secrets, c => c with
        {
            AccessToken = TwingateAccess,
            RefreshToken = $"env://{RefreshVariable}",
        });
        var os = stack.AddFlatracoonOs();
        var overlay = stack.AddZerotierK8sLink(os, k8s, secrets, c => c with { ControllerToken = "sops://secrets/zerotier.enc.yaml#api_token" });
        stack.AddIpfsOverlay(overlay, k8s, secrets, c => c with { SwarmKey = $"vault://secret/{env.Name}/ipfs#swarm_key" });
        return stack;
    }
}

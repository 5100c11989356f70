using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("netstack", env);
        var (hosts, api, secrets) = AddPlatform(stack);
        var overlay = AddOverlay(stack, hosts, api, secrets);
        AddStorage(stack, overlay, api, secrets, env);
        return stack;
    }

    private static (IContainerHosts Hosts, IKubernetesApi Api, ISecretStore Secrets) AddPlatform(StackBuilder stack)
    {
        var hosts = stack.AddFlatracoonOs();
        var api = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp(api);
        return (hosts, api, secrets);
    }

    private static IOverlayNetwork AddOverlay(StackBuilder stack, IContainerHosts hosts, IKubernetesApi api, ISecretStore secrets) =>
        stack.AddZerotierK8sLink(hosts, api, secrets);

    private static void AddStorage(StackBuilder stack, IOverlayNetwork overlay, IKubernetesApi api, ISecretStore secrets, StackEnvironment env) =>
        stack.AddIpfsOverlay(overlay, api, secrets, c => c with { Replicas = env.Name == "production" ? 3 : 1 });
}

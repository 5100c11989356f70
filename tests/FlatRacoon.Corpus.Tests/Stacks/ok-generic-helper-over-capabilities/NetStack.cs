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
        Storage.OnOverlay(stack, overlay, new Platform(k8s, secrets));
        return stack;
    }
}

internal readonly record struct Platform(IKubernetesApi Api, ISecretStore Secrets);

internal static class Storage
{
    public static TOverlay OnOverlay<TOverlay>(StackBuilder stack, TOverlay overlay, Platform platform)
        where TOverlay : IOverlayNetwork
    {
        stack.AddIpfsOverlay(overlay, platform.Api, platform.Secrets);
        return overlay;
    }
}

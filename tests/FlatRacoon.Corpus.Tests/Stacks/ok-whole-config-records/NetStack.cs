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
        var overlay = stack.AddZerotierK8sLink(os, k8s, secrets, current => Settings.Overlay(env, current));
        stack.AddIpfsOverlay(overlay, k8s, secrets, _ => Settings.Storage);
        return stack;
    }
}

/// <summary>Whole configurations, built once and handed to the stack.</summary>
internal static class Settings
{
    public static readonly IpfsOverlayConfig Storage = IpfsOverlayConfig.Default with
    {
        Replicas = 2,
        GatewayEnabled = false,
        StorageSize = "250Gi",
    };

    // zerotier-k8s-link requires network_id (no schema default): start from the environment's configuration.
    public static ZerotierK8sLinkConfig Overlay(StackEnvironment env, ZerotierK8sLinkConfig current) => current with
    {
        NetworkId = env.Name == "production" ? "f1a7c0de00f10003" : "f1a7c0de00de0001",
        OverlayPrefix = env.Name == "production" ? "2001:db8:f1a7:2e00::/64" : "fdf1:a7de:0:2e00::/64",
        Mtu = 2800,
    };
}

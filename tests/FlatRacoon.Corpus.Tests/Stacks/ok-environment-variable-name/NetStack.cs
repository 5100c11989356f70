using System;
using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    // The NAME of a variable, not a network id: it is never checked as one.
    private const string NetworkVariable = "ZEROTIER_NETWORK_ID";

    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("netstack", env);
        var os = stack.AddFlatracoonOs();
        var k8s = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp(k8s);
        var overlay = stack.AddZerotierK8sLink(os, k8s, secrets);
        var fromVariable = Environment.GetEnvironmentVariable(NetworkVariable);
        if (!string.IsNullOrEmpty(fromVariable))
        {
            overlay.WithConfig(c => c with { NetworkId = fromVariable });
        }
        var prefix = Environment.GetEnvironmentVariable("OVERLAY_IPV6_PREFIX") ?? "fd7a:f1a7:2e00::/64";
        overlay.WithConfig(c => c with { OverlayPrefix = prefix });
        stack.AddIpfsOverlay(overlay, k8s, secrets);
        return stack;
    }
}

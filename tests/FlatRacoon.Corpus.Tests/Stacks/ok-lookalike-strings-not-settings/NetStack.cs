using System;
using System.Collections.Generic;
using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    // Strings that look like settings' values but never become one.
    private const string RetiredNetwork = "8056c2e21c00000";
    private const string LegacyRange = "10.0.0.0/8";
    private static readonly Dictionary<string, string> Notes = new()
    {
        ["old-lab"] = "zt:8056C2E21C000001 (retired)",
        ["v4"] = "192.0.2.0/24 was the office range",
        ["host"] = "dash_board.internal was renamed",
    };

    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("netstack", env);
        var os = stack.AddFlatracoonOs();
        var k8s = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp(k8s);
        var overlay = stack.AddZerotierK8sLink(os, k8s, secrets);
        var ipfs = stack.AddIpfsOverlay(overlay, k8s, secrets, c => c with { StorageClass = "fast-ssd" });
        if (Environment.GetEnvironmentVariable("EXPLAIN_HISTORY") is not null)
        {
            Console.Error.WriteLine($"not used any more: {RetiredNetwork}, {LegacyRange}, {string.Join("; ", Notes.Values)}");
        }
        ipfs.WithConfig(c => c with { StorageSize = "200Gi" });
        return stack;
    }
}

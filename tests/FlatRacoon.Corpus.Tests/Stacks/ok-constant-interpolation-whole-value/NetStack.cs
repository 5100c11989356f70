using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    private const string Team = "netops";
    private const string Zone = "flatracoon.internal";

    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("observability", env);
        var os = stack.AddFlatracoonOs();
        var k8s = stack.AddPolyK8sMcp();
        var ingress = stack.AddIpv6SiteEnforcer(os, k8s);
        var naming = stack.AddHesiodDnsMap(ingress, k8s);
        var metrics = stack.AddPolyObservabilityMcp(k8s);
        // A constant interpolation is a whole constant, and a valid name.
        stack.AddNetworkDashboard(k8s, metrics, naming, c => c with { Host = $"dashboard.{Team}.{Zone}", Port = 8443 });
        return stack;
    }
}

using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    private static readonly AbsoluteUri LegacyStatus = "http://10.20.0.5:8080/status";

    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("observability", env);
        var os = stack.AddFlatracoonOs();
        var k8s = stack.AddPolyK8sMcp();
        var ingress = stack.AddIpv6SiteEnforcer(os, k8s);
        var naming = stack.AddHesiodDnsMap(ingress, k8s);
        var metrics = stack.AddPolyObservabilityMcp(k8s);
        // A well-formed URL, but to an IPv4 host in an IPv6-only stack.
        stack.AddNetworkDashboard(k8s, metrics, naming, c => c with { StatusEndpoint = LegacyStatus }); // expect: FR1005
        return stack;
    }
}

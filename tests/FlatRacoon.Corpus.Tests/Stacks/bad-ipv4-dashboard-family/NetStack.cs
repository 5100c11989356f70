using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("observability", env);
        var os = stack.AddFlatracoonOs();
        var k8s = stack.AddPolyK8sMcp();
        var ingress = stack.AddIpv6SiteEnforcer(os, k8s);
        var naming = stack.AddHesiodDnsMap(ingress, k8s);
        var metrics = stack.AddPolyObservabilityMcp(k8s);
        stack.AddNetworkDashboard(k8s, metrics, naming, c => c with { IpFamily = NetworkDashboardIpFamily.Ipv4 }); // expect: FR1005
        return stack;
    }
}

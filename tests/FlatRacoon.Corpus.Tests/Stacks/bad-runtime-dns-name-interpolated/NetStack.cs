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
        // The fragments are fine; the whole value has an underscore, known only at run time.
        var team = "net_ops_" + env.Name;
        stack.AddNetworkDashboard(k8s, metrics, naming, c => c with { Host = $"dashboard.{team}.flatracoon.internal" }); // expect: FR0104
        return stack;
    }
}

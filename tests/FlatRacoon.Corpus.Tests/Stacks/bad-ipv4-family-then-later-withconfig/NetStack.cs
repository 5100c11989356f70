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
        var dashboard = stack.AddNetworkDashboard(k8s, metrics, naming, c => c with { IpFamily = NetworkDashboardIpFamily.DualStack });
        Branding.Apply(dashboard);
        return stack;
    }
}

internal static class Branding
{
    // The last call that set the dashboard's configuration: config findings are reported here.
    public static void Apply(NetworkDashboardResource dashboard) => dashboard.WithConfig(c => c with { Title = "Ops" }); // expect: FR1005
}

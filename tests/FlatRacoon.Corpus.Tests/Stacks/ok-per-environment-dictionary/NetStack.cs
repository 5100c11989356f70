using System.Collections.Generic;
using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    private static readonly IReadOnlyDictionary<string, string> DashboardHosts = new Dictionary<string, string>
    {
        ["production"] = "dashboard.flatracoon.internal",
        ["staging"] = "dashboard.staging.flatracoon.internal",
        ["development"] = "dashboard.dev.flatracoon.internal",
    };

    private static readonly IReadOnlyDictionary<string, int> Refresh = new Dictionary<string, int>
    {
        ["production"] = 60,
        ["staging"] = 30,
    };

    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("observability", env);
        var os = stack.AddFlatracoonOs();
        var k8s = stack.AddPolyK8sMcp();
        var ingress = stack.AddIpv6SiteEnforcer(os, k8s);
        var naming = stack.AddHesiodDnsMap(ingress, k8s);
        var metrics = stack.AddPolyObservabilityMcp(k8s);
        stack.AddNetworkDashboard(k8s, metrics, naming, c => c with
        {
            Host = DashboardHosts[env.Name],
            RefreshSeconds = Refresh.TryGetValue(env.Name, out var seconds) ? seconds : 10,
        });
        return stack;
    }
}

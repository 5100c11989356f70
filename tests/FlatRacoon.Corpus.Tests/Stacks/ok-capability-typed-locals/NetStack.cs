using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("observability", env);
        IContainerHosts hosts = stack.AddFlatracoonOs();
        IKubernetesApi api = stack.AddPolyK8sMcp();
        IIpv6Ingress ingress = stack.AddIpv6SiteEnforcer(hosts, api);
        IServiceDiscovery discovery = stack.AddHesiodDnsMap(ingress, api);
        IMetrics metrics = stack.AddPolyObservabilityMcp(api);
        stack.AddNetworkDashboard(api, metrics, discovery);
        return stack;
    }
}

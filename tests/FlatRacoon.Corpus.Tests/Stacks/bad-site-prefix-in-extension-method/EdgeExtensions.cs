using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class EdgeExtensions
{
    public static Ipv6SiteEnforcerResource AddIpv6Edge(this StackBuilder stack, IContainerHosts hosts, IKubernetesApi api) =>
        stack.AddIpv6SiteEnforcer(hosts, api, c => c with
        {
            SitePrefix = "2001:db8:f1a7::/129", // expect: FR0102
            Nat64Prefix = "64:ff9b:1::/96",
        });
}

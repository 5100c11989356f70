// Expected: FR1005 FR1005 FR1005
using System.Collections.Immutable;
using FlatRacoon;
using FlatRacoon.Generated;

namespace Invalid;

public static class Ipv6Stack
{
    public static StackBuilder Create()
    {
        var stack = StackBuilder.Create("invalid-ipv6", Environments.Production.Environment);
        stack.AddFlatracoonOs();
        stack.AddPolyK8sMcp();
        stack.AddIpv6SiteEnforcer(c => c with
        {
            Resolvers = ImmutableArray.Create("192.0.2.53"),     // FR1005: IPv4 resolver
            Nat64Prefix = "2001:db8:f1a7:64::/64",              // FR1005: NAT64 needs a /96
        });
        stack.AddPolyObservabilityMcp();
        stack.AddHesiodDnsMap();
        stack.AddNetworkDashboard(c => c with { IpFamily = NetworkDashboardIpFamily.DualStack }); // FR1005
        return stack;
    }
}

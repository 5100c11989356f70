// Expected: FR0101 FR0102 FR0103 FR0104 FR0105
using System.Collections.Immutable;
using FlatRacoon;
using FlatRacoon.Generated;

namespace Invalid;

public static class LiteralsStack
{
    public static StackBuilder Create()
    {
        var stack = StackBuilder.Create("invalid-literals", Environments.Production.Environment);
        stack.AddFlatracoonOs();
        stack.AddPolyK8sMcp();
        stack.AddPolySecretMcp();
        stack.AddIpv6SiteEnforcer(c => c with { SitePrefix = "2001:db8:f1a7::1/48" });                   // FR0102
        stack.AddBgpBackboneLab(c => c with
        {
            Routers = ImmutableArray.Create(new BgpBackboneLabRouter { Name = "r1", Address = "2001:db8:b9f::1", Asn = 4294967295, RouterId = 1 }), // FR0103
        });
        var overlay = stack.AddZerotierK8sLink(c => c with { NetworkId = "zt-network-1" });              // FR0101
        stack.AddIpfsOverlay().WithOverlay(overlay);
        stack.AddHesiodDnsMap(c => c with { Lhs = "ns" });                                              // FR0105
        stack.AddPolyObservabilityMcp();
        stack.AddNetworkDashboard(c => c with { Host = "-dashboard.flatracoon.internal" });             // FR0104
        return stack;
    }
}

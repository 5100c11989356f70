using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace FlatRacoon.Modules.BgpBackboneLab;

/// <summary>
/// Writes a router's FRR configuration, the alternative to BIRD: the same sessions, the same
/// announcements (blackhole statics plus <c>network</c>), and the policies as route-maps over
/// prefix-lists and community-lists, first match deciding, the rest permitted.
/// </summary>
public static class FrrConfigWriter
{
    /// <summary>Writes <paramref name="router"/>'s configuration.</summary>
    public static string Write(BgpTopology topology, BgpRouter router)
    {
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        var peers = topology.Peers(router.Name);

        Line($"! FRR configuration of router {router.Name} (AS{router.Asn}) in the {BgpTopology.ModuleName} topology.");
        Line("! Rendered by FlatRacoon from the stack; do not edit.");
        Line("frr defaults traditional");
        Line($"hostname {router.Name}");
        Line("log stdout informational");
        Line("!");
        foreach (var (peer, session) in peers)
        {
            Line($"ipv6 route {peer.Address}/128 {BgpTopology.InterfaceName(peer, session)}");
        }
        foreach (var prefix in router.Announce)
        {
            Line($"ipv6 route {prefix} blackhole");
        }
        Line("!");

        var import = topology.ImportPolicies.Where(p => p.AppliesTo(router.Name)).ToList();
        var export = topology.ExportPolicies.Where(p => p.AppliesTo(router.Name)).ToList();
        WriteLists(text, "IMPORT", import);
        WriteLists(text, "EXPORT", export);
        Line("route-map RM-ORIGINATE permit 10");
        var standard = router.Communities.IsDefaultOrEmpty ? new List<string>() : router.Communities.Where(c => !BgpTopology.IsLarge(c)).ToList();
        var large = router.Communities.IsDefaultOrEmpty ? new List<string>() : router.Communities.Where(BgpTopology.IsLarge).ToList();
        if (standard.Count > 0)
        {
            Line($" set community {string.Join(" ", standard)} additive");
        }
        if (large.Count > 0)
        {
            Line($" set large-community {string.Join(" ", large)} additive");
        }
        Line("exit");
        Line("!");
        WriteRouteMap(text, "IMPORT", import);
        WriteRouteMap(text, "EXPORT", export);

        Line($"router bgp {router.Asn.ToString(CultureInfo.InvariantCulture)}");
        Line($" bgp router-id {router.RouterIdQuad}");
        Line(" no bgp default ipv4-unicast");
        Line(" no bgp ebgp-requires-policy");
        Line($" timers bgp {(topology.HoldTime / 3).ToString(CultureInfo.InvariantCulture)} {topology.HoldTime.ToString(CultureInfo.InvariantCulture)}");
        foreach (var (peer, _) in peers)
        {
            Line($" neighbor {peer.Address} remote-as {peer.Asn.ToString(CultureInfo.InvariantCulture)}");
            Line($" neighbor {peer.Address} description {router.Name} to {peer.Name}");
            Line($" neighbor {peer.Address} update-source {router.Address}");
            if (!topology.IsInternal(router, peer))
            {
                Line($" neighbor {peer.Address} ebgp-multihop 2");
            }
            if (topology.Bfd)
            {
                Line($" neighbor {peer.Address} bfd");
            }
        }
        Line(" !");
        Line(" address-family ipv6 unicast");
        foreach (var prefix in router.Announce)
        {
            Line($"  network {prefix} route-map RM-ORIGINATE");
        }
        foreach (var (peer, _) in peers)
        {
            Line($"  neighbor {peer.Address} activate");
            if (topology.IsClient(router, peer))
            {
                Line($"  neighbor {peer.Address} route-reflector-client");
            }
            Line($"  neighbor {peer.Address} next-hop-self");
            Line($"  neighbor {peer.Address} soft-reconfiguration inbound");
            Line($"  neighbor {peer.Address} route-map RM-IMPORT in");
            Line($"  neighbor {peer.Address} route-map RM-EXPORT out");
        }
        Line(" exit-address-family");
        Line("exit");
        Line("!");
        return text.ToString();
    }

    private static string ListName(string kind, string direction, BgpPolicy policy) => $"{kind}-{direction}-{policy.Name}";

    private static void WriteLists(StringBuilder text, string direction, List<BgpPolicy> policies)
    {
        foreach (var policy in policies)
        {
            var seq = 5;
            foreach (var prefix in policy.Prefixes.IsDefault ? Enumerable.Empty<string>() : policy.Prefixes)
            {
                var family = prefix.Contains(':') ? "ipv6" : "ip";
                var max = prefix.Contains(':') ? 128 : 32;
                text.Append($"{family} prefix-list {ListName("PL", direction, policy)} seq {seq} permit {prefix} le {max}\n");
                seq += 5;
            }
            seq = 5;
            foreach (var community in policy.Communities.IsDefault ? Enumerable.Empty<string>() : policy.Communities)
            {
                var large = BgpTopology.IsLarge(community);
                text.Append($"bgp {(large ? "large-community-list" : "community-list")} standard {ListName(large ? "LCL" : "CL", direction, policy)} seq {seq} permit {community}\n");
                seq += 5;
            }
        }
        if (policies.Count > 0)
        {
            text.Append("!\n");
        }
    }

    private static void WriteRouteMap(StringBuilder text, string direction, List<BgpPolicy> policies)
    {
        var seq = 10;
        foreach (var policy in policies)
        {
            var verdict = policy.Action == BgpPolicyAction.Reject ? "deny" : "permit";
            var hasStandard = !policy.Communities.IsDefaultOrEmpty && policy.Communities.Any(c => !BgpTopology.IsLarge(c));
            var hasLarge = !policy.Communities.IsDefaultOrEmpty && policy.Communities.Any(BgpTopology.IsLarge);
            // Route-map matches are ANDed; "any standard OR any large community" needs two entries.
            var communityMatches = new List<string?>();
            if (hasStandard)
            {
                communityMatches.Add($" match community {ListName("CL", direction, policy)}");
            }
            if (hasLarge)
            {
                communityMatches.Add($" match large-community {ListName("LCL", direction, policy)}");
            }
            if (communityMatches.Count == 0)
            {
                communityMatches.Add(null);
            }
            foreach (var communityMatch in communityMatches)
            {
                text.Append($"route-map RM-{direction} {verdict} {seq.ToString(CultureInfo.InvariantCulture)}\n");
                text.Append($" description policy {policy.Name}\n");
                if (!policy.Prefixes.IsDefaultOrEmpty)
                {
                    text.Append($" match ipv6 address prefix-list {ListName("PL", direction, policy)}\n");
                }
                if (communityMatch is not null)
                {
                    text.Append(communityMatch).Append('\n');
                }
                text.Append("exit\n!\n");
                seq += 10;
            }
        }
        text.Append($"route-map RM-{direction} permit 65535\n");
        text.Append(" description accept the rest\n");
        text.Append("exit\n!\n");
    }
}

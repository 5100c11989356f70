using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace FlatRacoon.Modules.BgpBackboneLab;

/// <summary>
/// Writes a router's BIRD 2 configuration. Neighbors are reached over point-to-point links
/// (interface <see cref="BgpTopology.InterfaceName"/>, a /128 device route to the peer's
/// address); announced prefixes come from a static protocol; the import and export filters are
/// the topology's policies in order, the first match deciding, anything else accepted.
/// </summary>
public static class BirdConfigWriter
{
    /// <summary>Name of the static protocol holding the routes to the neighbors' addresses (never exported).</summary>
    public const string LinksProtocol = "peer_links";
    /// <summary>Name of the static protocol holding the announced prefixes.</summary>
    public const string OriginateProtocol = "announced";

    /// <summary>The BIRD protocol name of the session towards <paramref name="peer"/>.</summary>
    public static string ProtocolName(BgpRouter peer) => "peer_" + peer.Name.Replace('-', '_');

    /// <summary>Writes <paramref name="router"/>'s configuration.</summary>
    public static string Write(BgpTopology topology, BgpRouter router)
    {
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');

        Line($"# BIRD 2 configuration of router {router.Name} (AS{router.Asn}) in the {BgpTopology.ModuleName} topology.");
        Line("# Rendered by FlatRacoon from the stack; do not edit.");
        Line($"router id {router.RouterIdQuad};");
        Line("log stderr all;");
        Line();
        Line("protocol device {");
        Line("}");
        Line();
        Line("# Each neighbor's address, reached over the point-to-point link to it.");
        Line($"protocol static {LinksProtocol} {{");
        Line("  ipv6;");
        foreach (var (peer, session) in topology.Peers(router.Name))
        {
            Line($"  route {peer.Address}/128 via \"{BgpTopology.InterfaceName(peer, session)}\";");
        }
        Line("}");
        Line();
        Line("# Prefixes this router originates.");
        Line($"protocol static {OriginateProtocol} {{");
        Line("  ipv6;");
        var tags = router.Communities.IsDefaultOrEmpty ? "" : " { " + string.Concat(router.Communities.Select(c => BgpTopology.IsLarge(c)
            ? $"bgp_large_community.add(({string.Join(", ", BgpTopology.CommunityParts(c))})); "
            : $"bgp_community.add(({string.Join(", ", BgpTopology.CommunityParts(c))})); ")) + "}";
        foreach (var prefix in router.Announce)
        {
            Line($"  route {prefix} unreachable{tags};");
        }
        Line("}");
        Line();
        WriteFilter(text, "bgp_import", "Routes received from neighbors", topology.ImportPolicies.Where(p => p.AppliesTo(router.Name)), exportGuard: false);
        Line();
        WriteFilter(text, "bgp_export", "Routes sent to neighbors", topology.ExportPolicies.Where(p => p.AppliesTo(router.Name)), exportGuard: true);
        Line();
        Line("template bgp backbone {");
        Line($"  local {router.Address} as {router.Asn};");
        Line($"  hold time {topology.HoldTime.ToString(CultureInfo.InvariantCulture)};");
        Line("  connect delay time 1;");
        if (topology.Bfd)
        {
            Line("  bfd on;");
        }
        Line("  ipv6 {");
        Line("    import keep filtered on;");
        Line("    import filter bgp_import;");
        Line("    export filter bgp_export;");
        Line("    next hop self;");
        Line("  };");
        Line("}");
        foreach (var (peer, _) in topology.Peers(router.Name))
        {
            var internalSession = topology.IsInternal(router, peer);
            Line();
            Line($"protocol bgp {ProtocolName(peer)} from backbone {{");
            Line($"  description \"{router.Name} to {peer.Name} ({(internalSession ? "iBGP" : "eBGP")})\";");
            Line($"  neighbor {peer.Address} as {peer.Asn};");
            if (!internalSession)
            {
                // The peer's address sits on its side of the link, one hop away.
                Line("  multihop 2;");
            }
            if (topology.IsClient(router, peer))
            {
                Line("  rr client;");
            }
            Line("}");
        }
        if (topology.Bfd)
        {
            Line();
            Line("protocol bfd {");
            Line("}");
        }
        return text.ToString();
    }

    private static void WriteFilter(StringBuilder text, string name, string what, IEnumerable<BgpPolicy> policies, bool exportGuard)
    {
        text.Append($"# {what}: the policies in order; the first match decides; the rest is accepted.\n");
        text.Append($"filter {name} {{\n");
        if (exportGuard)
        {
            text.Append($"  if proto = \"{LinksProtocol}\" then reject;\n");
        }
        foreach (var policy in policies)
        {
            var conditions = new List<string>();
            if (!policy.Prefixes.IsDefaultOrEmpty)
            {
                conditions.Add($"net ~ [ {string.Join(", ", policy.Prefixes.Select(p => p + "+"))} ]");
            }
            if (!policy.Communities.IsDefaultOrEmpty)
            {
                conditions.Add("(" + string.Join(" || ", policy.Communities.Select(c => BgpTopology.IsLarge(c)
                    ? $"({string.Join(", ", BgpTopology.CommunityParts(c))}) ~ bgp_large_community"
                    : $"({string.Join(", ", BgpTopology.CommunityParts(c))}) ~ bgp_community")) + ")");
            }
            var verdict = policy.Action == BgpPolicyAction.Reject ? "reject" : "accept";
            text.Append($"  # policy {policy.Name}\n");
            text.Append(conditions.Count == 0 ? $"  {verdict};\n" : $"  if {string.Join(" && ", conditions)} then {verdict};\n");
        }
        text.Append("  accept;\n");
        text.Append("}\n");
    }
}

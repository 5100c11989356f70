using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text.Json;

namespace FlatRacoon.Modules.BgpBackboneLab;

/// <summary>What a prefix policy does with the routes it matches.</summary>
public enum BgpPolicyAction
{
    /// <summary>The route passes.</summary>
    Accept,
    /// <summary>The route is dropped.</summary>
    Reject,
}

/// <summary>A BGP router of the lab.</summary>
/// <param name="Name">Router name (namespace, pod and session name).</param>
/// <param name="Asn">Autonomous system number.</param>
/// <param name="RouterId">BGP identifier as a 32-bit number.</param>
/// <param name="Address">The IPv6 address the router peers from.</param>
/// <param name="Announce">Prefixes the router originates.</param>
/// <param name="RouteReflector">Whether it reflects iBGP routes to its iBGP neighbors (its clients).</param>
/// <param name="Communities">Communities (<c>a:b</c>) and large communities (<c>a:b:c</c>) attached to the routes it originates.</param>
public sealed record BgpRouter(string Name, long Asn, long RouterId, string Address, ImmutableArray<string> Announce, bool RouteReflector, ImmutableArray<string> Communities)
{
    /// <summary>The router id as the dotted quad BGP expects.</summary>
    public string RouterIdQuad => string.Join(".", new[] { 24, 16, 8, 0 }.Select(s => ((RouterId >> s) & 0xff).ToString(CultureInfo.InvariantCulture)));
}

/// <summary>A BGP session between two routers; its index in the topology numbers its link.</summary>
public sealed record BgpSession(string From, string To);

/// <summary>
/// A prefix policy: it matches a route when the route's prefix is one of <see cref="Prefixes"/>
/// or longer (any route when empty) and the route carries one of <see cref="Communities"/>
/// (any route when empty). Policies are tried in order; the first match decides; a route no
/// policy matches is accepted.
/// </summary>
/// <param name="Name">Policy name.</param>
/// <param name="Action">What happens to matching routes.</param>
/// <param name="Prefixes">Prefixes it matches, exact or longer.</param>
/// <param name="Communities">Communities it matches (any of them).</param>
/// <param name="Routers">Routers it applies on; every router when empty.</param>
public sealed record BgpPolicy(string Name, BgpPolicyAction Action, ImmutableArray<string> Prefixes, ImmutableArray<string> Communities, ImmutableArray<string> Routers)
{
    /// <summary>Whether the policy applies on <paramref name="router"/>.</summary>
    public bool AppliesTo(string router) => Routers.IsDefaultOrEmpty || Routers.Contains(router);

    /// <summary>Whether it matches a route for <paramref name="prefix"/> carrying <paramref name="communities"/>.</summary>
    public bool Matches(string prefix, IReadOnlyCollection<string> communities) =>
        (Prefixes.IsDefaultOrEmpty || Prefixes.Any(p => BgpTopology.Covers(p, prefix)))
        && (Communities.IsDefaultOrEmpty || Communities.Any(communities.Contains));
}

/// <summary>A topology the lab or the renderers cannot use; the message says why.</summary>
public sealed class BgpTopologyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BgpTopologyException(string message) : base(message) { }
}

/// <summary>
/// The typed topology of bgp-backbone-lab: routers, sessions, import and export policies. Read
/// from the module's configuration with <see cref="FromConfig"/>; the BIRD and FRR writers, the
/// expected-routes table and the live lab all work from it.
/// </summary>
public sealed record BgpTopology(
    ImmutableArray<BgpRouter> Routers,
    ImmutableArray<BgpSession> Sessions,
    ImmutableArray<BgpPolicy> ImportPolicies,
    ImmutableArray<BgpPolicy> ExportPolicies,
    int HoldTime,
    bool Bfd,
    string Daemon)
{
    /// <summary>The module name.</summary>
    public const string ModuleName = "bgp-backbone-lab";

    /// <summary>Reads the topology from the module's configuration and checks that it holds together.</summary>
    public static BgpTopology FromConfig(JsonElement config)
    {
        var routers = ConfigReader.Array(config, "routers").Select(r => new BgpRouter(
            ConfigReader.String(r, "name") ?? throw new BgpTopologyException("A router has no name."),
            ConfigReader.Long(r, "asn") ?? throw new BgpTopologyException("A router has no asn."),
            ConfigReader.Long(r, "router_id") ?? throw new BgpTopologyException("A router has no router_id."),
            ConfigReader.String(r, "address") ?? throw new BgpTopologyException("A router has no address."),
            ConfigReader.Strings(r, "announce").ToImmutableArray(),
            ConfigReader.Bool(r, "route_reflector") ?? false,
            ConfigReader.Strings(r, "communities").ToImmutableArray())).ToImmutableArray();
        var sessions = ConfigReader.Array(config, "neighbors").Select(n => new BgpSession(
            ConfigReader.String(n, "from") ?? throw new BgpTopologyException("A neighbor has no 'from'."),
            ConfigReader.String(n, "to") ?? throw new BgpTopologyException("A neighbor has no 'to'."))).ToImmutableArray();
        ImmutableArray<BgpPolicy> Policies(string key) => ConfigReader.Array(config, key).Select(p => new BgpPolicy(
            ConfigReader.String(p, "name") ?? throw new BgpTopologyException($"A policy of {key} has no name."),
            ConfigReader.String(p, "action") == "reject" ? BgpPolicyAction.Reject : BgpPolicyAction.Accept,
            ConfigReader.Strings(p, "prefixes").ToImmutableArray(),
            ConfigReader.Strings(p, "communities").ToImmutableArray(),
            ConfigReader.Strings(p, "routers").ToImmutableArray())).ToImmutableArray();
        var topology = new BgpTopology(routers, sessions, Policies("import_policies"), Policies("export_policies"),
            (int)(ConfigReader.Long(config, "hold_time") ?? 90), ConfigReader.Bool(config, "bfd") ?? false,
            ConfigReader.String(config, "daemon") ?? "frr");
        topology.Check();
        return topology;
    }

    /// <summary>Throws <see cref="BgpTopologyException"/> when routers, sessions or policies do not fit together.</summary>
    public void Check()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var router in Routers)
        {
            if (!names.Add(router.Name))
            {
                throw new BgpTopologyException($"Router '{router.Name}' is declared twice.");
            }
            if (!IPAddress.TryParse(router.Address, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                throw new BgpTopologyException($"Router '{router.Name}' peers from '{router.Address}', which is not an IPv6 address.");
            }
            foreach (var prefix in router.Announce)
            {
                if (!IPNetwork.TryParse(prefix, out _))
                {
                    throw new BgpTopologyException($"Router '{router.Name}' announces '{prefix}', which is not a prefix.");
                }
            }
        }
        if (Routers.Select(r => r.Address).Distinct(StringComparer.OrdinalIgnoreCase).Count() != Routers.Length)
        {
            throw new BgpTopologyException("Two routers share an address.");
        }
        var pairs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var session in Sessions)
        {
            foreach (var end in new[] { session.From, session.To })
            {
                if (!names.Contains(end))
                {
                    throw new BgpTopologyException($"Neighbor {session.From}-{session.To} names router '{end}', which is not declared.");
                }
            }
            if (session.From == session.To)
            {
                throw new BgpTopologyException($"Router '{session.From}' cannot peer with itself.");
            }
            var key = string.CompareOrdinal(session.From, session.To) < 0 ? $"{session.From} {session.To}" : $"{session.To} {session.From}";
            if (!pairs.Add(key))
            {
                throw new BgpTopologyException($"Routers {session.From} and {session.To} are neighbors twice.");
            }
        }
        foreach (var policy in ImportPolicies.Concat(ExportPolicies))
        {
            foreach (var router in policy.Routers.Where(r => !names.Contains(r)))
            {
                throw new BgpTopologyException($"Policy '{policy.Name}' applies on router '{router}', which is not declared.");
            }
            foreach (var prefix in policy.Prefixes.Where(p => !IPNetwork.TryParse(p, out _)))
            {
                throw new BgpTopologyException($"Policy '{policy.Name}' matches '{prefix}', which is not a prefix.");
            }
        }
    }

    /// <summary>The router named <paramref name="name"/>.</summary>
    public BgpRouter Router(string name) => Routers.First(r => r.Name == name);

    /// <summary>A router's neighbors with the index of the session that joins them, in session order.</summary>
    public IReadOnlyList<(BgpRouter Peer, int Session)> Peers(string router) =>
        Sessions.Select((s, i) => (s, i))
            .Where(x => x.s.From == router || x.s.To == router)
            .Select(x => (Router(x.s.From == router ? x.s.To : x.s.From), x.i))
            .ToList();

    /// <summary>Whether the session between two routers is internal BGP (same ASN).</summary>
    public bool IsInternal(BgpRouter a, BgpRouter b) => a.Asn == b.Asn;

    /// <summary>Whether <paramref name="peer"/> is a route-reflector client of <paramref name="router"/>.</summary>
    public bool IsClient(BgpRouter router, BgpRouter peer) => router.RouteReflector && !peer.RouteReflector && IsInternal(router, peer);

    /// <summary>
    /// The name of the link interface towards <paramref name="peer"/> (session <paramref name="session"/>):
    /// <c>to-&lt;peer&gt;</c>, or <c>nbr&lt;session&gt;</c> when that would pass Linux's 15 characters.
    /// </summary>
    public static string InterfaceName(BgpRouter peer, int session) =>
        peer.Name.Length <= 12 ? "to-" + peer.Name : "nbr" + session.ToString(CultureInfo.InvariantCulture);

    /// <summary>Every prefix some router announces, sorted.</summary>
    public IReadOnlyList<string> AnnouncedPrefixes =>
        Routers.SelectMany(r => r.Announce).Distinct(StringComparer.Ordinal).OrderBy(p => p, StringComparer.Ordinal).ToList();

    /// <summary>Whether <paramref name="outer"/> covers <paramref name="inner"/> (the same prefix or a longer one inside it).</summary>
    public static bool Covers(string outer, string inner)
    {
        if (!IPNetwork.TryParse(outer, out var o) || !IPNetwork.TryParse(inner, out var i))
        {
            return false;
        }
        return o.BaseAddress.AddressFamily == i.BaseAddress.AddressFamily && i.PrefixLength >= o.PrefixLength && o.Contains(i.BaseAddress);
    }

    /// <summary>Splits a community into its numbers (two for a standard one, three for a large one).</summary>
    public static IReadOnlyList<string> CommunityParts(string community) => community.Split(':');

    /// <summary>Whether a community is a large one (<c>a:b:c</c>).</summary>
    public static bool IsLarge(string community) => CommunityParts(community).Count == 3;
}

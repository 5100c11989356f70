using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace FlatRacoon.Modules.BgpBackboneLab;

/// <summary>A prefix a router is expected to hold (accepted) or not (filtered), and why.</summary>
/// <param name="Prefix">The prefix.</param>
/// <param name="Present">True when the router should have a route for it.</param>
/// <param name="Reason">Why, in plain words.</param>
public sealed record ExpectedRoute(string Prefix, bool Present, string Reason);

/// <summary>
/// For every router, every announced prefix of the topology with whether the router should hold
/// it. Derived from the policies by <see cref="Derive"/>, which follows BGP's rules: routes go to
/// every eBGP neighbor; iBGP-learned routes go on only through a route reflector (from a client
/// to every iBGP neighbor, from a non-client to clients only); eBGP refuses a path holding its own
/// ASN; the sender's export policies and the receiver's import policies decide at each hop.
/// </summary>
public sealed class BgpExpectedRoutes
{
    private BgpExpectedRoutes(ImmutableSortedDictionary<string, ImmutableArray<ExpectedRoute>> byRouter) => ByRouter = byRouter;

    /// <summary>Expected routes by router name.</summary>
    public ImmutableSortedDictionary<string, ImmutableArray<ExpectedRoute>> ByRouter { get; }

    private enum Learned { Local, External, FromClient, FromNonClient }

    /// <summary>Derives the table from the topology's announcements and policies.</summary>
    public static BgpExpectedRoutes Derive(BgpTopology topology)
    {
        var prefixes = topology.AnnouncedPrefixes;
        var result = ImmutableSortedDictionary.CreateBuilder<string, ImmutableArray<ExpectedRoute>>(StringComparer.Ordinal);
        var reached = new Dictionary<(string Router, string Prefix), string>();
        var blocked = new Dictionary<(string Router, string Prefix), string>();

        foreach (var origin in topology.Routers)
        {
            var communities = origin.Communities.IsDefault ? new HashSet<string>() : origin.Communities.ToHashSet(StringComparer.Ordinal);
            foreach (var prefix in origin.Announce.Distinct(StringComparer.Ordinal))
            {
                var queue = new Queue<(BgpRouter Router, Learned How, ImmutableList<long> Path, string Via)>();
                var seen = new HashSet<(string, Learned)>();
                queue.Enqueue((origin, Learned.Local, ImmutableList<long>.Empty, origin.Name));
                seen.Add((origin.Name, Learned.Local));
                reached.TryAdd((origin.Name, prefix), "originated here");
                while (queue.Count > 0)
                {
                    var (sender, how, path, via) = queue.Dequeue();
                    foreach (var (peer, _) in topology.Peers(sender.Name))
                    {
                        if (peer.Name == origin.Name)
                        {
                            continue;
                        }
                        var internalSession = topology.IsInternal(sender, peer);
                        if (internalSession && how == Learned.FromNonClient && !topology.IsClient(sender, peer))
                        {
                            Block(peer.Name, prefix, $"{sender.Name} learned it over iBGP and does not reflect it to {peer.Name}");
                            continue;
                        }
                        if (internalSession && how == Learned.FromClient && !sender.RouteReflector)
                        {
                            continue;
                        }
                        var export = Decide(topology.ExportPolicies, sender.Name, prefix, communities);
                        if (export is { Action: BgpPolicyAction.Reject })
                        {
                            Block(peer.Name, prefix, $"export policy '{export.Name}' on {sender.Name} does not send it");
                            continue;
                        }
                        var newPath = internalSession ? path : path.Insert(0, sender.Asn);
                        if (!internalSession && newPath.Contains(peer.Asn))
                        {
                            Block(peer.Name, prefix, $"its AS path already holds AS{peer.Asn}");
                            continue;
                        }
                        var import = Decide(topology.ImportPolicies, peer.Name, prefix, communities);
                        if (import is { Action: BgpPolicyAction.Reject })
                        {
                            Block(peer.Name, prefix, $"import policy '{import.Name}' on {peer.Name} rejects it (from {sender.Name})");
                            continue;
                        }
                        var learned = !internalSession ? Learned.External : topology.IsClient(peer, sender) ? Learned.FromClient : Learned.FromNonClient;
                        reached.TryAdd((peer.Name, prefix), $"from {sender.Name} ({(internalSession ? "iBGP" : "eBGP")}), originated by {origin.Name}");
                        if (seen.Add((peer.Name, learned)))
                        {
                            queue.Enqueue((peer, learned, newPath, sender.Name));
                        }
                    }
                }
            }
        }

        foreach (var router in topology.Routers.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            var routes = prefixes.Select(p => reached.TryGetValue((router.Name, p), out var why)
                    ? new ExpectedRoute(p, true, why)
                    : new ExpectedRoute(p, false, blocked.TryGetValue((router.Name, p), out var reason) ? reason : "no session brings it here"))
                .ToImmutableArray();
            result[router.Name] = routes;
        }
        return new BgpExpectedRoutes(result.ToImmutable());

        void Block(string router, string prefix, string reason) => blocked.TryAdd((router, prefix), reason);
    }

    private static BgpPolicy? Decide(ImmutableArray<BgpPolicy> policies, string router, string prefix, IReadOnlyCollection<string> communities) =>
        policies.FirstOrDefault(p => p.AppliesTo(router) && p.Matches(prefix, communities));

    /// <summary>The table as JSON (routers sorted; prefixes sorted; 2-space indent; LF).</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("routers");
            foreach (var (router, routes) in ByRouter)
            {
                writer.WriteStartArray(router);
                foreach (var route in routes)
                {
                    writer.WriteStartObject();
                    writer.WriteString("prefix", route.Prefix);
                    writer.WriteBoolean("present", route.Present);
                    writer.WriteString("reason", route.Reason);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    /// <summary>Reads a table written by <see cref="ToJson"/> (a reviewed expectation, for example).</summary>
    public static BgpExpectedRoutes FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var result = ImmutableSortedDictionary.CreateBuilder<string, ImmutableArray<ExpectedRoute>>(StringComparer.Ordinal);
        foreach (var router in document.RootElement.GetProperty("routers").EnumerateObject())
        {
            result[router.Name] = router.Value.EnumerateArray().Select(r => new ExpectedRoute(
                r.GetProperty("prefix").GetString()!,
                r.GetProperty("present").GetBoolean(),
                r.TryGetProperty("reason", out var reason) ? reason.GetString() ?? "" : "")).ToImmutableArray();
        }
        return new BgpExpectedRoutes(result.ToImmutable());
    }

    /// <summary>The table as aligned text, one line per router and prefix.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.Append("# Expected routes of the BGP backbone lab, derived from its policies (do not edit).\n");
        foreach (var (router, routes) in ByRouter)
        {
            foreach (var route in routes)
            {
                text.Append($"{router,-12} {route.Prefix,-32} {(route.Present ? "present " : "filtered")} {route.Reason}\n");
            }
        }
        return text.ToString();
    }
}

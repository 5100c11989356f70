using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FlatRacoon.Ipv6SiteEnforcer;

/// <summary>
/// What would bring IPv4 into an IPv6-only site, object by object, as the API returns them: a
/// Service that is not single-stack IPv6 (or names an IPv4 address), a host-network Pod with an
/// IPv4 address, an Ingress with an IPv4 literal. Each finding is one sentence.
/// </summary>
public static partial class Ipv4Findings
{
    [GeneratedRegex(@"^\d{1,3}(\.\d{1,3}){3}$")]
    private static partial Regex DottedQuad();

    /// <summary>Whether <paramref name="text"/> is an IPv4 address written as a dotted quad.</summary>
    public static bool IsIpv4Literal(string? text) =>
        text is not null && DottedQuad().IsMatch(text) && IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetwork;

    /// <summary>The findings of one object of <paramref name="kind"/> (Service, Pod, Ingress).</summary>
    public static IReadOnlyList<string> Of(string kind, JsonObject obj) => kind switch
    {
        "Service" => Service(obj),
        "Pod" => Pod(obj),
        "Ingress" => Ingress(obj),
        _ => Array.Empty<string>(),
    };

    private static string? S(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static IEnumerable<string> Strings(JsonNode? node) => node is JsonArray a ? a.Select(S).Where(s => s is not null).Select(s => s!) : Array.Empty<string>();

    private static IReadOnlyList<string> Service(JsonObject service)
    {
        var spec = service["spec"] as JsonObject ?? new JsonObject();
        var findings = new List<string>();
        if (S(spec["type"]) == "ExternalName")
        {
            if (IsIpv4Literal(S(spec["externalName"])))
            {
                findings.Add($"externalName is the IPv4 address {S(spec["externalName"])}");
            }
            return findings;
        }
        var policy = S(spec["ipFamilyPolicy"]);
        var families = Strings(spec["ipFamilies"]).ToList();
        if (policy != "SingleStack" || families.Count != 1 || families[0] != "IPv6")
        {
            findings.Add($"is not single-stack IPv6 (ipFamilyPolicy {policy ?? "unset"}, ipFamilies [{string.Join(", ", families)}])");
        }
        foreach (var (field, value) in new[] { ("clusterIP", S(spec["clusterIP"])), ("loadBalancerIP", S(spec["loadBalancerIP"])) }
            .Concat(Strings(spec["clusterIPs"]).Where(v => v != S(spec["clusterIP"])).Select(v => ("clusterIPs", (string?)v)))
            .Concat(Strings(spec["externalIPs"]).Select(v => ("externalIPs", (string?)v)))
            .Concat(LoadBalancerIps(service).Select(v => ("status.loadBalancer", (string?)v))))
        {
            if (IsIpv4Literal(value))
            {
                findings.Add($"{field} has the IPv4 address {value}");
            }
        }
        return findings.Distinct(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<string> LoadBalancerIps(JsonObject obj) =>
        (obj["status"]?["loadBalancer"]?["ingress"] as JsonArray ?? new JsonArray()).Select(i => S(i?["ip"])).Where(ip => ip is not null).Select(ip => ip!);

    private static IReadOnlyList<string> Pod(JsonObject pod)
    {
        if (pod["spec"]?["hostNetwork"] is not JsonValue host || !host.TryGetValue<bool>(out var hostNetwork) || !hostNetwork)
        {
            return Array.Empty<string>();
        }
        var status = pod["status"] as JsonObject ?? new JsonObject();
        var addresses = new[] { S(status["podIP"]), S(status["hostIP"]) }
            .Concat((status["podIPs"] as JsonArray ?? new JsonArray()).Select(p => S(p?["ip"])))
            .Concat((status["hostIPs"] as JsonArray ?? new JsonArray()).Select(p => S(p?["ip"])))
            .Where(IsIpv4Literal)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return addresses.Count == 0
            ? Array.Empty<string>()
            : new[] { $"uses the host network, which has the IPv4 address {string.Join(", ", addresses)}" };
    }

    private static IReadOnlyList<string> Ingress(JsonObject ingress)
    {
        var spec = ingress["spec"] as JsonObject ?? new JsonObject();
        var literals = (spec["rules"] as JsonArray ?? new JsonArray()).Select(r => S(r?["host"]))
            .Concat((spec["tls"] as JsonArray ?? new JsonArray()).SelectMany(t => Strings(t?["hosts"])))
            .Concat(LoadBalancerIps(ingress))
            .Where(IsIpv4Literal)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return literals.Count == 0
            ? Array.Empty<string>()
            : new[] { $"names the IPv4 address {string.Join(", ", literals)}" };
    }
}

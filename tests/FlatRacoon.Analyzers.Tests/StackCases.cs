using System;
using System.Collections.Generic;
using System.Linq;

namespace FlatRacoon.Analyzers.Tests;

/// <summary>
/// One stack declaration and the diagnostics it must produce: the rule ID and the exact text the
/// diagnostic spans (<c>snippet</c>, or <c>snippet#2</c> for its second occurrence).
/// </summary>
public sealed record StackCase(string Name, string Body, (string Id, string Snippet)[] Expected, bool RunsAtRuntime = true)
{
    public string Source => StackCases.Wrap(Body);

    public override string ToString() => Name;
}

/// <summary>
/// The shared cases: every one drives both the analyzer (exact spans) and the runtime <c>validate</c>
/// command (the same rule IDs), so build time and run time are checked against each other.
/// </summary>
public static class StackCases
{
    public static string Wrap(string body) => $$"""
        using System.Collections.Immutable;
        using FlatRacoon;
        using FlatRacoon.Generated;

        namespace Cases;

        public static class CaseStack
        {
            public static StackBuilder Create()
            {
        {{body}}
            }
        }
        """;

    private static readonly (string Key, string Line)[] s_full =
    {
        ("create", "var stack = StackBuilder.Create(\"netstack\", Environments.Production.Environment);"),
        ("os", "stack.AddFlatracoonOs();"),
        ("k8s", "stack.AddPolyK8sMcp();"),
        ("secrets", "stack.AddPolySecretMcp();"),
        ("ipv6", "stack.AddIpv6SiteEnforcer();"),
        ("bgp", "stack.AddBgpBackboneLab();"),
        ("overlay", "var overlay = stack.AddZerotierK8sLink();"),
        ("twingate", "stack.AddTwingateHelmDeploy();"),
        ("ipfs", "stack.AddIpfsOverlay().WithOverlay(overlay);"),
        ("hesiod", "stack.AddHesiodDnsMap();"),
        ("observability", "stack.AddPolyObservabilityMcp();"),
        ("dashboard", "stack.AddNetworkDashboard();"),
    };

    /// <summary>The full eleven-module stack with some lines replaced (keys of <see cref="s_full"/>), then <paramref name="extra"/>.</summary>
    public static string Full(string extra = "", params (string Key, string Line)[] replace)
    {
        var lines = s_full.Select(l => replace.FirstOrDefault(r => r.Key == l.Key).Line ?? l.Line).Where(l => l.Length > 0);
        return string.Join("\n", lines.Concat(extra.Length > 0 ? new[] { extra } : Array.Empty<string>()).Concat(new[] { "return stack;" }))
            .Split('\n').Select(l => "        " + l).Aggregate((a, b) => a + "\n" + b);
    }

    private const string Custom = "stack.AddModule(new ModuleDescriptor { Name = \"edge-cache\", Version = \"1.0.0\", Layer = Layer.Platform, Requires = ImmutableArray.Create(\"kubernetes\"), Image = new ImageReference(\"ghcr.io/example/edge-cache\", \"latest\") }, EmptyModuleConfig.Instance);";

    public static IReadOnlyList<StackCase> All { get; } = new[]
    {
        // Valid stacks: silent.
        new StackCase("valid-production", Full(), Array.Empty<(string, string)>()),
        new StackCase("valid-development", Full(replace: ("create", "var stack = StackBuilder.Create(\"netstack\", Environments.Development.Environment);")), Array.Empty<(string, string)>()),
        new StackCase("valid-locals-and-config", Full(
            replace: ("ipfs", "var peers = ImmutableArray.Create(\"/ip6/2001:db8:f1a7:2e00::10/tcp/4001/p2p/QmPeer\");\nvar ipfs = stack.AddIpfsOverlay(c => c with { BootstrapPeers = peers, ListenAddresses = ImmutableArray.Create(\"/ip6/2001:db8:f1a7:2e00::11/tcp/4001\") });\nipfs.WithOverlay(overlay);")),
            Array.Empty<(string, string)>()),

        // FR1001: twingate needs secret-store, nobody provides it.
        new StackCase("FR1001-missing-provider", Full(replace: ("secrets", "")),
            new[]
            {
                ("FR1001", "stack.AddZerotierK8sLink()"),
                ("FR1001", "stack.AddTwingateHelmDeploy()"),
                ("FR1001", "stack.AddIpfsOverlay()"),
            }),
        // FR1002: an explicit wait closes a cycle inside the orchestration layer.
        new StackCase("FR1002-cycle", Full(replace: new[] { ("k8s", "var k8s = stack.AddPolyK8sMcp();"), ("secrets", "var secrets = stack.AddPolySecretMcp();\nk8s.WaitFor(secrets);") }),
            new[] { ("FR1002", "stack.AddPolyK8sMcp()") }),
        // FR1003: the platform layer waits for the orchestration layer.
        new StackCase("FR1003-layering", Full(replace: new[] { ("k8s", "var k8s = stack.AddPolyK8sMcp();"), ("os", ""), ("ipfs", "stack.AddIpfsOverlay().WithOverlay(overlay);\nstack.AddFlatracoonOs().WaitFor(k8s);") }),
            new[] { ("FR1003", "stack.AddFlatracoonOs()") }),
        // FR1004: IPFS without the overlay binding, and an IPFS listen address outside the overlay.
        new StackCase("FR1004-unbound", Full(replace: ("ipfs", "stack.AddIpfsOverlay();")),
            new[] { ("FR1004", "stack.AddIpfsOverlay()") }),
        new StackCase("FR1004-listen-outside", Full(replace: ("ipfs", "stack.AddIpfsOverlay(c => c with { ListenAddresses = ImmutableArray.Create(\"/ip6/2001:db8:ffff::1/tcp/4001\") }).WithOverlay(overlay);")),
            new[] { ("FR1004", "\"/ip6/2001:db8:ffff::1/tcp/4001\"") }),
        // FR1005: an IPv4 literal, a dual-stack family, a NAT64 prefix that is not a /96.
        new StackCase("FR1005-ipv4-literal", Full(replace: ("ipv6", "stack.AddIpv6SiteEnforcer(c => c with { Resolvers = ImmutableArray.Create(\"192.0.2.53\") });")),
            new[] { ("FR1005", "\"192.0.2.53\"") }),
        new StackCase("FR1005-dual-stack", Full(replace: ("dashboard", "stack.AddNetworkDashboard(c => c with { IpFamily = NetworkDashboardIpFamily.DualStack });")),
            new[] { ("FR1005", "NetworkDashboardIpFamily.DualStack") }),
        new StackCase("FR1005-nat64-length", Full(replace: ("ipv6", "var nat64 = \"2001:db8:f1a7:64::/64\";\nstack.AddIpv6SiteEnforcer(c => c with { Nat64Prefix = nat64 });")),
            new[] { ("FR1005", "\"2001:db8:f1a7:64::/64\"") }),
        // FR1006: a module added twice.
        new StackCase("FR1006-duplicate", Full(extra: "stack.AddPolyK8sMcp();"),
            new[] { ("FR1006", "stack.AddPolyK8sMcp()#2") }),
        // FR2001: a plain secret where a reference belongs (the runtime rejects it in SecretReference.Parse already).
        new StackCase("FR2001-plain-secret", Full(replace: ("twingate", "stack.AddTwingateHelmDeploy(c => c with { AccessToken = SecretReference.Parse(\"tg-access-123\") });")),
            new[] { ("FR2001", "\"tg-access-123\"") }, RunsAtRuntime: false),
        // FR2002: a public bootstrap peer and a gateway outside the overlay, in production.
        new StackCase("FR2002-public-bootstrap", Full(replace: ("ipfs", "stack.AddIpfsOverlay(c => c with { BootstrapPeers = ImmutableArray.Create(\"/dnsaddr/bootstrap.libp2p.io/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN\") }).WithOverlay(overlay);")),
            new[] { ("FR2002", "\"/dnsaddr/bootstrap.libp2p.io/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN\"") }),
        new StackCase("FR2002-public-gateway", Full(replace: ("ipfs", "stack.AddIpfsOverlay(c => c with { GatewayEnabled = true, GatewayAddress = \"::\" }).WithOverlay(overlay);")),
            new[] { ("FR2002", "\"::\"") }),
        // FR3001: a module whose image is :latest.
        new StackCase("FR3001-latest", Full(extra: Custom),
            new[] { ("FR3001", "new ImageReference(\"ghcr.io/example/edge-cache\", \"latest\")") }),
        // FR0101-FR0105: malformed literals.
        new StackCase("FR0101-network-id", Full(replace: ("overlay", "var overlay = stack.AddZerotierK8sLink(c => c with { NetworkId = \"F1A7C0DE\" });")),
            new[] { ("FR0101", "\"F1A7C0DE\"") }),
        new StackCase("FR0102-ipv6-prefix", Full(replace: ("ipv6", "stack.AddIpv6SiteEnforcer(c => c with { SitePrefix = \"2001:db8:f1a7::1/48\" });")),
            new[] { ("FR0102", "\"2001:db8:f1a7::1/48\"") }),
        new StackCase("FR0103-asn", Full(replace: ("bgp", "stack.AddBgpBackboneLab(c => c with { Routers = ImmutableArray.Create(new BgpBackboneLabRouter { Name = \"r1\", Address = \"2001:db8:b9f::1\", Asn = 0, RouterId = 1 }) });")),
            new[] { ("FR0103", "Asn = |0") }),
        new StackCase("FR0104-dns-name", Full(replace: ("dashboard", "stack.AddNetworkDashboard(c => c with { Host = \"dash_board.example\" });")),
            new[] { ("FR0104", "\"dash_board.example\"") }),
        new StackCase("FR0105-hesiod", Full(replace: ("hesiod", "stack.AddHesiodDnsMap(c => c with { Lhs = \"ns\" });")),
            new[] { ("FR0105", "\"ns\"") }),
    };

    public static IEnumerable<object[]> Data => All.Select(c => new object[] { c.Name });

    public static StackCase Named(string name) => All.Single(c => c.Name == name);
}

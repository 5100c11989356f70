using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;

namespace FlatRacoon.Modules.Ipv6SiteEnforcer;

/// <summary>
/// NAT64 (tayga) and DNS64 (BIND) configurations of ipv6-site-enforcer. Both use the same /96:
/// DNS64 synthesizes AAAA records inside it, tayga translates what is sent to it.
/// </summary>
public static class Nat64Dns64
{
    /// <summary>tayga's TUN interface.</summary>
    public const string TunDevice = "nat64";
    /// <summary>The IPv4 pool tayga maps IPv6 clients into (private; the gateway masquerades it if needed).</summary>
    public const string DynamicPool = "192.168.255.0/24";
    /// <summary>tayga's own IPv4 address (first of the pool).</summary>
    public const string TaygaIpv4 = "192.168.255.1";

    /// <summary>Throws when <paramref name="prefix"/> is not an IPv6 /96 tayga can use for private IPv4 destinations.</summary>
    public static void CheckPrefix(string prefix)
    {
        if (!IPNetwork.TryParse(prefix, out var network) || network.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || network.PrefixLength != 96)
        {
            throw new InvalidOperationException($"ipv6-site-enforcer: the NAT64 prefix '{prefix}' must be an IPv6 /96.");
        }
        if (network.BaseAddress.Equals(IPAddress.Parse("64:ff9b::")))
        {
            // RFC 6052 forbids private IPv4 behind the well-known prefix, and tayga drops it.
            throw new InvalidOperationException("ipv6-site-enforcer: the well-known prefix 64:ff9b::/96 cannot reach private IPv4 destinations; use a network-specific /96 (for example 64:ff9b:1::/96 or one from the site prefix).");
        }
    }

    /// <summary>tayga.conf.</summary>
    public static string TaygaConf(string nat64Prefix)
    {
        CheckPrefix(nat64Prefix);
        return "# tayga.conf of ipv6-site-enforcer (NAT64). Rendered by FlatRacoon; do not edit.\n"
            + $"tun-device {TunDevice}\n"
            + $"ipv4-addr {TaygaIpv4}\n"
            + "# Network-specific prefix: the same /96 the DNS64 synthesizes into.\n"
            + $"prefix {nat64Prefix}\n"
            + $"dynamic-pool {DynamicPool}\n";
    }

    /// <summary>
    /// The gateway's start script: creates the TUN, routes the /96 and the pool into it, enables
    /// forwarding and runs tayga in the foreground (its PID is the script's).
    /// </summary>
    public static string UpScript(string nat64Prefix)
    {
        CheckPrefix(nat64Prefix);
        return "#!/bin/sh\n"
            + "# Starts the NAT64 gateway (tayga). Rendered by FlatRacoon; do not edit.\n"
            + "set -eu\n"
            + "conf=\"${1:-/etc/nat64/tayga.conf}\"\n"
            + "tayga -c \"$conf\" --mktun\n"
            + $"ip link set {TunDevice} up\n"
            + $"ip route add {DynamicPool} dev {TunDevice}\n"
            + $"ip -6 route add {nat64Prefix} dev {TunDevice}\n"
            + "sysctl -q -w net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1\n"
            + "exec tayga -c \"$conf\" --nodetach\n";
    }

    /// <summary>
    /// named.conf of the DNS64 resolver: recursion and queries only for <paramref name="clients"/>
    /// (the site and cluster prefixes) and ::1 (the probe), never an open resolver; forwards to
    /// <paramref name="resolvers"/>; synthesizes AAAA inside <paramref name="nat64Prefix"/>.
    /// </summary>
    public static string Dns64NamedConf(string nat64Prefix, IReadOnlyList<string> clients, IReadOnlyList<string> resolvers, int port, string directory)
    {
        CheckPrefix(nat64Prefix);
        if (clients.Count == 0)
        {
            throw new InvalidOperationException("ipv6-site-enforcer: DNS64 needs the site or cluster prefix to limit its clients; it is never an open resolver.");
        }
        var p = port.ToString(CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        text.Append("// DNS64 resolver of ipv6-site-enforcer. Rendered by FlatRacoon; do not edit.\n");
        text.Append("// Only the site and cluster prefixes (and ::1, the probe) may ask: not an open resolver.\n");
        text.Append($"acl dns64-clients {{ {string.Concat(clients.Select(c => c + "; "))}::1; }};\n");
        text.Append("options {\n");
        text.Append($"  directory \"{directory}\";\n");
        text.Append("  pid-file none;\n");
        text.Append($"  listen-on port {p} {{ none; }};\n");
        text.Append($"  listen-on-v6 port {p} {{ any; }};\n");
        text.Append("  recursion yes;\n");
        text.Append("  allow-query { dns64-clients; };\n");
        text.Append("  allow-recursion { dns64-clients; };\n");
        text.Append("  allow-query-cache { dns64-clients; };\n");
        text.Append("  allow-transfer { none; };\n");
        text.Append("  forward only;\n");
        text.Append($"  forwarders {{ {string.Concat(resolvers.Select(r => r + "; "))}}};\n");
        text.Append("  // The upstream resolvers validate; synthesized AAAA records cannot be signed anyway.\n");
        text.Append("  dnssec-validation no;\n");
        text.Append($"  dns64 {nat64Prefix} {{\n");
        text.Append("    clients { dns64-clients; };\n");
        text.Append("  };\n");
        text.Append("};\n");
        return text.ToString();
    }
}

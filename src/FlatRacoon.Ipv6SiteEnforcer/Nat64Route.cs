using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;

namespace FlatRacoon.Ipv6SiteEnforcer;

/// <summary>
/// Whether the NAT64 prefix is routed into tayga's TUN device, read from the kernel's IPv6 routing
/// table as <c>/proc/net/ipv6_route</c> shows it (the pod's containers share one network
/// namespace, so the enforcer sees the route the tayga container added): per line the destination
/// (32 hex digits), its prefix length (hex), source, source length, next hop, metric, reference
/// count, use count, flags (hex; RTF_UP is 0x1) and the device name.
/// </summary>
public static class Nat64Route
{
    private const int RtfUp = 0x1;

    /// <summary>Checks <paramref name="routesFile"/> for <paramref name="prefix"/> (an IPv6 /96) through <paramref name="device"/>.</summary>
    public static (bool Up, string Detail) Check(string routesFile, string prefix, string device)
    {
        if (!IPNetwork.TryParse(prefix, out var network) || network.BaseAddress.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return (false, $"the NAT64 prefix '{prefix}' is not an IPv6 prefix");
        }
        string[] lines;
        try
        {
            lines = File.ReadAllLines(routesFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (false, $"cannot read {routesFile}: {e.Message}");
        }
        var destination = Convert.ToHexString(network.BaseAddress.GetAddressBytes()).ToLowerInvariant();
        var length = network.PrefixLength.ToString("x2", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var line in lines)
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 10 || !string.Equals(fields[0], destination, StringComparison.OrdinalIgnoreCase) || !string.Equals(fields[1], length, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var up = int.TryParse(fields[8], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var flags) && (flags & RtfUp) != 0;
            if (fields[9] == device && up)
            {
                return (true, $"{prefix} is routed through {device}");
            }
            return (false, $"{prefix} is routed through {fields[9]}{(up ? "" : " (down)")}, not {device}");
        }
        return (false, $"no route for {prefix} in {routesFile} (is tayga running?)");
    }
}

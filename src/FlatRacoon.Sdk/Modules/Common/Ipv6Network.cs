using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FlatRacoon.Modules;

/// <summary>An IPv6 prefix (address and length), with the arithmetic the overlay needs.</summary>
public readonly record struct Ipv6Network(UInt128 Network, int Length)
{
    /// <summary>Parses <c>2001:db8::/64</c>; host bits are cleared.</summary>
    public static Ipv6Network Parse(string prefix)
    {
        var slash = prefix.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(prefix[..slash], out var address) || address.AddressFamily != AddressFamily.InterNetworkV6
            || !int.TryParse(prefix[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > 128)
        {
            throw new FormatException($"'{prefix}' is not an IPv6 prefix.");
        }
        return new Ipv6Network(ToNumber(address) & Mask(length), length);
    }

    /// <summary>The first address.</summary>
    public IPAddress First => ToAddress(Network);
    /// <summary>The last address.</summary>
    public IPAddress Last => ToAddress(Network | ~Mask(Length));

    /// <summary>Whether <paramref name="address"/> lies inside.</summary>
    public bool Contains(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && (ToNumber(address) & Mask(Length)) == Network;

    /// <summary>Whether <paramref name="other"/> lies entirely inside.</summary>
    public bool Contains(Ipv6Network other) => other.Length >= Length && (other.Network & Mask(Length)) == Network;

    /// <summary>The lower and upper halves (one bit longer).</summary>
    public (Ipv6Network Lower, Ipv6Network Upper) Halves()
    {
        if (Length >= 128)
        {
            throw new InvalidOperationException("A /128 has no halves.");
        }
        return (new Ipv6Network(Network, Length + 1), new Ipv6Network(Network | (UInt128.One << (127 - Length)), Length + 1));
    }

    /// <summary>
    /// The prefixes that together cover every IPv6 address outside this one and nothing inside it:
    /// for each bit of the prefix, the prefix that agrees up to that bit and differs in it. Ordered
    /// from the shortest.
    /// </summary>
    public IReadOnlyList<Ipv6Network> Complement()
    {
        var result = new List<Ipv6Network>(Length);
        for (var i = 0; i < Length; i++)
        {
            var flipped = (Network ^ (UInt128.One << (127 - i))) & Mask(i + 1);
            result.Add(new Ipv6Network(flipped, i + 1));
        }
        return result;
    }

    /// <summary>The prefix as text (<c>2001:db8::/64</c>).</summary>
    public override string ToString() => $"{First}/{Length.ToString(CultureInfo.InvariantCulture)}";

    private static UInt128 Mask(int length) => length == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - length);

    /// <summary>The address as a 128-bit number.</summary>
    public static UInt128 ToNumber(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        UInt128 value = 0;
        foreach (var b in bytes)
        {
            value = (value << 8) | b;
        }
        return value;
    }

    /// <summary>The number as an address.</summary>
    public static IPAddress ToAddress(UInt128 value)
    {
        var bytes = new byte[16];
        for (var i = 15; i >= 0; i--)
        {
            bytes[i] = (byte)(value & 0xff);
            value >>= 8;
        }
        return new IPAddress(bytes);
    }
}

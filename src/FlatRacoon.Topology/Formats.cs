using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FlatRacoon.Topology
{
    /// <summary>
    /// Checks for the literal formats the stack uses. Shared source: the generator validates
    /// configuration exports with it, the analyzers validate C# literals, the SDK validates at run time.
    /// </summary>
    internal static class Formats
    {
        /// <summary>Format names as JSON schemas write them in <c>"format"</c>.</summary>
        public const string ZeroTierNetworkId = "zerotier-network-id";
        /// <summary>An IPv6 prefix in CIDR notation.</summary>
        public const string Ipv6Prefix = "ipv6-prefix";
        /// <summary>An IPv6 address.</summary>
        public const string Ipv6Address = "ipv6-address";
        /// <summary>An IPv4 or IPv6 prefix in CIDR notation.</summary>
        public const string IpPrefix = "ip-prefix";
        /// <summary>A DNS name (dot-separated labels).</summary>
        public const string DnsName = "dns-name";
        /// <summary>A single DNS label.</summary>
        public const string DnsLabel = "dns-label";
        /// <summary>A BGP autonomous system number.</summary>
        public const string Asn = "asn";
        /// <summary>A secret reference URI.</summary>
        public const string SecretRef = "secret-ref";
        /// <summary>A URL.</summary>
        public const string Uri = "uri";

        /// <summary>True when <paramref name="format"/> is one this file knows.</summary>
        public static bool IsKnown(string format) =>
            format == ZeroTierNetworkId || format == Ipv6Prefix || format == Ipv6Address || format == IpPrefix
            || format == DnsName || format == DnsLabel || format == Asn || format == SecretRef || format == Uri;

        /// <summary>Checks <paramref name="value"/> against <paramref name="format"/>; returns null when valid, else why not.</summary>
        public static string? Check(string format, string value)
        {
            switch (format)
            {
                case ZeroTierNetworkId:
                    return IsZeroTierNetworkId(value) ? null : "a ZeroTier network id is 16 lower-case hex digits";
                case Ipv6Prefix:
                    return IsIpv6Prefix(value) ? null : "an IPv6 prefix looks like 2001:db8::/48 (address, '/', length 0-128, no host bits set)";
                case Ipv6Address:
                    return IsIpv6Address(value) ? null : "an IPv6 address looks like 2001:db8::1";
                case IpPrefix:
                    return IsIpPrefix(value) ? null : "an IP prefix looks like 192.0.2.0/24 or 2001:db8::/48";
                case DnsName:
                    return IsDnsName(value) ? null : "a DNS name is dot-separated labels of letters, digits and '-'";
                case DnsLabel:
                    return IsDnsLabel(value) ? null : "a DNS label is 1-63 lower-case letters, digits and '-', not starting or ending with '-'";
                case Asn:
                    return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var asn) && IsAsn(asn) ? null : "an ASN is 1-4294967294";
                case SecretRef:
                    return IsSecretReference(value) ? null : "a secret reference is vault://mount/path#key, sops://file#key, env://NAME or file:///path";
                case Uri:
                    return System.Uri.TryCreate(value, UriKind.Absolute, out _) ? null : "a URL is absolute, like https://host:port/path";
                default:
                    return null;
            }
        }

        /// <summary>16 lower-case hex digits.</summary>
        public static bool IsZeroTierNetworkId(string? value)
        {
            if (value is null || value.Length != 16)
            {
                return false;
            }
            foreach (var c in value)
            {
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>An IPv6 address.</summary>
        public static bool IsIpv6Address(string? value) =>
            value != null && value.IndexOf(':') >= 0 && IPAddress.TryParse(value, out var a) && a.AddressFamily == AddressFamily.InterNetworkV6;

        /// <summary>An IPv6 prefix in CIDR notation with no host bits set.</summary>
        public static bool IsIpv6Prefix(string? value) => TryParsePrefix(value, out var a, out var length) && a!.AddressFamily == AddressFamily.InterNetworkV6 && length <= 128 && HostBitsClear(a, length);

        /// <summary>An IPv4 or IPv6 prefix in CIDR notation with no host bits set.</summary>
        public static bool IsIpPrefix(string? value) =>
            TryParsePrefix(value, out var a, out var length)
            && length <= (a!.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32)
            && HostBitsClear(a, length);

        /// <summary>An IPv4 address or prefix (what an IPv6-only stack must not expose).</summary>
        public static bool IsIpv4AddressOrPrefix(string? value)
        {
            if (value is null)
            {
                return false;
            }
            var slash = value.IndexOf('/');
            var address = slash >= 0 ? value.Substring(0, slash) : value;
            return address.Split('.').Length == 4 && IPAddress.TryParse(address, out var a) && a.AddressFamily == AddressFamily.InterNetwork;
        }

        /// <summary>Length of the prefix in <paramref name="value"/>, or -1.</summary>
        public static int PrefixLength(string? value) => TryParsePrefix(value, out _, out var length) ? length : -1;

        /// <summary>A DNS label: 1-63 lower-case letters, digits, '-', not at either end.</summary>
        public static bool IsDnsLabel(string? value)
        {
            if (string.IsNullOrEmpty(value) || value!.Length > 63 || value[0] == '-' || value[value.Length - 1] == '-')
            {
                return false;
            }
            foreach (var c in value)
            {
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>A DNS name: labels separated by '.', at most 253 characters, an optional final dot.</summary>
        public static bool IsDnsName(string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return false;
            }
            var name = value!.EndsWith(".", StringComparison.Ordinal) ? value.Substring(0, value.Length - 1) : value;
            if (name.Length == 0 || name.Length > 253)
            {
                return false;
            }
            foreach (var label in name.Split('.'))
            {
                if (!IsDnsLabel(label.ToLowerInvariant()))
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>A BGP ASN: 1 to 4294967294 (0 and 4294967295 are reserved).</summary>
        public static bool IsAsn(long value) => value >= 1 && value <= 4294967294L;

        /// <summary>A secret reference URI as <c>SecretReference.Parse</c> accepts it.</summary>
        public static bool IsSecretReference(string? value)
        {
            if (value is null)
            {
                return false;
            }
            var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
            if (schemeEnd <= 0)
            {
                return false;
            }
            var scheme = value.Substring(0, schemeEnd);
            var rest = value.Substring(schemeEnd + 3);
            var hash = rest.IndexOf('#');
            var location = hash >= 0 ? rest.Substring(0, hash) : rest;
            var hasKey = hash >= 0 && hash < rest.Length - 1;
            switch (scheme)
            {
                case "vault": return location.Trim('/').IndexOf('/') > 0 && hasKey;
                case "sops": return location.Length > 0 && hasKey;
                case "env":
                case "file": return location.Length > 0 && hash < 0;
                default: return false;
            }
        }

        private static bool TryParsePrefix(string? value, out IPAddress? address, out int length)
        {
            address = null;
            length = -1;
            if (value is null)
            {
                return false;
            }
            var slash = value.IndexOf('/');
            if (slash <= 0 || slash == value.Length - 1)
            {
                return false;
            }
            var text = value.Substring(0, slash);
            if (text.IndexOf(':') < 0 && text.Split('.').Length != 4)
            {
                return false;
            }
            if (!IPAddress.TryParse(text, out address)
                || !int.TryParse(value.Substring(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out length))
            {
                return false;
            }
            return address.AddressFamily == AddressFamily.InterNetwork || address.AddressFamily == AddressFamily.InterNetworkV6;
        }

        private static bool HostBitsClear(IPAddress address, int length)
        {
            var bytes = address.GetAddressBytes();
            if (length > bytes.Length * 8)
            {
                return false;
            }
            for (var bit = length; bit < bytes.Length * 8; bit++)
            {
                if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0)
                {
                    return false;
                }
            }
            return true;
        }
    }
}

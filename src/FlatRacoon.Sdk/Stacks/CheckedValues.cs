using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using FlatRacoon.Topology;

namespace FlatRacoon;

/// <summary>
/// Marks a type whose values are checked where they are made: the analyzer reports a whole constant
/// that becomes one (the conversion is the check, wherever it sits), and at run time the conversion
/// throws <see cref="StackDeclarationException"/> with the same rule id.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CheckedValueAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    public CheckedValueAttribute(string format, string ruleId)
    {
        Format = format;
        RuleId = ruleId;
    }

    /// <summary>The schema <c>format</c> (see docs/reference/config-schema.md).</summary>
    public string Format { get; }
    /// <summary>The rule reported for a malformed value.</summary>
    public string RuleId { get; }
}

/// <summary>The schema's <c>minimum</c>/<c>maximum</c> of a generated number setting; checked when set (FR0106) and by the analyzer for constants.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class SchemaRangeAttribute : Attribute
{
    /// <summary>Creates the attribute; <see cref="double.NaN"/> for an open end.</summary>
    public SchemaRangeAttribute(double minimum, double maximum)
    {
        Minimum = minimum;
        Maximum = maximum;
    }

    /// <summary>Smallest allowed value, or NaN.</summary>
    public double Minimum { get; }
    /// <summary>Largest allowed value, or NaN.</summary>
    public double Maximum { get; }
}

/// <summary>Helpers the generated configuration records call.</summary>
public static class CheckedValues
{
    /// <summary>The FR0106 error for a number outside its schema's range.</summary>
    public static StackDeclarationException OutOfRange(string module, string setting, double value, double minimum, double maximum)
    {
        var range = (double.IsNaN(minimum), double.IsNaN(maximum)) switch
        {
            (false, false) => $"between {Show(minimum)} and {Show(maximum)}",
            (false, true) => $"at least {Show(minimum)}",
            _ => $"at most {Show(maximum)}",
        };
        return new StackDeclarationException(RuleIds.OutOfRange, $"Setting '{setting}' of '{module}' is {Show(value)}, but the schema wants a value {range}.");
    }

    /// <summary>Returns <paramref name="value"/> when it lies in the schema's range (NaN: an open end), else throws FR0106; generated setters call it.</summary>
    public static int InRange(int value, double minimum, double maximum, string module, string setting) =>
        Outside(value, minimum, maximum) ? throw OutOfRange(module, setting, value, minimum, maximum) : value;

    /// <inheritdoc cref="InRange(int, double, double, string, string)"/>
    public static long InRange(long value, double minimum, double maximum, string module, string setting) =>
        Outside(value, minimum, maximum) ? throw OutOfRange(module, setting, value, minimum, maximum) : value;

    /// <inheritdoc cref="InRange(int, double, double, string, string)"/>
    public static double InRange(double value, double minimum, double maximum, string module, string setting) =>
        Outside(value, minimum, maximum) ? throw OutOfRange(module, setting, value, minimum, maximum) : value;

    /// <summary>Returns <paramref name="value"/> when it is null or lies in the schema's range, else throws FR0106.</summary>
    public static int? InRange(int? value, double minimum, double maximum, string module, string setting) =>
        value is { } v ? InRange(v, minimum, maximum, module, setting) : null;

    /// <inheritdoc cref="InRange(int?, double, double, string, string)"/>
    public static long? InRange(long? value, double minimum, double maximum, string module, string setting) =>
        value is { } v ? InRange(v, minimum, maximum, module, setting) : null;

    /// <inheritdoc cref="InRange(int?, double, double, string, string)"/>
    public static double? InRange(double? value, double minimum, double maximum, string module, string setting) =>
        value is { } v ? InRange(v, minimum, maximum, module, setting) : null;

    // Comparisons with NaN are false: an open end never rejects.
    private static bool Outside(double value, double minimum, double maximum) => value < minimum || value > maximum;

    internal static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    internal static string Require(string? value, string format, string ruleId, string what)
    {
        if (value is null)
        {
            throw new ArgumentNullException(nameof(value), $"A {what} cannot be null.");
        }
        if (Formats.Check(format, value) is { } why)
        {
            throw new StackDeclarationException(ruleId, $"'{value}' is not a valid {what}: {why}.");
        }
        return value;
    }
}

/// <summary>A checked string value: its text, compared ordinally.</summary>
public abstract class CheckedString : IEquatable<CheckedString>
{
    private protected CheckedString(string value) => Value = value;

    /// <summary>The text.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value;
    /// <inheritdoc />
    public bool Equals(CheckedString? other) => other is not null && other.GetType() == GetType() && string.Equals(other.Value, Value, StringComparison.Ordinal);
    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is CheckedString other && Equals(other);
    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>The text (null stays null).</summary>
    [return: NotNullIfNotNull(nameof(value))]
    public static implicit operator string?(CheckedString? value) => value?.Value;
}

/// <summary>A ZeroTier network id: 16 lower-case hex digits (schema format <c>zerotier-network-id</c>, FR0101).</summary>
[CheckedValue(Formats.ZeroTierNetworkId, RuleIds.MalformedZeroTierNetworkId)]
public sealed class ZeroTierNetworkId : CheckedString
{
    private ZeroTierNetworkId(string value) : base(value) { }
    /// <summary>Checks <paramref name="value"/>; throws <see cref="StackDeclarationException"/> (FR0101) when malformed.</summary>
    public static ZeroTierNetworkId Parse(string value) => new(CheckedValues.Require(value, Formats.ZeroTierNetworkId, RuleIds.MalformedZeroTierNetworkId, "ZeroTier network id"));
    /// <summary>Checks and converts (null stays null).</summary>
    [return: NotNullIfNotNull(nameof(value))]
    public static implicit operator ZeroTierNetworkId?(string? value) => value is null ? null : Parse(value);
}

/// <summary>An IPv6 prefix in CIDR notation, no host bits set (schema format <c>ipv6-prefix</c>, FR0102).</summary>
[CheckedValue(Formats.Ipv6Prefix, RuleIds.MalformedIpv6Prefix)]
public sealed class Ipv6Prefix : CheckedString
{
    private Ipv6Prefix(string value) : base(value) { }
    /// <summary>Checks <paramref name="value"/>; throws <see cref="StackDeclarationException"/> (FR0102) when malformed.</summary>
    public static Ipv6Prefix Parse(string value) => new(CheckedValues.Require(value, Formats.Ipv6Prefix, RuleIds.MalformedIpv6Prefix, "IPv6 prefix"));
    /// <summary>Checks and converts (null stays null).</summary>
    [return: NotNullIfNotNull(nameof(value))]
    public static implicit operator Ipv6Prefix?(string? value) => value is null ? null : Parse(value);
}

/// <summary>An IPv4 or IPv6 prefix in CIDR notation (schema format <c>ip-prefix</c>, FR0102).</summary>
[CheckedValue(Formats.IpPrefix, RuleIds.MalformedIpv6Prefix)]
public sealed class IpPrefix : CheckedString
{
    private IpPrefix(string value) : base(value) { }
    /// <summary>Checks <paramref name="value"/>; throws <see cref="StackDeclarationException"/> (FR0102) when malformed.</summary>
    public static IpPrefix Parse(string value) => new(CheckedValues.Require(value, Formats.IpPrefix, RuleIds.MalformedIpv6Prefix, "IP prefix"));
    /// <summary>Checks and converts (null stays null).</summary>
    [return: NotNullIfNotNull(nameof(value))]
    public static implicit operator IpPrefix?(string? value) => value is null ? null : Parse(value);
}

/// <summary>An IPv6 address (schema format <c>ipv6-address</c>, FR0107).</summary>
[CheckedValue(Formats.Ipv6Address, RuleIds.MalformedIpv6Address)]
public sealed class Ipv6Address : CheckedString
{
    private Ipv6Address(string value) : base(value) { }
    /// <summary>Checks <paramref name="value"/>; throws <see cref="StackDeclarationException"/> (FR0107) when malformed.</summary>
    public static Ipv6Address Parse(string value) => new(CheckedValues.Require(value, Formats.Ipv6Address, RuleIds.MalformedIpv6Address, "IPv6 address"));
    /// <summary>Checks and converts (null stays null).</summary>
    [return: NotNullIfNotNull(nameof(value))]
    public static implicit operator Ipv6Address?(string? value) => value is null ? null : Parse(value);
}

/// <summary>A DNS name (schema format <c>dns-name</c>, FR0104).</summary>
[CheckedValue(Formats.DnsName, RuleIds.MalformedDnsName)]
public sealed class DnsName : CheckedString
{
    private DnsName(string value) : base(value) { }
    /// <summary>Checks <paramref name="value"/>; throws <see cref="StackDeclarationException"/> (FR0104) when malformed.</summary>
    public static DnsName Parse(string value) => new(CheckedValues.Require(value, Formats.DnsName, RuleIds.MalformedDnsName, "DNS name"));
    /// <summary>Checks and converts (null stays null).</summary>
    [return: NotNullIfNotNull(nameof(value))]
    public static implicit operator DnsName?(string? value) => value is null ? null : Parse(value);
}

/// <summary>A DNS label (schema format <c>dns-label</c>, FR0104).</summary>
[CheckedValue(Formats.DnsLabel, RuleIds.MalformedDnsName)]
public sealed class DnsLabel : CheckedString
{
    private DnsLabel(string value) : base(value) { }
    /// <summary>Checks <paramref name="value"/>; throws <see cref="StackDeclarationException"/> (FR0104) when malformed.</summary>
    public static DnsLabel Parse(string value) => new(CheckedValues.Require(value, Formats.DnsLabel, RuleIds.MalformedDnsName, "DNS label"));
    /// <summary>Checks and converts (null stays null).</summary>
    [return: NotNullIfNotNull(nameof(value))]
    public static implicit operator DnsLabel?(string? value) => value is null ? null : Parse(value);
}

/// <summary>An absolute URI (schema format <c>uri</c>, FR0108).</summary>
[CheckedValue(Formats.Uri, RuleIds.MalformedUri)]
public sealed class AbsoluteUri : CheckedString
{
    private AbsoluteUri(string value) : base(value) { }
    /// <summary>Checks <paramref name="value"/>; throws <see cref="StackDeclarationException"/> (FR0108) when malformed.</summary>
    public static AbsoluteUri Parse(string value) => new(CheckedValues.Require(value, Formats.Uri, RuleIds.MalformedUri, "absolute URI"));
    /// <summary>Checks and converts (null stays null).</summary>
    [return: NotNullIfNotNull(nameof(value))]
    public static implicit operator AbsoluteUri?(string? value) => value is null ? null : Parse(value);
}

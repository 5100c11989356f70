using System;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace FlatRacoon;

/// <summary>
/// One environment of the stack (development, staging, production), as configs/environments.ncl
/// declares it: network settings plus per-module configuration overrides. Generated from the
/// Nickel export; see docs/concepts/configuration.adoc.
/// </summary>
public sealed class StackEnvironment
{
    private readonly ImmutableSortedDictionary<string, IModuleConfig> _modules;

    /// <summary>Creates an environment.</summary>
    public StackEnvironment(
        string name,
        bool ipv6Only = true,
        string? sitePrefix = null,
        string? clusterPrefix = null,
        bool nat64 = false,
        string? nat64Prefix = null,
        bool dns64 = false,
        IEnumerable<KeyValuePair<string, IModuleConfig>>? modules = null)
    {
        Name = string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("An environment needs a name.", nameof(name)) : name;
        Ipv6Only = ipv6Only;
        SitePrefix = sitePrefix;
        ClusterPrefix = clusterPrefix;
        Nat64 = nat64;
        Nat64Prefix = nat64Prefix;
        Dns64 = dns64;
        _modules = (modules ?? Array.Empty<KeyValuePair<string, IModuleConfig>>())
            .ToImmutableSortedDictionary(StringComparer.Ordinal);
    }

    /// <summary>An environment with no overrides: IPv6-only, no NAT64/DNS64.</summary>
    public static StackEnvironment Default { get; } = new("default");

    /// <summary>Environment name.</summary>
    public string Name { get; }
    /// <summary>Whether every Service and policy is IPv6 single-stack.</summary>
    public bool Ipv6Only { get; }
    /// <summary>The site's IPv6 prefix (for example a /48).</summary>
    public string? SitePrefix { get; }
    /// <summary>The cluster's pod/service IPv6 prefix.</summary>
    public string? ClusterPrefix { get; }
    /// <summary>Whether a NAT64 gateway is deployed.</summary>
    public bool Nat64 { get; }
    /// <summary>The NAT64 /96 prefix.</summary>
    public string? Nat64Prefix { get; }
    /// <summary>Whether a DNS64 resolver is deployed.</summary>
    public bool Dns64 { get; }

    /// <summary>Names of the modules this environment configures.</summary>
    public IEnumerable<string> ConfiguredModules => _modules.Keys;

    /// <summary>The environment's configuration for <paramref name="module"/>, or null.</summary>
    public TConfig? GetConfig<TConfig>(string module) where TConfig : class, IModuleConfig =>
        _modules.TryGetValue(module, out var config) ? config as TConfig : null;

    /// <inheritdoc />
    public override string ToString() => Name;
}

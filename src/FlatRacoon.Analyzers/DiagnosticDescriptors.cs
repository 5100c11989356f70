using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using FlatRacoon.Topology;
using Microsoft.CodeAnalysis;

namespace FlatRacoon.Analyzers
{
    /// <summary>
    /// Every FR rule of the stack program's checks, in one catalog (the help pages, the analyzer's
    /// descriptors); the build-time evaluation reports the whole-stack ones with the same ids and text.
    /// Severities of analyzer diagnostics can be changed in .editorconfig
    /// (<c>dotnet_diagnostic.FR3001.severity = error</c>).
    /// </summary>
    public static class DiagnosticDescriptors
    {
        private const string Literals = "FlatRacoon.Literals";
        private const string Topology = "FlatRacoon.Topology";
        private const string Security = "FlatRacoon.Security";
        private const string Immutability = "FlatRacoon.Immutability";

        /// <summary>FR0101.</summary>
        public static readonly DiagnosticDescriptor MalformedZeroTierNetworkId = Create(RuleIdentifiers.MalformedZeroTierNetworkId, "Malformed ZeroTier network id", Literals, DiagnosticSeverity.Error);
        /// <summary>FR0102.</summary>
        public static readonly DiagnosticDescriptor MalformedIpv6Prefix = Create(RuleIdentifiers.MalformedIpv6Prefix, "Malformed IPv6 prefix", Literals, DiagnosticSeverity.Error);
        /// <summary>FR0103.</summary>
        public static readonly DiagnosticDescriptor MalformedAsn = Create(RuleIdentifiers.MalformedAsn, "Malformed autonomous system number", Literals, DiagnosticSeverity.Error);
        /// <summary>FR0104.</summary>
        public static readonly DiagnosticDescriptor MalformedDnsName = Create(RuleIdentifiers.MalformedDnsName, "Malformed DNS label or name", Literals, DiagnosticSeverity.Error);
        /// <summary>FR0105.</summary>
        public static readonly DiagnosticDescriptor MalformedHesiodDomain = Create(RuleIdentifiers.MalformedHesiodDomain, "Malformed Hesiod LHS or RHS", Literals, DiagnosticSeverity.Error);
        /// <summary>FR0106.</summary>
        public static readonly DiagnosticDescriptor OutOfRange = Create(RuleIds.OutOfRange, "Number outside its schema's range", Literals, DiagnosticSeverity.Error);
        /// <summary>FR0107.</summary>
        public static readonly DiagnosticDescriptor MalformedIpv6Address = Create(RuleIds.MalformedIpv6Address, "Malformed IPv6 address", Literals, DiagnosticSeverity.Error);
        /// <summary>FR0108.</summary>
        public static readonly DiagnosticDescriptor MalformedUri = Create(RuleIds.MalformedUri, "Malformed absolute URI", Literals, DiagnosticSeverity.Error);
        /// <summary>FR1001.</summary>
        public static readonly DiagnosticDescriptor MissingProvider = Create(RuleIdentifiers.MissingProvider, "Required capability has no provider", Topology, DiagnosticSeverity.Error);
        /// <summary>FR1002.</summary>
        public static readonly DiagnosticDescriptor DependencyCycle = Create(RuleIdentifiers.DependencyCycle, "Modules depend on each other in a cycle", Topology, DiagnosticSeverity.Error);
        /// <summary>FR1003.</summary>
        public static readonly DiagnosticDescriptor LayeringViolation = Create(RuleIdentifiers.LayeringViolation, "Dependency goes against the layer order", Topology, DiagnosticSeverity.Error);
        /// <summary>FR1004.</summary>
        public static readonly DiagnosticDescriptor IpfsNotOnOverlay = Create(RuleIdentifiers.IpfsNotOnOverlay, "IPFS swarm not bound to the ZeroTier overlay", Topology, DiagnosticSeverity.Error);
        /// <summary>FR1005.</summary>
        public static readonly DiagnosticDescriptor Ipv4Exposure = Create(RuleIdentifiers.Ipv4Exposure, "IPv4 exposure in an IPv6-only stack", Topology, DiagnosticSeverity.Error);
        /// <summary>FR1006.</summary>
        public static readonly DiagnosticDescriptor DuplicateModule = Create(RuleIdentifiers.DuplicateModule, "Module added twice or exclusive capability provided twice", Topology, DiagnosticSeverity.Error);
        /// <summary>FR2001.</summary>
        public static readonly DiagnosticDescriptor PlainSecret = Create(RuleIdentifiers.PlainSecret, "Secret given as a plain string", Security, DiagnosticSeverity.Error);
        /// <summary>FR2002.</summary>
        public static readonly DiagnosticDescriptor PublicIpfsExposure = Create(RuleIdentifiers.PublicIpfsExposure, "Public IPFS bootstrap peer or gateway in production", Security, DiagnosticSeverity.Error);
        /// <summary>FR3001.</summary>
        public static readonly DiagnosticDescriptor UnpinnedImage = Create(RuleIdentifiers.UnpinnedImage, "Image without a pinned tag or digest", Immutability, DiagnosticSeverity.Warning);

        /// <summary>All of them.</summary>
        public static ImmutableArray<DiagnosticDescriptor> All { get; } = ImmutableArray.Create(
            MalformedZeroTierNetworkId, MalformedIpv6Prefix, MalformedAsn, MalformedDnsName, MalformedHesiodDomain,
            OutOfRange, MalformedIpv6Address, MalformedUri,
            MissingProvider, DependencyCycle, LayeringViolation, IpfsNotOnOverlay, Ipv4Exposure, DuplicateModule,
            PlainSecret, PublicIpfsExposure, UnpinnedImage);

        private static readonly Dictionary<string, DiagnosticDescriptor> s_byId = All.ToDictionary(d => d.Id);

        /// <summary>The descriptor of <paramref name="id"/>, or null.</summary>
        public static DiagnosticDescriptor? ById(string id) => s_byId.TryGetValue(id, out var d) ? d : null;

        private static DiagnosticDescriptor Create(string id, string title, string category, DiagnosticSeverity severity) =>
            new DiagnosticDescriptor(id, title, "{0}", category, severity, isEnabledByDefault: true,
                description: null, helpLinkUri: RuleIdentifiers.HelpLink(id));
    }
}

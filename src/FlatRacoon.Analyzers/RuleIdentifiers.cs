using FlatRacoon.Topology;

namespace FlatRacoon.Analyzers
{
    /// <summary>
    /// The rules' IDs and help links, in one place. The IDs come from the shared rule engine
    /// (<see cref="RuleIds"/>), so the analyzers and the runtime <c>validate</c> command cannot drift
    /// apart; FR0000-FR0013 (input files) are reported by the generator.
    /// </summary>
    public static class RuleIdentifiers
    {
        /// <summary>Where every rule's page lives: docs/rules/&lt;ID&gt;.md.</summary>
        public const string HelpLinkBase = "https://github.com/flatracoon/flatracoon-sdk/blob/main/docs/rules/";

        /// <summary>FR0101: malformed ZeroTier network id.</summary>
        public const string MalformedZeroTierNetworkId = RuleIds.MalformedZeroTierNetworkId;
        /// <summary>FR0102: malformed IPv6 prefix.</summary>
        public const string MalformedIpv6Prefix = RuleIds.MalformedIpv6Prefix;
        /// <summary>FR0103: malformed ASN.</summary>
        public const string MalformedAsn = RuleIds.MalformedAsn;
        /// <summary>FR0104: malformed DNS label or name.</summary>
        public const string MalformedDnsName = RuleIds.MalformedDnsName;
        /// <summary>FR0105: malformed Hesiod LHS/RHS.</summary>
        public const string MalformedHesiodDomain = RuleIds.MalformedHesiodDomain;
        /// <summary>FR1001: missing provider.</summary>
        public const string MissingProvider = RuleIds.MissingProvider;
        /// <summary>FR1002: dependency cycle.</summary>
        public const string DependencyCycle = RuleIds.DependencyCycle;
        /// <summary>FR1003: layering violation.</summary>
        public const string LayeringViolation = RuleIds.LayeringViolation;
        /// <summary>FR1004: IPFS not bound to the overlay.</summary>
        public const string IpfsNotOnOverlay = RuleIds.IpfsNotOnOverlay;
        /// <summary>FR1005: IPv4 exposure in an IPv6-only stack.</summary>
        public const string Ipv4Exposure = RuleIds.Ipv4Exposure;
        /// <summary>FR1006: duplicate module or exclusive capability.</summary>
        public const string DuplicateModule = RuleIds.DuplicateModule;
        /// <summary>FR2001: plain-text secret.</summary>
        public const string PlainSecret = RuleIds.PlainSecret;
        /// <summary>FR2002: public IPFS exposure in production.</summary>
        public const string PublicIpfsExposure = RuleIds.PublicIpfsExposure;
        /// <summary>FR3001: unpinned image.</summary>
        public const string UnpinnedImage = RuleIds.UnpinnedImage;

        /// <summary>The help link of <paramref name="id"/>.</summary>
        public static string HelpLink(string id) => HelpLinkBase + id + ".md";
    }
}

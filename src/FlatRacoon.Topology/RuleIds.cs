namespace FlatRacoon.Topology
{
    /// <summary>
    /// The IDs of the rules: the analyzers' descriptor catalog, the generated checks and the
    /// SDK's rules (validate, build-time evaluation) all report these, so build time and run time use one vocabulary.
    /// FR0xxx input files and literals, FR1xxx topology, FR2xxx security, FR3xxx immutability.
    /// </summary>
    internal static class RuleIds
    {
        /// <summary>A ZeroTier network id that is not 16 lower-case hex digits.</summary>
        public const string MalformedZeroTierNetworkId = "FR0101";
        /// <summary>An IPv6 prefix that does not parse or has host bits set.</summary>
        public const string MalformedIpv6Prefix = "FR0102";
        /// <summary>An ASN outside 1-4294967294.</summary>
        public const string MalformedAsn = "FR0103";
        /// <summary>A DNS label or name that is not one.</summary>
        public const string MalformedDnsName = "FR0104";
        /// <summary>A Hesiod LHS/RHS that is not a dot followed by a DNS name.</summary>
        public const string MalformedHesiodDomain = "FR0105";

        /// <summary>A number setting outside its schema's minimum/maximum.</summary>
        public const string OutOfRange = "FR0106";
        /// <summary>An IPv6 address that does not parse.</summary>
        public const string MalformedIpv6Address = "FR0107";
        /// <summary>A URI setting that is not an absolute URI.</summary>
        public const string MalformedUri = "FR0108";
        /// <summary>A setting the schema requires has no value (neither the environment nor the code gives one).</summary>
        public const string MissingRequiredSetting = "FR0109";

        /// <summary>The stack declaration threw while the build evaluated it.</summary>
        public const string DeclarationFailed = "FR1000";
        /// <summary>A required capability has no provider in the stack.</summary>
        public const string MissingProvider = "FR1001";
        /// <summary>Modules depend on each other in a cycle.</summary>
        public const string DependencyCycle = "FR1002";
        /// <summary>A dependency goes up the layer order.</summary>
        public const string LayeringViolation = "FR1003";
        /// <summary>The IPFS swarm is not bound exclusively to the stack's ZeroTier overlay.</summary>
        public const string IpfsNotOnOverlay = "FR1004";
        /// <summary>IPv4 exposure in an IPv6-only stack.</summary>
        public const string Ipv4Exposure = "FR1005";
        /// <summary>A module added twice, or two providers of an exclusive capability.</summary>
        public const string DuplicateModule = "FR1006";

        /// <summary>A module or provider of another stack builder used in this one.</summary>
        public const string ForeignModule = "FR1007";

        /// <summary>A secret given as a plain string.</summary>
        public const string PlainSecret = "FR2001";
        /// <summary>A public IPFS bootstrap peer or a gateway outside the overlay, in production.</summary>
        public const string PublicIpfsExposure = "FR2002";

        /// <summary>An image without a pinned tag or digest.</summary>
        public const string UnpinnedImage = "FR3001";
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;

namespace FlatRacoon.Topology
{
    /// <summary>
    /// The topology rules, in plain C#: the analyzers run them on a stack read from C# source at
    /// build time, the SDK's <c>validate</c> runs them on the frozen stack at run time. One engine,
    /// so both report the same rule IDs on the same stack.
    /// </summary>
    public static class StackRules
    {
        /// <summary>Capabilities a stack holds at most one provider of, unless each consumer picks one.</summary>
        public static IReadOnlyList<string> ExclusiveCapabilities { get; } = new[]
        {
            "dns64", "ipv6-ingress", "nat64", "overlay-network", "secret-store",
        };

        /// <summary>The capability of the ZeroTier overlay.</summary>
        public const string OverlayCapability = "overlay-network";
        /// <summary>The capability of the IPFS swarm.</summary>
        public const string IpfsCapability = "ipfs-storage";
        /// <summary>The binding role of an overlay network.</summary>
        public const string OverlayRole = "overlay";

        private static readonly string[] s_secretWords = { "password", "passwd", "token", "secret", "private_key", "api_key", "credential" };
        private static readonly string[] s_prefixKeys = { "nat64_prefix", "site_prefix", "ingress_prefix", "overlay_prefix", "cluster_prefix" };
        private static readonly string[] s_dnsNameKeys = { "domain", "host", "server", "filsys.server" };
        private static readonly string[] s_dnsLabelKeys =
        {
            "network", "namespace_prefix", "routers.name", "neighbors.from", "neighbors.to", "node_roles.name",
            "export_policies.name", "import_policies.name",
        };

        /// <summary>Runs every rule; findings in a stable order (topology first, then module by module).</summary>
        public static IReadOnlyList<RuleFinding> Check(StackModel stack)
        {
            var findings = new List<RuleFinding>();
            if (stack.Complete)
            {
                CheckTopology(stack, findings);
            }
            foreach (var module in stack.Modules)
            {
                CheckLiterals(module, findings);
                CheckSecrets(module, findings);
                CheckImage(module, findings);
            }
            CheckIpv4(stack, findings);
            CheckIpfs(stack, findings);
            return findings;
        }

        private static void CheckTopology(StackModel stack, List<RuleFinding> findings)
        {
            var byName = new Dictionary<string, ModuleModel>(StringComparer.Ordinal);
            foreach (var module in stack.Modules)
            {
                if (!byName.ContainsKey(module.Name))
                {
                    byName.Add(module.Name, module);
                }
            }
            ModuleModel? At(string name) => byName.TryGetValue(name, out var m) ? m : null;
            var graph = TopologyGraph.Build(
                stack.Modules.Select(m => m.ToNode()),
                stack.ExternalCapabilities,
                stack.Modules.SelectMany(m => m.ExplicitDependencies.Concat(m.Bindings.Values).Select(d => new KeyValuePair<string, string>(m.Name, d))),
                stack.Catalog);

            // Duplicates: TopologyGraph reports one per extra Add; point each at the later Add call.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var module in stack.Modules)
            {
                if (!seen.Add(module.Name))
                {
                    findings.Add(new RuleFinding(RuleIds.DuplicateModule, module.Name,
                        $"Module '{module.Name}' is added twice; a stack holds each module once.", module.Location));
                }
            }
            foreach (var issue in graph.Issues)
            {
                if (issue.RuleId == RuleIds.DuplicateModule)
                {
                    continue;
                }
                var finding = new RuleFinding(issue.RuleId, issue.Module, issue.Message, At(issue.Module)?.Location);
                if (issue.Capability != null)
                {
                    finding.Properties["capability"] = issue.Capability;
                    finding.Properties["providers"] = string.Join(";", (stack.Catalog ?? Enumerable.Empty<TopologyNode>())
                        .Where(n => n.Provides.Contains(issue.Capability, StringComparer.Ordinal))
                        .Select(n => n.Name).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal));
                }
                findings.Add(finding);
            }

            // Layering: a module may depend only on its own layer or layers below it.
            foreach (var module in byName.Values)
            {
                var rank = Layers.RankOf(module.Layer);
                foreach (var dependency in graph.DependenciesOf(module.Name))
                {
                    var provider = At(dependency);
                    if (provider is null || rank < 0)
                    {
                        continue;
                    }
                    var providerRank = Layers.RankOf(provider.Layer);
                    if (providerRank > rank)
                    {
                        var via = module.Requires.Where(c => provider.Provides.Contains(c, StringComparer.Ordinal)).ToArray();
                        var what = via.Length > 0 ? $"requires '{string.Join("', '", via)}' from" : "depends on";
                        var layering = new RuleFinding(RuleIds.LayeringViolation, module.Name,
                            $"Module '{module.Name}' ({module.Layer} layer) {what} '{provider.Name}' ({provider.Layer} layer), a layer above it; the order is {string.Join(" → ", Layers.Ordered)} and dependencies go down only.",
                            module.Location);
                        layering.Properties["dependency"] = provider.Name;
                        findings.Add(layering);
                    }
                }
            }

            // Exclusive capabilities: two providers and at least one consumer that did not choose.
            foreach (var capability in ExclusiveCapabilities)
            {
                var providers = stack.Modules.Where(m => m.Provides.Contains(capability, StringComparer.Ordinal))
                    .GroupBy(m => m.Name, StringComparer.Ordinal).Select(g => g.First()).ToList();
                if (providers.Count < 2)
                {
                    continue;
                }
                var names = providers.Select(p => p.Name).ToList();
                var undecided = byName.Values.Any(m => m.Requires.Contains(capability, StringComparer.Ordinal)
                    && !m.ExplicitDependencies.Concat(m.Bindings.Values).Any(d => names.Contains(d, StringComparer.Ordinal)));
                if (undecided || !byName.Values.Any(m => m.Requires.Contains(capability, StringComparer.Ordinal)))
                {
                    var second = providers[1];
                    findings.Add(new RuleFinding(RuleIds.DuplicateModule, second.Name,
                        $"Capability '{capability}' is exclusive but both {string.Join(" and ", names.Select(n => $"'{n}'"))} provide it; keep one, or make each consumer choose with WaitFor/BindTo.",
                        second.Location));
                }
            }
        }

        private static void CheckLiterals(ModuleModel module, List<RuleFinding> findings)
        {
            foreach (var setting in module.Settings)
            {
                if (setting.Value is null || setting.IsEnumMember)
                {
                    continue;
                }
                var key = setting.Key;
                var value = setting.Value;
                string? rule = null;
                string? why = null;
                if (key == "network_id" || key.EndsWith(".network_id", StringComparison.Ordinal))
                {
                    (rule, why) = (RuleIds.MalformedZeroTierNetworkId, Formats.Check(Formats.ZeroTierNetworkId, value));
                }
                else if (s_prefixKeys.Contains(Leaf(key), StringComparer.Ordinal))
                {
                    (rule, why) = (RuleIds.MalformedIpv6Prefix, Formats.Check(Formats.Ipv6Prefix, value));
                }
                else if (Leaf(key) == "asn")
                {
                    (rule, why) = (RuleIds.MalformedAsn, Formats.Check(Formats.Asn, value));
                }
                else if (s_dnsNameKeys.Contains(key, StringComparer.Ordinal))
                {
                    (rule, why) = (RuleIds.MalformedDnsName, Formats.Check(Formats.DnsName, value));
                }
                else if (s_dnsLabelKeys.Contains(key, StringComparer.Ordinal))
                {
                    (rule, why) = (RuleIds.MalformedDnsName, Formats.Check(Formats.DnsLabel, value));
                }
                else if (key == "lhs" || key == "rhs")
                {
                    (rule, why) = (RuleIds.MalformedHesiodDomain, IsHesiodDomain(value) ? null
                        : "a Hesiod LHS/RHS is a dot followed by a DNS name, like .ns or .flatracoon.internal");
                }
                if (rule != null && why != null)
                {
                    findings.Add(new RuleFinding(rule, module.Name,
                        $"'{value}' is not a valid {key} of '{module.Name}': {why}.", setting.Location ?? module.Location));
                }
            }
        }

        private static void CheckSecrets(ModuleModel module, List<RuleFinding> findings)
        {
            foreach (var setting in module.Settings)
            {
                if (setting.Value is null || !(setting.IsSecret || LooksSecret(setting.Key)) || Formats.IsSecretReference(setting.Value))
                {
                    continue;
                }
                // Never echo the value: it may be the secret itself.
                var finding = new RuleFinding(RuleIds.PlainSecret, module.Name,
                    $"Setting '{setting.Key}' of '{module.Name}' is given as a plain string; give a secret reference instead (vault://mount/path#key, sops://file#key, env://NAME or file:///path).",
                    setting.Location ?? module.Location);
                finding.Properties["setting"] = setting.Key;
                finding.Properties["placeholder"] = $"vault://secret/flatracoon/{module.Name}#{Leaf(setting.Key)}";
                findings.Add(finding);
            }
        }

        /// <summary>Whether a setting name says it holds a secret.</summary>
        public static bool LooksSecret(string key)
        {
            var leaf = Leaf(key);
            return s_secretWords.Any(w => leaf.IndexOf(w, StringComparison.Ordinal) >= 0);
        }

        /// <summary>Whether an image is pinned: a tag other than <c>latest</c>, or a digest.</summary>
        public static bool IsPinned(string? tag, string? digest) =>
            !string.IsNullOrWhiteSpace(digest) || (!string.IsNullOrWhiteSpace(tag) && !string.Equals(tag, "latest", StringComparison.OrdinalIgnoreCase));

        private static void CheckImage(ModuleModel module, List<RuleFinding> findings)
        {
            if (module.ImageRepository is null || IsPinned(module.ImageTag, module.ImageDigest))
            {
                return;
            }
            findings.Add(new RuleFinding(RuleIds.UnpinnedImage, module.Name,
                $"Image '{module.ImageRepository}' of '{module.Name}' has {(string.IsNullOrWhiteSpace(module.ImageTag) ? "no tag" : "the tag 'latest'")}; pin a version tag or a digest so a render is reproducible.",
                module.ImageLocation ?? module.Location));
        }

        private static void CheckIpv4(StackModel stack, List<RuleFinding> findings)
        {
            if (stack.Ipv6Only != true)
            {
                return;
            }
            if (stack.Nat64Prefix?.Value is { } nat64 && Formats.IsIpv6Prefix(nat64) && Formats.PrefixLength(nat64) != 96)
            {
                findings.Add(new RuleFinding(RuleIds.Ipv4Exposure, "",
                    $"The NAT64 prefix '{nat64}' of stack '{stack.Name}' is a /{Formats.PrefixLength(nat64)}; NAT64 maps the IPv4 space into a /96.",
                    stack.Nat64Prefix.Location ?? stack.EnvironmentLocation));
            }
            foreach (var module in stack.Modules)
            {
                foreach (var setting in module.Settings)
                {
                    if (setting.Value is null)
                    {
                        continue;
                    }
                    var leaf = Leaf(setting.Key);
                    if (leaf == "ip_family" || leaf == "ip_families" || leaf == "ip_family_policy")
                    {
                        var family = Normalize(setting.Value);
                        if (family != "ipv6" && family != "singlestack")
                        {
                            var finding = new RuleFinding(RuleIds.Ipv4Exposure, module.Name,
                                $"'{module.Name}' asks for the IP family '{setting.Value}' in the IPv6-only stack '{stack.Name}'; use IPv6 single-stack.",
                                setting.Location ?? module.Location);
                            finding.Properties["fix"] = "ipv6";
                            findings.Add(finding);
                        }
                        continue;
                    }
                    if (leaf == "nat64_prefix" && Formats.IsIpv6Prefix(setting.Value) && Formats.PrefixLength(setting.Value) != 96)
                    {
                        findings.Add(new RuleFinding(RuleIds.Ipv4Exposure, module.Name,
                            $"The NAT64 prefix '{setting.Value}' of '{module.Name}' is a /{Formats.PrefixLength(setting.Value)}; NAT64 maps the IPv4 space into a /96.",
                            setting.Location ?? module.Location));
                        continue;
                    }
                    if (ContainsIpv4(setting.Value))
                    {
                        findings.Add(new RuleFinding(RuleIds.Ipv4Exposure, module.Name,
                            $"Setting '{setting.Key}' of '{module.Name}' holds the IPv4 address or prefix '{setting.Value}', but stack '{stack.Name}' is IPv6-only; use an IPv6 address (NAT64 reaches IPv4 destinations).",
                            setting.Location ?? module.Location));
                    }
                }
            }
        }

        private static void CheckIpfs(StackModel stack, List<RuleFinding> findings)
        {
            var overlays = stack.Modules.Where(m => m.Provides.Contains(OverlayCapability, StringComparer.Ordinal)).ToList();
            foreach (var ipfs in stack.Modules.Where(m => m.Provides.Contains(IpfsCapability, StringComparer.Ordinal)))
            {
                ModuleModel? overlay = null;
                if (ipfs.Bindings.TryGetValue(OverlayRole, out var bound))
                {
                    overlay = overlays.FirstOrDefault(o => o.Name == bound);
                }
                if (stack.Complete && overlay is null)
                {
                    var finding = new RuleFinding(RuleIds.IpfsNotOnOverlay, ipfs.Name,
                        bound is null
                            ? $"IPFS module '{ipfs.Name}' is not bound to the stack's ZeroTier overlay; its swarm would listen on every interface. Bind it with .WithOverlay(<the overlay module>)."
                            : $"IPFS module '{ipfs.Name}' is bound to '{bound}', which does not provide '{OverlayCapability}'; bind it to the stack's ZeroTier overlay.",
                        ipfs.Location);
                    if (overlays.Count > 0)
                    {
                        finding.Properties["overlay"] = overlays[0].Name;
                    }
                    findings.Add(finding);
                }
                var prefix = (overlay ?? (overlays.Count == 1 ? overlays[0] : null))?.Setting("overlay_prefix")?.Value;
                foreach (var setting in ipfs.Settings.Where(s => s.Value != null && (s.Key == "listen_addresses" || s.Key == "announce_addresses")))
                {
                    var address = MultiaddrHost(setting.Value!);
                    if (address is null || InPrefix(address, prefix) != false)
                    {
                        continue;
                    }
                    findings.Add(new RuleFinding(RuleIds.IpfsNotOnOverlay, ipfs.Name,
                        $"IPFS module '{ipfs.Name}' {(setting.Key == "listen_addresses" ? "listens on" : "announces")} '{setting.Value}', outside the overlay prefix {prefix}; the swarm must stay on the ZeroTier overlay.",
                        setting.Location ?? ipfs.Location));
                }
                if (stack.Production != true)
                {
                    continue;
                }
                foreach (var setting in ipfs.Settings.Where(s => s.Value != null && s.Key == "bootstrap_peers"))
                {
                    var address = MultiaddrHost(setting.Value!);
                    if (address != null && InPrefix(address, prefix) == true)
                    {
                        continue;
                    }
                    findings.Add(new RuleFinding(RuleIds.PublicIpfsExposure, ipfs.Name,
                        $"IPFS module '{ipfs.Name}' bootstraps from '{setting.Value}', a peer outside the overlay, in the production stack '{stack.Name}'; a private swarm bootstraps from overlay peers only.",
                        setting.Location ?? ipfs.Location));
                }
                var gatewayEnabled = ipfs.Setting("gateway_enabled")?.Value;
                var gateway = ipfs.Setting("gateway_address");
                if (gatewayEnabled != "false" && gateway?.Value is { } gatewayAddress && InPrefix(gatewayAddress, prefix) != true)
                {
                    findings.Add(new RuleFinding(RuleIds.PublicIpfsExposure, ipfs.Name,
                        $"The IPFS gateway of '{ipfs.Name}' binds to '{gatewayAddress}', outside the overlay{(prefix is null ? "" : " prefix " + prefix)}, in the production stack '{stack.Name}'; leave gateway_address unset or use an overlay address.",
                        gateway.Location ?? ipfs.Location));
                }
            }
        }

        /// <summary>Whether <paramref name="value"/> carries an IPv4 address: a literal, a prefix, a multiaddr or a URL host.</summary>
        public static bool ContainsIpv4(string value)
        {
            if (Formats.IsIpv4AddressOrPrefix(value))
            {
                return true;
            }
            if (value.StartsWith("/ip4/", StringComparison.Ordinal))
            {
                return true;
            }
            var scheme = value.IndexOf("://", StringComparison.Ordinal);
            if (scheme > 0 && Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.HostNameType == UriHostNameType.IPv4)
            {
                return true;
            }
            return false;
        }

        /// <summary>The address of a multiaddr (<c>/ip6/x/tcp/4001</c>) or of a plain address; DNS multiaddrs give their name.</summary>
        public static string? MultiaddrHost(string value)
        {
            if (!value.StartsWith("/", StringComparison.Ordinal))
            {
                return value;
            }
            var parts = value.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            return parts.Length >= 2 ? parts[1] : null;
        }

        /// <summary>True/false when <paramref name="address"/> is/is not an IPv6 address inside <paramref name="prefix"/>; null when the prefix is unknown.</summary>
        public static bool? InPrefix(string address, string? prefix)
        {
            if (prefix is null || !Formats.IsIpv6Prefix(prefix))
            {
                return null;
            }
            if (!IPAddress.TryParse(address, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }
            var slash = prefix.IndexOf('/');
            var network = IPAddress.Parse(prefix.Substring(0, slash)).GetAddressBytes();
            var length = int.Parse(prefix.Substring(slash + 1), CultureInfo.InvariantCulture);
            var bytes = ip.GetAddressBytes();
            for (var bit = 0; bit < length; bit++)
            {
                var mask = 0x80 >> (bit % 8);
                if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask))
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>A Hesiod LHS/RHS: a dot and a DNS name.</summary>
        public static bool IsHesiodDomain(string value) =>
            value.Length > 1 && value[0] == '.' && Formats.IsDnsName(value.Substring(1));

        private static string Leaf(string key)
        {
            var dot = key.LastIndexOf('.');
            return dot >= 0 ? key.Substring(dot + 1) : key;
        }

        private static string Normalize(string value) =>
            new string(value.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
    }
}

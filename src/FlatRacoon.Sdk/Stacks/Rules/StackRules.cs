using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using FlatRacoon.Topology;

namespace FlatRacoon.Stacks.Rules
{
    /// <summary>
    /// The topology rules, in plain C#, over the frozen <see cref="Stack"/> itself: its modules'
    /// descriptors, bindings, waits and declaring lines, their configuration (as
    /// <see cref="IModuleConfig.WriteJson"/> writes it) and the environment. <c>validate</c>, the
    /// build-time evaluation and the MCP server all report through <see cref="StackValidation.Validate"/>.
    /// </summary>
    internal static class StackRules
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

        private static readonly string[] s_secretWords = { "password", "passwd", "token", "secret", "private_key", "api_key", "credential" };
        private static readonly string[] s_prefixKeys = { "nat64_prefix", "site_prefix", "ingress_prefix", "overlay_prefix", "cluster_prefix" };
        private static readonly string[] s_dnsNameKeys = { "domain", "host", "server", "filsys.server" };
        private static readonly string[] s_dnsLabelKeys =
        {
            "network", "namespace_prefix", "routers.name", "neighbors.from", "neighbors.to", "node_roles.name",
            "export_policies.name", "import_policies.name",
        };

        /// <summary>One configuration value at a schema key path; numbers and booleans as their JSON text.</summary>
        internal readonly record struct Setting(string Key, string Value);

        /// <summary>Runs every rule; findings in a stable order (topology first, then module by module).</summary>
        public static IReadOnlyList<StackFinding> Check(Stack stack)
        {
            var findings = new List<StackFinding>(GraphFindings(stack));
            CheckLayering(stack, findings);
            CheckExclusive(stack, findings);
            var settings = stack.Modules.ToDictionary(m => m, SettingsOf);
            foreach (var module in stack.Modules)
            {
                CheckLiterals(module, settings[module], findings);
                CheckSecrets(module, settings[module], findings);
                CheckImage(module, findings);
            }
            CheckIpv4(stack, settings, findings);
            CheckIpfs(stack, settings, findings);
            return findings;
        }

        /// <summary>
        /// What makes the graph impossible to deploy (missing providers, cycles, duplicates), each at
        /// its declaring line: a duplicate at its later Add call, a cycle at the explicit wait declared
        /// last among its edges (the one that closed it), anything else at the module's Add call.
        /// </summary>
        public static IReadOnlyList<StackFinding> GraphFindings(Stack stack)
        {
            var findings = new List<StackFinding>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var module in stack.Modules)
            {
                if (!seen.Add(module.Name))
                {
                    findings.Add(new StackFinding(RuleIds.DuplicateModule, module.Name,
                        $"Module '{module.Name}' is added twice; a stack holds each module once.", module.DeclaredAt));
                }
            }
            foreach (var issue in stack.Graph.Issues.Where(i => i.RuleId != RuleIds.DuplicateModule))
            {
                var at = issue.RuleId == RuleIds.DependencyCycle ? ClosingWait(stack, issue.Chain) : null;
                findings.Add(new StackFinding(issue.RuleId, issue.Module, issue.Message,
                    at ?? stack.Module(issue.Module)?.DeclaredAt ?? default, issue.Chain, issue.Capability));
            }
            return findings;
        }

        private static SourceLocation? ClosingWait(Stack stack, IReadOnlyList<string> chain)
        {
            WaitDeclaration? closing = null;
            for (var i = 0; i + 1 < chain.Count; i++)
            {
                if (stack.Module(chain[i]) is { } from && from.Waits.TryGetValue(chain[i + 1], out var wait)
                    && (closing is null || wait.Sequence > closing.Value.Sequence))
                {
                    closing = wait;
                }
            }
            return closing is { At.IsKnown: true } found ? found.At : null;
        }

        // A module may depend only on its own layer or layers below it. Reported where the dependency
        // was declared (a provider argument or WaitFor) when known, else at the module's Add call.
        private static void CheckLayering(Stack stack, List<StackFinding> findings)
        {
            foreach (var module in Distinct(stack))
            {
                var layer = module.Descriptor.Layer;
                foreach (var dependency in stack.DependenciesOf(module.Name))
                {
                    if (stack.Module(dependency) is not { } provider || provider.Descriptor.Layer <= layer)
                    {
                        continue;
                    }
                    var via = module.Descriptor.Requires.Where(c => provider.Descriptor.Provides.Contains(c, StringComparer.Ordinal)).ToArray();
                    var what = via.Length > 0 ? $"requires '{string.Join("', '", via)}' from" : "depends on";
                    var at = module.Waits.TryGetValue(dependency, out var wait) && wait.At.IsKnown ? wait.At : module.DeclaredAt;
                    findings.Add(new StackFinding(RuleIds.LayeringViolation, module.Name,
                        $"Module '{module.Name}' ({LayerName(layer)} layer) {what} '{provider.Name}' ({LayerName(provider.Descriptor.Layer)} layer), a layer above it; the order is {string.Join(" → ", Layers.Ordered)} and dependencies go down only.",
                        at, new[] { module.Name, provider.Name }));
                }
            }
        }

        // Exclusive capabilities: two providers and at least one consumer that did not choose.
        private static void CheckExclusive(Stack stack, List<StackFinding> findings)
        {
            var modules = Distinct(stack).ToList();
            foreach (var capability in ExclusiveCapabilities)
            {
                var providers = modules.Where(m => m.Descriptor.Provides.Contains(capability, StringComparer.Ordinal)).ToList();
                if (providers.Count < 2)
                {
                    continue;
                }
                var names = providers.Select(p => p.Name).ToList();
                var consumers = modules.Where(m => m.Descriptor.Requires.Contains(capability, StringComparer.Ordinal)).ToList();
                var undecided = consumers.Any(m => !m.ExplicitDependencies.Concat(m.Bindings.Values).Any(d => names.Contains(d, StringComparer.Ordinal)));
                if (undecided || consumers.Count == 0)
                {
                    var second = providers[1];
                    findings.Add(new StackFinding(RuleIds.DuplicateModule, second.Name,
                        $"Capability '{capability}' is exclusive but both {string.Join(" and ", names.Select(n => $"'{n}'"))} provide it; keep one, or make each consumer choose with WaitFor/BindTo.",
                        second.DeclaredAt, names, capability));
                }
            }
        }

        private static void CheckLiterals(ModuleInstance module, IReadOnlyList<Setting> settings, List<StackFinding> findings)
        {
            foreach (var setting in settings)
            {
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
                    findings.Add(new StackFinding(rule, module.Name,
                        $"'{value}' is not a valid {key} of '{module.Name}': {why}.", ConfiguredAt(module)));
                }
            }
        }

        private static void CheckSecrets(ModuleInstance module, IReadOnlyList<Setting> settings, List<StackFinding> findings)
        {
            foreach (var setting in settings)
            {
                if (!LooksSecret(setting.Key) || Formats.IsSecretReference(setting.Value))
                {
                    continue;
                }
                // Never echo the value: it may be the secret itself.
                findings.Add(new StackFinding(RuleIds.PlainSecret, module.Name,
                    $"Setting '{setting.Key}' of '{module.Name}' is given as a plain string; give a secret reference instead (vault://mount/path#key, sops://file#key, env://NAME or file:///path).",
                    ConfiguredAt(module)));
            }
        }

        private static void CheckImage(ModuleInstance module, List<StackFinding> findings)
        {
            if (module.Descriptor.Image is not { } image || IsPinned(image.Tag, image.Digest))
            {
                return;
            }
            findings.Add(new StackFinding(RuleIds.UnpinnedImage, module.Name,
                $"Image '{image.Repository}' of '{module.Name}' has {(string.IsNullOrWhiteSpace(image.Tag) ? "no tag" : "the tag 'latest'")}; pin a version tag or a digest so a render is reproducible.",
                module.DeclaredAt));
        }

        private static void CheckIpv4(Stack stack, IReadOnlyDictionary<ModuleInstance, IReadOnlyList<Setting>> settings, List<StackFinding> findings)
        {
            if (!stack.Environment.Ipv6Only)
            {
                return;
            }
            if (stack.Environment.Nat64Prefix is { } nat64 && Formats.IsIpv6Prefix(nat64) && Formats.PrefixLength(nat64) != 96)
            {
                findings.Add(new StackFinding(RuleIds.Ipv4Exposure, "",
                    $"The NAT64 prefix '{nat64}' of stack '{stack.Name}' is a /{Formats.PrefixLength(nat64)}; NAT64 maps the IPv4 space into a /96.",
                    stack.DeclaredAt));
            }
            foreach (var module in stack.Modules)
            {
                foreach (var setting in settings[module])
                {
                    var leaf = Leaf(setting.Key);
                    if (leaf == "ip_family" || leaf == "ip_families" || leaf == "ip_family_policy")
                    {
                        var family = Normalize(setting.Value);
                        if (family != "ipv6" && family != "singlestack")
                        {
                            findings.Add(new StackFinding(RuleIds.Ipv4Exposure, module.Name,
                                $"'{module.Name}' asks for the IP family '{setting.Value}' in the IPv6-only stack '{stack.Name}'; use IPv6 single-stack.",
                                ConfiguredAt(module)));
                        }
                        continue;
                    }
                    if (leaf == "nat64_prefix" && Formats.IsIpv6Prefix(setting.Value) && Formats.PrefixLength(setting.Value) != 96)
                    {
                        findings.Add(new StackFinding(RuleIds.Ipv4Exposure, module.Name,
                            $"The NAT64 prefix '{setting.Value}' of '{module.Name}' is a /{Formats.PrefixLength(setting.Value)}; NAT64 maps the IPv4 space into a /96.",
                            ConfiguredAt(module)));
                        continue;
                    }
                    if (ContainsIpv4(setting.Value))
                    {
                        findings.Add(new StackFinding(RuleIds.Ipv4Exposure, module.Name,
                            $"Setting '{setting.Key}' of '{module.Name}' holds the IPv4 address or prefix '{setting.Value}', but stack '{stack.Name}' is IPv6-only; use an IPv6 address (NAT64 reaches IPv4 destinations).",
                            ConfiguredAt(module)));
                    }
                }
            }
        }

        private static void CheckIpfs(Stack stack, IReadOnlyDictionary<ModuleInstance, IReadOnlyList<Setting>> settings, List<StackFinding> findings)
        {
            var overlays = stack.Modules.Where(m => m.Descriptor.Provides.Contains(OverlayCapability, StringComparer.Ordinal)).ToList();
            var production = stack.Environment.Name == "production";
            foreach (var ipfs in stack.Modules.Where(m => m.Descriptor.Provides.Contains(IpfsCapability, StringComparer.Ordinal)))
            {
                ModuleInstance? overlay = null;
                if (ipfs.Bindings.TryGetValue(ModuleInstance.OverlayRole, out var bound))
                {
                    overlay = overlays.FirstOrDefault(o => o.Name == bound);
                }
                if (overlay is null)
                {
                    findings.Add(new StackFinding(RuleIds.IpfsNotOnOverlay, ipfs.Name,
                        bound is null
                            ? $"IPFS module '{ipfs.Name}' is not bound to the stack's ZeroTier overlay; its swarm would listen on every interface. Bind it with .WithOverlay(<the overlay module>)."
                            : $"IPFS module '{ipfs.Name}' is bound to '{bound}', which does not provide '{OverlayCapability}'; bind it to the stack's ZeroTier overlay.",
                        ipfs.DeclaredAt));
                }
                var prefixOf = overlay ?? (overlays.Count == 1 ? overlays[0] : null);
                var prefix = prefixOf is null ? null : First(settings[prefixOf], "overlay_prefix");
                var own = settings[ipfs];
                foreach (var setting in own.Where(s => s.Key == "listen_addresses" || s.Key == "announce_addresses"))
                {
                    var address = MultiaddrHost(setting.Value);
                    if (address is null || InPrefix(address, prefix) != false)
                    {
                        continue;
                    }
                    findings.Add(new StackFinding(RuleIds.IpfsNotOnOverlay, ipfs.Name,
                        $"IPFS module '{ipfs.Name}' {(setting.Key == "listen_addresses" ? "listens on" : "announces")} '{setting.Value}', outside the overlay prefix {prefix}; the swarm must stay on the ZeroTier overlay.",
                        ConfiguredAt(ipfs)));
                }
                if (!production)
                {
                    continue;
                }
                foreach (var setting in own.Where(s => s.Key == "bootstrap_peers"))
                {
                    var address = MultiaddrHost(setting.Value);
                    if (address != null && InPrefix(address, prefix) == true)
                    {
                        continue;
                    }
                    findings.Add(new StackFinding(RuleIds.PublicIpfsExposure, ipfs.Name,
                        $"IPFS module '{ipfs.Name}' bootstraps from '{setting.Value}', a peer outside the overlay, in the production stack '{stack.Name}'; a private swarm bootstraps from overlay peers only.",
                        ConfiguredAt(ipfs)));
                }
                var gatewayEnabled = First(own, "gateway_enabled");
                if (gatewayEnabled != "false" && First(own, "gateway_address") is { } gatewayAddress && InPrefix(gatewayAddress, prefix) != true)
                {
                    findings.Add(new StackFinding(RuleIds.PublicIpfsExposure, ipfs.Name,
                        $"The IPFS gateway of '{ipfs.Name}' binds to '{gatewayAddress}', outside the overlay{(prefix is null ? "" : " prefix " + prefix)}, in the production stack '{stack.Name}'; leave gateway_address unset or use an overlay address.",
                        ConfiguredAt(ipfs)));
                }
            }
        }

        /// <summary>
        /// A module's configuration flattened into key paths (<c>a.b</c>; array items share their
        /// array's key; objects inside arrays continue the path). Nulls are skipped; numbers and
        /// booleans keep their JSON text.
        /// </summary>
        internal static IReadOnlyList<Setting> SettingsOf(ModuleInstance module)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream))
            {
                module.Config.WriteJson(writer);
            }
            var settings = new List<Setting>();
            using var document = JsonDocument.Parse(stream.ToArray());
            Flatten(document.RootElement, "", settings);
            return settings;
        }

        internal static void Flatten(JsonElement node, string prefix, ICollection<Setting> into)
        {
            switch (node.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var member in node.EnumerateObject())
                    {
                        Flatten(member.Value, prefix.Length == 0 ? member.Name : prefix + "." + member.Name, into);
                    }
                    break;
                case JsonValueKind.Array:
                    foreach (var item in node.EnumerateArray())
                    {
                        Flatten(item, prefix, into);
                    }
                    break;
                case JsonValueKind.String:
                    into.Add(new Setting(prefix, node.GetString()!));
                    break;
                case JsonValueKind.Number:
                case JsonValueKind.True:
                case JsonValueKind.False:
                    into.Add(new Setting(prefix, node.GetRawText()));
                    break;
            }
        }

        private static string? First(IReadOnlyList<Setting> settings, string key) =>
            settings.FirstOrDefault(s => s.Key == key) is { Key: not null } found ? found.Value : null;

        private static SourceLocation ConfiguredAt(ModuleInstance module) =>
            module.ConfiguredAt.IsKnown ? module.ConfiguredAt : module.DeclaredAt;

        private static IEnumerable<ModuleInstance> Distinct(Stack stack) =>
            stack.Modules.GroupBy(m => m.Name, StringComparer.Ordinal).Select(g => g.First());

        private static string LayerName(Layer layer) => layer.ToString().ToLowerInvariant();

        /// <summary>Whether a setting name says it holds a secret.</summary>
        public static bool LooksSecret(string key)
        {
            var leaf = Leaf(key);
            return s_secretWords.Any(w => leaf.IndexOf(w, StringComparison.Ordinal) >= 0);
        }

        /// <summary>Whether an image is pinned: a tag other than <c>latest</c>, or a digest.</summary>
        public static bool IsPinned(string? tag, string? digest) =>
            !string.IsNullOrWhiteSpace(digest) || (!string.IsNullOrWhiteSpace(tag) && !string.Equals(tag, "latest", StringComparison.OrdinalIgnoreCase));

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

using System;
using System.Collections.Generic;
using System.Linq;

namespace FlatRacoon.Topology
{
    /// <summary>
    /// A stack as <see cref="StackRules"/> sees it. The analyzers build it from the C# declaration
    /// (IOperation, constant values, manifests and configuration files); the SDK builds it from a
    /// frozen <c>Stack</c>. Locations are opaque tokens the caller turns back into its own positions.
    /// </summary>
    public sealed class StackModel
    {
        /// <summary>Creates a model.</summary>
        public StackModel(string name, IEnumerable<ModuleModel> modules)
        {
            Name = name;
            Modules = modules.ToList();
        }

        /// <summary>Stack name.</summary>
        public string Name { get; }
        /// <summary>Modules in declaration order.</summary>
        public IReadOnlyList<ModuleModel> Modules { get; }
        /// <summary>Whether the stack is IPv6 single-stack; null when unknown (then no IPv4 rule runs).</summary>
        public bool? Ipv6Only { get; set; }
        /// <summary>Whether the stack is a production one (environment <c>production</c>); null when unknown.</summary>
        public bool? Production { get; set; }
        /// <summary>The environment's NAT64 prefix, if any.</summary>
        public SettingValue? Nat64Prefix { get; set; }
        /// <summary>Where the environment is chosen (opaque).</summary>
        public object? EnvironmentLocation { get; set; }
        /// <summary>Capabilities the cluster provides; <see cref="Layers.ExternalCapabilities"/> when null.</summary>
        public IEnumerable<string>? ExternalCapabilities { get; set; }
        /// <summary>Every module known (to name providers of a missing capability).</summary>
        public IEnumerable<TopologyNode>? Catalog { get; set; }
        /// <summary>
        /// Whether the model holds the whole stack. Topology rules (providers, cycles, layering, duplicates,
        /// bindings) only run on a complete stack; value rules always run.
        /// </summary>
        public bool Complete { get; set; } = true;
    }

    /// <summary>A module of a <see cref="StackModel"/>.</summary>
    public sealed class ModuleModel
    {
        /// <summary>Creates a module.</summary>
        public ModuleModel(string name, string layer, IEnumerable<string> requires, IEnumerable<string> provides)
        {
            Name = name;
            Layer = layer;
            Requires = requires.ToArray();
            Provides = provides.ToArray();
        }

        /// <summary>Module name.</summary>
        public string Name { get; }
        /// <summary>Layer name (see <see cref="Layers"/>).</summary>
        public string Layer { get; }
        /// <summary>Required capabilities.</summary>
        public IReadOnlyList<string> Requires { get; }
        /// <summary>Provided capabilities.</summary>
        public IReadOnlyList<string> Provides { get; }
        /// <summary>Where the module is added (opaque).</summary>
        public object? Location { get; set; }
        /// <summary>Modules this one is bound to, by role (<c>overlay</c>).</summary>
        public IDictionary<string, string> Bindings { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
        /// <summary>Modules this one explicitly waits for (a choice among providers).</summary>
        public ICollection<string> ExplicitDependencies { get; } = new List<string>();
        /// <summary>Configuration values: schema key paths (<c>connection_manager.high_water</c>; array items share their array's key).</summary>
        public IList<SettingValue> Settings { get; } = new List<SettingValue>();
        /// <summary>Whether <see cref="Settings"/> is all of the configuration (false when some could not be read).</summary>
        public bool SettingsComplete { get; set; } = true;
        /// <summary>Main image repository, if any.</summary>
        public string? ImageRepository { get; set; }
        /// <summary>Main image tag.</summary>
        public string? ImageTag { get; set; }
        /// <summary>Main image digest.</summary>
        public string? ImageDigest { get; set; }
        /// <summary>Where the image is declared (opaque); the module's location when null.</summary>
        public object? ImageLocation { get; set; }

        /// <summary>The first value of setting <paramref name="key"/>, or null.</summary>
        public SettingValue? Setting(string key) => Settings.FirstOrDefault(s => string.Equals(s.Key, key, StringComparison.Ordinal));

        /// <summary>To the graph's node.</summary>
        public TopologyNode ToNode() => new TopologyNode(Name, Layer, Requires, Provides);
    }

    /// <summary>One configuration value: a string (numbers and booleans as their JSON text).</summary>
    public sealed class SettingValue
    {
        /// <summary>Creates a value.</summary>
        public SettingValue(string key, string? value, object? location = null, bool isSecret = false)
        {
            Key = key;
            Value = value;
            Location = location;
            IsSecret = isSecret;
        }

        /// <summary>Schema key path.</summary>
        public string Key { get; }
        /// <summary>The value; null for JSON null.</summary>
        public string? Value { get; }
        /// <summary>Where the value is written (opaque), or null when it comes from configuration files.</summary>
        public object? Location { get; }
        /// <summary>Whether the setting is typed as a secret reference.</summary>
        public bool IsSecret { get; }
        /// <summary>Whether the value is an enum member name rather than the schema's text (compare normalised).</summary>
        public bool IsEnumMember { get; set; }

        /// <inheritdoc />
        public override string ToString() => $"{Key}={Value}";
    }

    /// <summary>What a rule found, where.</summary>
    public sealed class RuleFinding
    {
        /// <summary>Creates a finding.</summary>
        public RuleFinding(string ruleId, string module, string message, object? location)
        {
            RuleId = ruleId;
            Module = module;
            Message = message;
            Location = location;
        }

        /// <summary>FRxxxx.</summary>
        public string RuleId { get; }
        /// <summary>The module concerned ("" for the stack itself).</summary>
        public string Module { get; }
        /// <summary>Plain-words message.</summary>
        public string Message { get; }
        /// <summary>Where (opaque token from the model).</summary>
        public object? Location { get; }
        /// <summary>Extra facts a code fix can use (capability, candidate providers, setting key, ...).</summary>
        public IDictionary<string, string> Properties { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <inheritdoc />
        public override string ToString() => $"{RuleId}: {Message}";
    }
}

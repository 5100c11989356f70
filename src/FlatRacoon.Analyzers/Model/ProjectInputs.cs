using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using FlatRacoon.Topology;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace FlatRacoon.Analyzers.Model
{
    /// <summary>A module's manifest and schema facts, as the rules need them.</summary>
    internal sealed class ManifestInfo
    {
        public ManifestInfo(string name, string layer, string[] requires, string[] provides)
        {
            Name = name;
            Layer = layer;
            Requires = requires;
            Provides = provides;
        }

        public string Name { get; }
        public string Layer { get; }
        public string[] Requires { get; }
        public string[] Provides { get; }
        public string? ImageRepository { get; set; }
        public string? ImageTag { get; set; }
        public string? ImageDigest { get; set; }
        /// <summary>Schema defaults, flattened.</summary>
        public List<SettingValue> Defaults { get; } = new List<SettingValue>();
        /// <summary>Schema keys typed as secret references.</summary>
        public HashSet<string> SecretKeys { get; } = new HashSet<string>(StringComparer.Ordinal);
    }

    /// <summary>An environment of configs/environments.json.</summary>
    internal sealed class EnvironmentInfo
    {
        public EnvironmentInfo(string name) => Name = name;

        public string Name { get; }
        public bool? Ipv6Only { get; set; }
        public string? Nat64Prefix { get; set; }
        public Dictionary<string, List<SettingValue>> Modules { get; } = new Dictionary<string, List<SettingValue>>(StringComparer.Ordinal);
    }

    /// <summary>
    /// The project's manifests, schemas and environments, read from the same AdditionalFiles the
    /// generator reads. Malformed files are skipped silently: the generator reports them (FR0000-FR0013).
    /// </summary>
    internal sealed class ProjectInputs
    {
        private ProjectInputs(Dictionary<string, ManifestInfo> byMethodName, Dictionary<string, EnvironmentInfo> environments)
        {
            ByPascalName = byMethodName;
            Environments = environments;
            Catalog = byMethodName.Values.Select(m => new TopologyNode(m.Name, m.Layer, m.Requires, m.Provides)).ToList();
        }

        /// <summary>Manifests by the Pascal-case name the generator gives their Add method (<c>IpfsOverlay</c>).</summary>
        public Dictionary<string, ManifestInfo> ByPascalName { get; }
        /// <summary>Environments by name.</summary>
        public Dictionary<string, EnvironmentInfo> Environments { get; }
        /// <summary>Every known module.</summary>
        public List<TopologyNode> Catalog { get; }

        public ManifestInfo? ByModuleName(string name) => ByPascalName.Values.FirstOrDefault(m => m.Name == name);

        public static ProjectInputs Read(AnalyzerOptions options, CancellationToken cancellation)
        {
            var manifests = new Dictionary<string, ManifestInfo>(StringComparer.Ordinal);
            var environments = new Dictionary<string, EnvironmentInfo>(StringComparer.Ordinal);
            var files = options.AdditionalFiles;
            var byPath = new Dictionary<string, AdditionalText>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                byPath[Normalize(file.Path)] = file;
            }
            foreach (var file in files)
            {
                var kind = Kind(options, file);
                if (kind == "manifest")
                {
                    var manifest = ReadManifest(file, byPath, cancellation);
                    if (manifest != null && ToPascalCase(manifest.Name) is { } pascal && !manifests.ContainsKey(pascal))
                    {
                        manifests.Add(pascal, manifest);
                    }
                }
                else if (kind == "environments")
                {
                    ReadEnvironments(file, environments, cancellation);
                }
            }
            return new ProjectInputs(manifests, environments);
        }

        private static string? Kind(AnalyzerOptions options, AdditionalText file)
        {
            if (options.AnalyzerConfigOptionsProvider.GetOptions(file).TryGetValue("build_metadata.AdditionalFiles.FlatRacoonKind", out var kind)
                && !string.IsNullOrEmpty(kind))
            {
                return kind;
            }
            var name = Path.GetFileName(file.Path);
            return name == "flatracoon.module.json" ? "manifest" : name == "environments.json" ? "environments" : null;
        }

        private static object? ParseFile(AdditionalText file, CancellationToken cancellation)
        {
            var text = file.GetText(cancellation)?.ToString();
            return text is null ? null : MiniJson.Parse(text);
        }

        private static ManifestInfo? ReadManifest(AdditionalText file, Dictionary<string, AdditionalText> byPath, CancellationToken cancellation)
        {
            var json = ParseFile(file, cancellation);
            var name = MiniJson.Text(MiniJson.Member(json, "module"));
            var layer = MiniJson.Text(MiniJson.Member(json, "layer"));
            if (name is null || layer is null)
            {
                return null;
            }
            var manifest = new ManifestInfo(name, layer,
                MiniJson.Strings(MiniJson.Member(json, "requires")).ToArray(),
                MiniJson.Strings(MiniJson.Member(json, "provides")).ToArray());
            var image = MiniJson.Member(json, "image");
            manifest.ImageRepository = MiniJson.Text(MiniJson.Member(image, "repository"));
            manifest.ImageTag = MiniJson.Text(MiniJson.Member(image, "tag"));
            manifest.ImageDigest = MiniJson.Text(MiniJson.Member(image, "digest"));

            // The schema's export sits beside the manifest: schema.ncl → schema.json.
            var schemaName = MiniJson.Text(MiniJson.Member(json, "config_schema"));
            if (schemaName != null)
            {
                var exported = Path.ChangeExtension(schemaName, ".json");
                var schemaPath = Normalize(Path.Combine(Path.GetDirectoryName(file.Path) ?? "", exported));
                if (byPath.TryGetValue(schemaPath, out var schemaFile))
                {
                    var schema = ParseFile(schemaFile, cancellation);
                    foreach (var property in MiniJson.Members(MiniJson.Member(schema, "properties")))
                    {
                        if (MiniJson.Text(MiniJson.Member(property.Value, "format")) == Formats.SecretRef)
                        {
                            manifest.SecretKeys.Add(property.Key);
                        }
                        var defaults = new List<SettingValue>();
                        MiniJson.Flatten(MiniJson.Member(property.Value, "default"), property.Key, defaults);
                        foreach (var value in defaults)
                        {
                            manifest.Defaults.Add(new SettingValue(value.Key, value.Value, null, manifest.SecretKeys.Contains(value.Key)));
                        }
                    }
                }
            }
            return manifest;
        }

        private static void ReadEnvironments(AdditionalText file, Dictionary<string, EnvironmentInfo> environments, CancellationToken cancellation)
        {
            var json = ParseFile(file, cancellation);
            foreach (var env in MiniJson.Members(MiniJson.Member(json, "environments")))
            {
                var info = new EnvironmentInfo(env.Key);
                var ipv6Only = MiniJson.Text(MiniJson.Member(env.Value, "ipv6_only"));
                info.Ipv6Only = ipv6Only is null ? true : ipv6Only == "true";
                info.Nat64Prefix = MiniJson.Text(MiniJson.Member(env.Value, "nat64_prefix"));
                foreach (var module in MiniJson.Members(MiniJson.Member(env.Value, "modules")))
                {
                    var values = new List<SettingValue>();
                    MiniJson.Flatten(module.Value, "", values);
                    info.Modules[module.Key] = values;
                }
                environments[env.Key] = info;
            }
        }

        private static string Normalize(string path) => path.Replace('\\', '/');

        /// <summary>The generator's naming (<c>ipv6-site-enforcer</c> → <c>Ipv6SiteEnforcer</c>), from the shared source.</summary>
        public static string? ToPascalCase(string name) => GeneratedNames.Pascal(name);

        /// <summary>A property name back to its schema key (<c>Ipv6AssignModes</c> → <c>ipv6_assign_modes</c>).</summary>
        public static string ToSnakeCase(string name)
        {
            var builder = new StringBuilder(name.Length + 4);
            for (var i = 0; i < name.Length; i++)
            {
                var c = name[i];
                if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])))
                {
                    builder.Append('_');
                }
                builder.Append(char.ToLowerInvariant(c));
            }
            return builder.ToString();
        }
    }
}

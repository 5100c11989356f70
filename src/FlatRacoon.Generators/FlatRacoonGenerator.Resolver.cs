using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using FlatRacoon.Generators.Helpers;
using FlatRacoon.Generators.Json;
using FlatRacoon.Generators.Model;
using FlatRacoon.Topology;

namespace FlatRacoon.Generators
{
    /// <summary>The spec to emit and the diagnostics to report, kept apart so diagnostics (with locations) never force re-emission.</summary>
    internal sealed record ModelResult(GenerationSpec Spec, EquatableArray<DiagnosticInfo> Diagnostics);

    internal sealed partial class FlatRacoonGenerator
    {
        /// <summary>
        /// The cross-file step: duplicate module names, config_schema resolution to the sibling JSON
        /// export, schema binding (C# names, defaults), environment overrides checked against the
        /// schemas, the registry and base.json checks. Produces a location-free <see cref="GenerationSpec"/>.
        /// </summary>
        internal static class Resolver
        {
            private static readonly HashSet<string> s_environmentMembers = new(StringComparer.Ordinal)
            {
                "Name", "Description", "Ipv6Only", "SitePrefix", "ClusterPrefix", "Nat64", "Nat64Prefix", "Dns64", "Environment",
            };

            private static readonly string[] s_environmentKeys =
            {
                "cluster_prefix", "description", "dns64", "ipv6_only", "modules", "nat64", "nat64_prefix", "site_prefix",
            };

            public static ModelResult Build(ImmutableArray<ParsedFile> files, GeneratorOptions options, CancellationToken cancellationToken)
            {
                var diagnostics = new List<DiagnosticInfo>();
                try
                {
                    var spec = BuildCore(files, options, diagnostics, cancellationToken);
                    return new ModelResult(spec, Deduplicate(diagnostics));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GeneratorFailure, null, "the FlatRacoon files", e.GetType().Name + ": " + e.Message));
                    return new ModelResult(GenerationSpec.Empty(options), Deduplicate(diagnostics));
                }
            }

            private static EquatableArray<DiagnosticInfo> Deduplicate(List<DiagnosticInfo> diagnostics)
            {
                var seen = new HashSet<DiagnosticInfo>();
                var result = new List<DiagnosticInfo>(diagnostics.Count);
                foreach (var diagnostic in diagnostics)
                {
                    if (seen.Add(diagnostic))
                    {
                        result.Add(diagnostic);
                    }
                }
                return result.ToEquatableArray();
            }

            private static GenerationSpec BuildCore(ImmutableArray<ParsedFile> files, GeneratorOptions options, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
            {
                var sorted = files.OrderBy(f => f.NormalizedPath, StringComparer.Ordinal).ThenBy(f => f.Path, StringComparer.Ordinal).ToList();
                var schemas = new Dictionary<string, ParsedFile>(StringComparer.OrdinalIgnoreCase);
                foreach (var file in sorted)
                {
                    if (file.Kind != FileKind.SchemaCandidate)
                    {
                        diagnostics.AddRange(file.Diagnostics);
                    }
                    if ((file.Kind == FileKind.Schema || file.Kind == FileKind.SchemaCandidate) && !schemas.ContainsKey(file.NormalizedPath))
                    {
                        schemas.Add(file.NormalizedPath, file);
                    }
                }

                // Module names: the first manifest (ordinal path order) keeps a name, later ones get FR0005.
                var declared = new Dictionary<string, ManifestModel>(StringComparer.Ordinal);
                var byPascal = new Dictionary<string, ManifestModel>(StringComparer.OrdinalIgnoreCase);
                var candidates = new List<(ParsedFile File, ManifestModel Manifest, string Pascal)>();
                var hasManifests = false;
                foreach (var file in sorted)
                {
                    if (file.Kind != FileKind.Manifest)
                    {
                        continue;
                    }
                    hasManifests = true;
                    var manifest = file.Manifest;
                    if (manifest?.Module is null)
                    {
                        continue;
                    }
                    if (declared.TryGetValue(manifest.Module, out var first))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateModuleName, manifest.ModuleLocation, manifest.Module, first.Path, "module names must be unique in a compilation"));
                        continue;
                    }
                    declared.Add(manifest.Module, manifest);
                    var pascal = Names.ToPascalCase(manifest.Module)!;
                    if (byPascal.TryGetValue(pascal, out var other))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateModuleName, manifest.ModuleLocation, manifest.Module, other.Path,
                            $"'{other.Module}' and '{manifest.Module}' become the same C# name ('{Names.ToPascalCase(other.Module!)}', '{pascal}')"));
                        continue;
                    }
                    byPascal.Add(pascal, manifest);
                    candidates.Add((file, manifest, pascal));
                }

                var typeNames = new HashSet<string>(StringComparer.Ordinal) { "FlatRacoonModules", "Capabilities", "CapabilityProviders", "Environments", "StackDefaults" };
                foreach (var (_, _, pascal) in candidates)
                {
                    typeNames.Add(pascal + "Config");
                    typeNames.Add(pascal + "Resource");
                    typeNames.Add(pascal + "StackBuilderExtensions");
                }

                var reportedSchemas = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                var modules = new List<ModuleSpec>();
                var bound = new Dictionary<string, BoundModule>(StringComparer.Ordinal);
                foreach (var (file, manifest, pascal) in candidates)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    ConfigSpec? config = null;
                    BoundSchema? root = null;
                    var usable = !file.HasErrors;
                    if (manifest.ConfigSchema is { } configSchema)
                    {
                        var exportPath = PathUtility.SchemaExportPath(file.NormalizedPath, configSchema);
                        if (!schemas.TryGetValue(exportPath, out var schemaFile))
                        {
                            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConfigSchemaNotFound, manifest.ConfigSchemaLocation, configSchema, exportPath));
                            usable = false;
                        }
                        else
                        {
                            if (schemaFile.Kind == FileKind.SchemaCandidate && reportedSchemas.Add(schemaFile.NormalizedPath))
                            {
                                diagnostics.AddRange(schemaFile.Diagnostics);
                            }
                            if (schemaFile.HasErrors || schemaFile.Schema is null)
                            {
                                usable = false;
                            }
                            else if (usable)
                            {
                                var errors = Parser.CountErrors(diagnostics);
                                var binder = new Binder(manifest.Module!, pascal, typeNames, diagnostics);
                                root = binder.BindRoot(schemaFile.Schema.Root);
                                if (Parser.CountErrors(diagnostics) > errors)
                                {
                                    usable = false;
                                }
                                else
                                {
                                    config = binder.ToConfigSpec(root);
                                }
                            }
                        }
                    }
                    if (!usable || manifest.Version is null || manifest.Layer is null)
                    {
                        continue;
                    }
                    modules.Add(new ModuleSpec(
                        manifest.Module!,
                        pascal,
                        manifest.Version,
                        Names.ToPascalCase(manifest.Layer)!,
                        manifest.Requires,
                        manifest.Provides,
                        manifest.HealthEndpoint,
                        manifest.MetricsEndpoint,
                        manifest.Image,
                        manifest.Workload switch { "statefulset" => "StatefulSet", "daemonset" => "DaemonSet", _ => "Deployment" },
                        manifest.Description,
                        config,
                        manifest.Bindings));
                    bound.Add(manifest.Module!, new BoundModule(manifest.Module!, pascal, config, root));
                }

                var networkDefaults = (Ipv6Only: true, Nat64: false, Dns64: false);
                DefaultsClassSpec? stackDefaults = null;
                var baseFile = sorted.FirstOrDefault(f => f.Kind == FileKind.Base && f.Root is not null);
                if (baseFile is not null)
                {
                    stackDefaults = ReadBase(baseFile.Root!, diagnostics, ref networkDefaults);
                }

                foreach (var file in sorted)
                {
                    if (file.Kind == FileKind.Registry && file.Root is not null)
                    {
                        CheckRegistry(file.Root, declared, diagnostics);
                    }
                }

                var environments = new List<EnvironmentSpec>();
                var environmentFiles = new Dictionary<string, string>(StringComparer.Ordinal);
                var environmentPascals = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                var hasEnvironments = false;
                foreach (var file in sorted)
                {
                    if (file.Kind != FileKind.Environments)
                    {
                        continue;
                    }
                    hasEnvironments = true;
                    if (file.Root is not null)
                    {
                        ReadEnvironments(file, declared, bound, networkDefaults, environmentFiles, environmentPascals, environments, diagnostics);
                    }
                }
                environments.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));

                return new GenerationSpec(
                    options.Namespace,
                    options.IsPublic,
                    hasManifests,
                    modules.OrderBy(m => m.Name, StringComparer.Ordinal).ToEquatableArray(),
                    BuildCapabilities(modules),
                    hasEnvironments,
                    environments.ToEquatableArray(),
                    stackDefaults,
                    options.AllModules || options.IsPublic);
            }

            // ---------------------------------------------------------------- capabilities

            private static EquatableArray<CapabilitySpec> BuildCapabilities(List<ModuleSpec> modules)
            {
                var providers = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
                var consumers = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
                foreach (var module in modules)
                {
                    foreach (var capability in module.Provides)
                    {
                        Get(providers, capability).Add(module.Name);
                        Get(consumers, capability);
                    }
                    foreach (var capability in module.Requires)
                    {
                        Get(consumers, capability).Add(module.Name);
                        Get(providers, capability);
                    }
                }
                var result = new List<CapabilitySpec>();
                var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (var pair in providers)
                {
                    var pascal = Names.ToPascalCase(pair.Key);
                    if (pascal is null)
                    {
                        continue;
                    }
                    if (pascal == "Capabilities")
                    {
                        pascal += "Capability";
                    }
                    // Names that differ only by '-' placement ("a-1b", "a1b") get a number: every
                    // capability needs its own interface for the typed Add methods.
                    var unique = pascal;
                    for (var n = 2; !names.Add(unique); n++)
                    {
                        unique = pascal + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    }
                    pascal = unique;
                    result.Add(new CapabilitySpec(pair.Key, pascal, Layers.ExternalCapabilities.Contains(pair.Key), pair.Value.ToEquatableArray(), consumers[pair.Key].ToEquatableArray()));
                }
                return result.ToEquatableArray();

                static SortedSet<string> Get(SortedDictionary<string, SortedSet<string>> map, string key)
                {
                    if (!map.TryGetValue(key, out var set))
                    {
                        set = new SortedSet<string>(StringComparer.Ordinal);
                        map.Add(key, set);
                    }
                    return set;
                }
            }

            // ---------------------------------------------------------------- base.json and modules.json

            private static DefaultsClassSpec? ReadBase(JsonNode root, List<DiagnosticInfo> diagnostics, ref (bool Ipv6Only, bool Nat64, bool Dns64) network)
            {
                if (root.Kind != JsonKind.Object)
                {
                    diagnostics.Add(Parser.WrongType("base.json", "a JSON object", root));
                    return null;
                }
                if (root.GetMember("layers") is { } layers)
                {
                    CheckLayers(layers.Value, diagnostics);
                }
                if (root.GetMember("network") is { Value.Kind: JsonKind.Object } networkMember)
                {
                    foreach (var member in networkMember.Value.Members)
                    {
                        if (!member.Value.IsBoolean)
                        {
                            continue;
                        }
                        var value = member.Value.Kind == JsonKind.True;
                        switch (member.Name)
                        {
                            case "ipv6_only": network.Ipv6Only = value; break;
                            case "nat64": network.Nat64 = value; break;
                            case "dns64": network.Dns64 = value; break;
                        }
                    }
                }
                return BuildDefaultsClass("StackDefaults", "", root, diagnostics);
            }

            private static void CheckLayers(JsonNode layers, List<DiagnosticInfo> diagnostics)
            {
                if (layers.Kind != JsonKind.Array)
                {
                    diagnostics.Add(Parser.WrongType("layers", "an array of layer names, bottom first", layers));
                    return;
                }
                var names = new List<string>();
                foreach (var item in layers.Items)
                {
                    if (item.Kind != JsonKind.String)
                    {
                        diagnostics.Add(Parser.WrongType("an element of 'layers'", "a layer name", item));
                        return;
                    }
                    names.Add(item.Text!);
                }
                if (!names.SequenceEqual(Layers.Ordered, StringComparer.Ordinal))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.RegistryMismatch, layers.Location,
                        $"base.json lists the layers [{string.Join(", ", names)}], but the generator, the analyzers and the SDK use [{string.Join(", ", Layers.Ordered)}] (src/FlatRacoon.Topology/Layers.cs)"));
                }
            }

            private static DefaultsClassSpec BuildDefaultsClass(string name, string jsonPath, JsonNode node, List<DiagnosticInfo> diagnostics)
            {
                var members = new List<DefaultsMemberSpec>();
                var classes = new List<DefaultsClassSpec>();
                var used = new HashSet<string>(StringComparer.Ordinal) { name };
                foreach (var member in node.Members)
                {
                    var pascal = Names.ToPascalCase(member.Name);
                    if (pascal is null)
                    {
                        continue;
                    }
                    if (!used.Add(pascal))
                    {
                        pascal += "Value";
                        if (!used.Add(pascal))
                        {
                            continue;
                        }
                    }
                    var path = jsonPath.Length == 0 ? member.Name : jsonPath + "." + member.Name;
                    var value = member.Value;
                    switch (value.Kind)
                    {
                        case JsonKind.Object:
                            classes.Add(BuildDefaultsClass(pascal, path, value, diagnostics));
                            break;
                        case JsonKind.Array:
                            if (ArrayOfScalars(value) is { } array)
                            {
                                members.Add(new DefaultsMemberSpec(pascal, path, array.Type, array.Expression, IsConst: false));
                            }
                            else
                            {
                                // A list of records: one nested class per element, named Item0, Item1, ...
                                classes.Add(BuildDefaultsList(pascal, path, value, diagnostics));
                            }
                            break;
                        case JsonKind.Null:
                            break;
                        default:
                            if (Scalar(value) is { } scalar)
                            {
                                members.Add(new DefaultsMemberSpec(pascal, path, scalar.Type, scalar.Literal, IsConst: true));
                            }
                            break;
                    }
                }
                return new DefaultsClassSpec(name, jsonPath, members.ToEquatableArray(), classes.ToEquatableArray());
            }

            private static DefaultsClassSpec BuildDefaultsList(string name, string jsonPath, JsonNode array, List<DiagnosticInfo> diagnostics)
            {
                var classes = new List<DefaultsClassSpec>();
                for (var i = 0; i < array.Items.Count; i++)
                {
                    var item = array.Items[i];
                    var itemName = "Item" + i.ToString(CultureInfo.InvariantCulture);
                    // A nested class may not share its enclosing class's name (CS0542): [[...]] nests Item0 in Item0.
                    if (itemName == name)
                    {
                        itemName += "Element";
                    }
                    var path = jsonPath + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                    if (item.Kind == JsonKind.Object)
                    {
                        classes.Add(BuildDefaultsClass(itemName, path, item, diagnostics));
                    }
                    else if (item.Kind == JsonKind.Array)
                    {
                        classes.Add(BuildDefaultsList(itemName, path, item, diagnostics));
                    }
                    else if (Scalar(item) is { } scalar)
                    {
                        classes.Add(new DefaultsClassSpec(itemName, path, new[] { new DefaultsMemberSpec(itemName == "Value" ? "ItemValue" : "Value", path, scalar.Type, scalar.Literal, IsConst: true) }.ToEquatableArray(), default));
                    }
                }
                var count = new DefaultsMemberSpec(name == "Count" ? "ItemCount" : "Count", jsonPath, "int", array.Items.Count.ToString(CultureInfo.InvariantCulture), IsConst: true);
                return new DefaultsClassSpec(name, jsonPath, new[] { count }.ToEquatableArray(), classes.ToEquatableArray());
            }

            private static (string Type, string Literal)? Scalar(JsonNode value)
            {
                switch (value.Kind)
                {
                    case JsonKind.String:
                        return ("string", Names.StringLiteral(value.Text!));
                    case JsonKind.True:
                        return ("bool", "true");
                    case JsonKind.False:
                        return ("bool", "false");
                    case JsonKind.Number:
                        if (Parser.TryGetInteger(value, out var l))
                        {
                            return l >= int.MinValue && l <= int.MaxValue
                                ? ("int", l.ToString(CultureInfo.InvariantCulture))
                                : ("long", l.ToString(CultureInfo.InvariantCulture) + "L");
                        }
                        return Parser.TryGetDouble(value, out var d) ? ("double", FormatDouble(d)) : null;
                    default:
                        return null;
                }
            }

            private static (string Type, string Expression)? ArrayOfScalars(JsonNode array)
            {
                if (array.Items.IsEmpty)
                {
                    return ("global::System.Collections.Immutable.ImmutableArray<string>", "global::System.Collections.Immutable.ImmutableArray<string>.Empty");
                }
                string? type = null;
                var literals = new List<string>();
                foreach (var item in array.Items)
                {
                    if (Scalar(item) is not { } scalar)
                    {
                        return null;
                    }
                    if (type is null || type == scalar.Type)
                    {
                        type = scalar.Type;
                    }
                    else if ((type == "int" && scalar.Type == "long") || (type == "long" && scalar.Type == "int"))
                    {
                        type = "long";
                    }
                    else if ((type is "int" or "long" or "double") && (scalar.Type is "int" or "long" or "double"))
                    {
                        type = "double";
                    }
                    else
                    {
                        return null;
                    }
                    literals.Add(scalar.Literal);
                }
                if (type == "long")
                {
                    literals = literals.Select(l => l.EndsWith("L", StringComparison.Ordinal) ? l : l + "L").ToList();
                }
                else if (type == "double")
                {
                    literals = literals.Select(l => l.TrimEnd('L')).Select(l => l.IndexOfAny(new[] { '.', 'E' }) >= 0 ? l : l + ".0").ToList();
                }
                return ("global::System.Collections.Immutable.ImmutableArray<" + type + ">",
                    "global::System.Collections.Immutable.ImmutableArray.Create<" + type + ">(" + string.Join(", ", literals) + ")");
            }

            private static void CheckRegistry(JsonNode root, Dictionary<string, ManifestModel> declared, List<DiagnosticInfo> diagnostics)
            {
                if (root.Kind != JsonKind.Object)
                {
                    diagnostics.Add(Parser.WrongType("modules.json", "a JSON object", root));
                    return;
                }
                var modules = root.GetMember("modules");
                if (modules is null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingRequiredKey, root.Location, "modules", "the module registry (modules.json)"));
                    return;
                }
                var entries = new List<(string Name, LocationInfo Location)>();
                switch (modules.Value.Kind)
                {
                    case JsonKind.Object:
                        foreach (var member in modules.Value.Members)
                        {
                            var name = member.Value.Kind == JsonKind.Object && member.Value.GetMember("module") is { Value.Kind: JsonKind.String } inner
                                ? (inner.Value.Text!, inner.Value.Location)
                                : (member.Name, member.NameLocation);
                            entries.Add(name);
                        }
                        break;
                    case JsonKind.Array:
                        foreach (var item in modules.Value.Items)
                        {
                            if (item.Kind == JsonKind.String)
                            {
                                entries.Add((item.Text!, item.Location));
                            }
                            else if (item.Kind == JsonKind.Object
                                && (item.GetMember("module") ?? item.GetMember("name")) is { Value.Kind: JsonKind.String } named)
                            {
                                entries.Add((named.Value.Text!, named.Value.Location));
                            }
                            else
                            {
                                diagnostics.Add(Parser.WrongType("an entry of 'modules'", "a module name or an object with \"module\"", item));
                            }
                        }
                        break;
                    default:
                        diagnostics.Add(Parser.WrongType("modules", "an object keyed by module name, or an array", modules.Value));
                        return;
                }
                foreach (var (name, location) in entries)
                {
                    if (!declared.ContainsKey(name))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.RegistryMismatch, location,
                            $"The registry lists module '{name}', but no flatracoon.module.json declares it"));
                    }
                }
            }

            // ---------------------------------------------------------------- environments.json

            private static void ReadEnvironments(
                ParsedFile file,
                Dictionary<string, ManifestModel> declared,
                Dictionary<string, BoundModule> bound,
                (bool Ipv6Only, bool Nat64, bool Dns64) network,
                Dictionary<string, string> environmentFiles,
                Dictionary<string, string> environmentPascals,
                List<EnvironmentSpec> environments,
                List<DiagnosticInfo> diagnostics)
            {
                var root = file.Root!;
                if (root.Kind != JsonKind.Object)
                {
                    diagnostics.Add(Parser.WrongType("environments.json", "a JSON object", root));
                    return;
                }
                JsonMember? list = null;
                foreach (var member in root.Members)
                {
                    if (member.Name == "environments")
                    {
                        list = member;
                    }
                    else
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownKey, member.NameLocation, member.Name, "environments.json (known keys: environments)"));
                    }
                }
                if (list is null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingRequiredKey, root.Location, "environments", "environments.json"));
                    return;
                }
                if (list.Value.Kind != JsonKind.Object)
                {
                    diagnostics.Add(Parser.WrongType("environments", "an object keyed by environment name", list.Value));
                    return;
                }
                foreach (var entry in list.Value.Members)
                {
                    var name = entry.Name;
                    var pascal = Names.ToPascalCase(name);
                    if (!Formats.IsDnsLabel(name) || pascal is null || !char.IsLetter(name[0]))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MalformedValue, entry.NameLocation, "Environment name", name,
                            "an environment name is a DNS label starting with a letter, such as production"));
                        continue;
                    }
                    if (pascal == "Environments")
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MalformedValue, entry.NameLocation, "Environment name", name,
                            "its C# name would clash with the generated Environments class"));
                        continue;
                    }
                    if (environmentFiles.TryGetValue(name, out var otherFile))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MalformedValue, entry.NameLocation, "Environment name", name,
                            $"it is already declared in '{otherFile}'"));
                        continue;
                    }
                    if (environmentPascals.TryGetValue(pascal, out var otherName))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MalformedValue, entry.NameLocation, "Environment name", name,
                            $"it becomes the same C# name as environment '{otherName}'"));
                        continue;
                    }
                    environmentFiles.Add(name, file.Path);
                    environmentPascals.Add(pascal, name);
                    if (ReadEnvironment(name, pascal, entry.Value, declared, bound, network, diagnostics) is { } environment)
                    {
                        environments.Add(environment);
                    }
                }
            }

            private static EnvironmentSpec? ReadEnvironment(
                string name,
                string pascal,
                JsonNode value,
                Dictionary<string, ManifestModel> declared,
                Dictionary<string, BoundModule> bound,
                (bool Ipv6Only, bool Nat64, bool Dns64) network,
                List<DiagnosticInfo> diagnostics)
            {
                if (value.Kind != JsonKind.Object)
                {
                    diagnostics.Add(Parser.WrongType(name, "an object with the environment's settings", value));
                    return null;
                }
                var errors = Parser.CountErrors(diagnostics);
                string? description = null, sitePrefix = null, clusterPrefix = null, nat64Prefix = null;
                var ipv6Only = network.Ipv6Only;
                var nat64 = network.Nat64;
                var dns64 = network.Dns64;
                var sawSitePrefix = false;
                var moduleErrors = 0;
                var modules = new List<EnvironmentModuleSpec>();
                foreach (var member in value.Members)
                {
                    var v = member.Value;
                    switch (member.Name)
                    {
                        case "description":
                            if (v.Kind == JsonKind.String)
                            {
                                description = v.Text;
                            }
                            else if (v.Kind != JsonKind.Null)
                            {
                                diagnostics.Add(Parser.WrongType("description", "a string", v));
                            }
                            break;
                        case "site_prefix":
                            sawSitePrefix = true;
                            sitePrefix = Prefix(member, nullable: false);
                            break;
                        case "cluster_prefix":
                            clusterPrefix = Prefix(member, nullable: true);
                            break;
                        case "nat64_prefix":
                            nat64Prefix = Prefix(member, nullable: true);
                            break;
                        case "ipv6_only":
                            ipv6Only = Boolean(member, ipv6Only);
                            break;
                        case "nat64":
                            nat64 = Boolean(member, nat64);
                            break;
                        case "dns64":
                            dns64 = Boolean(member, dns64);
                            break;
                        case "modules":
                            if (v.Kind != JsonKind.Object)
                            {
                                diagnostics.Add(Parser.WrongType("modules", "an object keyed by module name", v));
                                break;
                            }
                            // A bad module override drops only that module's property, not the environment.
                            var before = Parser.CountErrors(diagnostics);
                            foreach (var module in v.Members)
                            {
                                if (ReadModuleOverride(name, pascal, module, declared, bound, diagnostics) is { } spec)
                                {
                                    modules.Add(spec);
                                }
                            }
                            moduleErrors += Parser.CountErrors(diagnostics) - before;
                            break;
                        default:
                            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownKey, member.NameLocation, member.Name,
                                $"environment '{name}' (known keys: {string.Join(", ", s_environmentKeys)})"));
                            break;
                    }
                }
                if (!sawSitePrefix)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingRequiredKey, value.Location, "site_prefix", $"environment '{name}'"));
                }
                if (Parser.CountErrors(diagnostics) - moduleErrors > errors)
                {
                    return null;
                }
                modules.Sort((a, b) => string.CompareOrdinal(a.Module, b.Module));
                return new EnvironmentSpec(name, pascal, description, ipv6Only, sitePrefix, clusterPrefix, nat64, nat64Prefix, dns64, modules.ToEquatableArray());

                string? Prefix(JsonMember member, bool nullable)
                {
                    var v = member.Value;
                    if (v.Kind == JsonKind.Null && nullable)
                    {
                        return null;
                    }
                    if (v.Kind != JsonKind.String)
                    {
                        diagnostics.Add(Parser.WrongType(member.Name, nullable ? "an IPv6 prefix string or null" : "an IPv6 prefix string", v));
                        return null;
                    }
                    if (Formats.Check(Formats.Ipv6Prefix, v.Text!) is { } why)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SchemaViolation, v.Location, $"Value in environment '{name}'", member.Name, $"'{v.Text}' is not valid: {why}"));
                        return null;
                    }
                    return v.Text;
                }

                bool Boolean(JsonMember member, bool fallback)
                {
                    if (member.Value.IsBoolean)
                    {
                        return member.Value.Kind == JsonKind.True;
                    }
                    diagnostics.Add(Parser.WrongType(member.Name, "true or false", member.Value));
                    return fallback;
                }
            }

            private static EnvironmentModuleSpec? ReadModuleOverride(
                string environment,
                string environmentPascal,
                JsonMember module,
                Dictionary<string, ManifestModel> declared,
                Dictionary<string, BoundModule> bound,
                List<DiagnosticInfo> diagnostics)
            {
                var value = module.Value;
                if (!declared.ContainsKey(module.Name))
                {
                    var known = string.Join(", ", declared.Keys.OrderBy(k => k, StringComparer.Ordinal));
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownModuleOrSetting, module.NameLocation, environment,
                        $"module '{module.Name}', which no flatracoon.module.json declares (known modules: {(known.Length == 0 ? "none" : known)})"));
                    return null;
                }
                if (value.Kind != JsonKind.Object)
                {
                    diagnostics.Add(Parser.WrongType(module.Name, "an object of the module's settings", value));
                    return null;
                }
                if (!bound.TryGetValue(module.Name, out var target))
                {
                    // The module has errors of its own, already reported; nothing to check against.
                    return null;
                }
                if (target.Root is null || target.Config is null)
                {
                    foreach (var setting in value.Members)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownModuleOrSetting, setting.NameLocation, environment,
                            $"setting '{setting.Name}' of module '{module.Name}', which has no settings (its config_schema is null)"));
                    }
                    return null;
                }
                var context = new ValueContext(module.Name, environment);
                if (!Validator.Validate(target.Root, value, "", context, diagnostics))
                {
                    return null;
                }
                var propertyName = target.Pascal;
                if (s_environmentMembers.Contains(propertyName) || propertyName == environmentPascal)
                {
                    propertyName += "Config";
                }
                return new EnvironmentModuleSpec(module.Name, propertyName, target.Config.TypeName, Validator.ToValue(target.Root, value));
            }

            private sealed record BoundModule(string Name, string Pascal, ConfigSpec? Config, BoundSchema? Root);

            private static string FormatDouble(double value) => Validator.FormatDouble(value);
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using FlatRacoon.Generators.Helpers;
using FlatRacoon.Generators.Json;
using FlatRacoon.Generators.Model;
using FlatRacoon.Topology;

namespace FlatRacoon.Generators
{
    internal sealed partial class FlatRacoonGenerator
    {
        /// <summary>
        /// The per-file step: recognises a file, reads its JSON and, for manifests and schemas, turns
        /// it into a model. Works on one file at a time so an edit re-parses only that file.
        /// </summary>
        internal static class Parser
        {
            public const string ManifestFileName = "flatracoon.module.json";

            private static readonly string[] s_manifestKeys =
            {
                "module", "version", "layer", "requires", "provides", "config_schema", "health_endpoint", "metrics_endpoint",
            };

            private const string SupportedKeywords =
                "type, description, default, enum, pattern, format, minimum, maximum, items, properties, required, additionalProperties, title";

            /// <summary>What <paramref name="path"/> is, from its FlatRacoonKind metadata or else its file name; null: not ours.</summary>
            public static FileKind? Classify(string path, string? kindMetadata)
            {
                if (!string.IsNullOrWhiteSpace(kindMetadata))
                {
                    switch (kindMetadata!.Trim().ToLowerInvariant())
                    {
                        case "manifest": return FileKind.Manifest;
                        case "schema": return FileKind.Schema;
                        case "base": return FileKind.Base;
                        case "registry": return FileKind.Registry;
                        case "environments": return FileKind.Environments;
                        default: return null;
                    }
                }
                var name = PathUtility.FileName(path);
                if (string.Equals(name, ManifestFileName, StringComparison.OrdinalIgnoreCase))
                {
                    return FileKind.Manifest;
                }
                if (string.Equals(name, "base.json", StringComparison.OrdinalIgnoreCase))
                {
                    return FileKind.Base;
                }
                if (string.Equals(name, "modules.json", StringComparison.OrdinalIgnoreCase))
                {
                    return FileKind.Registry;
                }
                if (string.Equals(name, "environments.json", StringComparison.OrdinalIgnoreCase))
                {
                    return FileKind.Environments;
                }
                return name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? FileKind.SchemaCandidate : null;
            }

            public static ParsedFile Parse(string path, FileKind kind, string? text, CancellationToken cancellationToken)
            {
                var normalized = PathUtility.Normalize(path);
                var diagnostics = new List<DiagnosticInfo>();
                try
                {
                    if (text is null)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.JsonSyntaxError, LocationInfo.StartOf(path), "the file could not be read"));
                        return new ParsedFile(path, normalized, kind, null, null, null, diagnostics.ToEquatableArray());
                    }
                    cancellationToken.ThrowIfCancellationRequested();
                    var root = JsonReader.Parse(path, text, diagnostics);
                    if (root is null)
                    {
                        return new ParsedFile(path, normalized, kind, null, null, null, diagnostics.ToEquatableArray());
                    }
                    ManifestModel? manifest = null;
                    SchemaModel? schema = null;
                    JsonNode? keep = null;
                    switch (kind)
                    {
                        case FileKind.Manifest:
                            manifest = ReadManifest(path, root, diagnostics);
                            break;
                        case FileKind.Schema:
                        case FileKind.SchemaCandidate:
                            schema = ReadSchemaFile(root, diagnostics);
                            break;
                        default:
                            // base, registry and environments are interpreted with the other files.
                            keep = root;
                            break;
                    }
                    return new ParsedFile(path, normalized, kind, manifest, schema, keep, diagnostics.ToEquatableArray());
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GeneratorFailure, LocationInfo.StartOf(path), path, e.GetType().Name + ": " + e.Message));
                    return new ParsedFile(path, normalized, kind, null, null, null, diagnostics.ToEquatableArray());
                }
            }

            // ---------------------------------------------------------------- manifests

            private static ManifestModel? ReadManifest(string path, JsonNode root, List<DiagnosticInfo> diagnostics)
            {
                if (root.Kind != JsonKind.Object)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongValueType, root.Location, "the manifest", "a JSON object", root.Describe()));
                    return null;
                }

                string? module = null, version = null, layer = null, configSchema = null, description = null;
                var moduleLocation = root.Location;
                var configSchemaLocation = root.Location;
                var hasConfigSchema = false;
                var requires = new List<string>();
                var provides = new List<string>();
                EndpointModel? health = null, metrics = null;
                ImageModel? image = null;
                var workload = "deployment";
                var bindings = new List<BindingModel>();
                JsonMember? bindingsMember = null;
                var seen = new HashSet<string>(StringComparer.Ordinal);

                foreach (var member in root.Members)
                {
                    var value = member.Value;
                    seen.Add(member.Name);
                    switch (member.Name)
                    {
                        case "module":
                            if (ExpectString(member, diagnostics) is { } name)
                            {
                                moduleLocation = value.Location;
                                if (!Formats.IsDnsLabel(name))
                                {
                                    diagnostics.Add(Malformed(value, "Module name", name, "a module name is a DNS label: 1-63 lower-case letters, digits and '-', not starting or ending with '-'"));
                                }
                                else if (!char.IsLetter(name[0]))
                                {
                                    diagnostics.Add(Malformed(value, "Module name", name, "it must start with a letter to become a C# name"));
                                }
                                else if (IsReservedModuleName(name))
                                {
                                    diagnostics.Add(Malformed(value, "Module name", name, "its C# name would clash with a generated type; choose another name"));
                                }
                                else
                                {
                                    module = name;
                                }
                            }
                            break;
                        case "version":
                            if (ExpectString(member, diagnostics) is { } v)
                            {
                                if (Names.IsSemanticVersion(v))
                                {
                                    version = v;
                                }
                                else
                                {
                                    diagnostics.Add(Malformed(value, "Version", v, "expected a semantic version MAJOR.MINOR.PATCH with an optional -prerelease, such as 0.1.0 or 1.2.3-rc.1"));
                                }
                            }
                            break;
                        case "layer":
                            if (ExpectString(member, diagnostics) is { } l)
                            {
                                if (Layers.RankOf(l) >= 0)
                                {
                                    layer = l;
                                }
                                else
                                {
                                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownLayer, value.Location, l, string.Join(", ", Layers.Ordered)));
                                }
                            }
                            break;
                        case "requires":
                            ReadCapabilities(member, requires, diagnostics);
                            break;
                        case "provides":
                            ReadCapabilities(member, provides, diagnostics);
                            break;
                        case "config_schema":
                            hasConfigSchema = true;
                            configSchemaLocation = value.Location;
                            if (value.Kind != JsonKind.Null && ExpectString(member, diagnostics, "a path string or null") is { } schemaPath)
                            {
                                if (schemaPath.Trim().Length == 0)
                                {
                                    diagnostics.Add(Malformed(value, "config_schema", schemaPath, "expected a path relative to the manifest, such as schema.ncl, or null"));
                                }
                                else
                                {
                                    configSchema = schemaPath;
                                }
                            }
                            break;
                        case "health_endpoint":
                            health = ReadEndpoint(member, diagnostics);
                            break;
                        case "metrics_endpoint":
                            metrics = ReadEndpoint(member, diagnostics);
                            break;
                        case "description":
                            description = ExpectString(member, diagnostics);
                            break;
                        case "image":
                            image = ReadImage(member, diagnostics);
                            break;
                        case "bindings":
                            bindingsMember = member;
                            ReadBindings(member, bindings, diagnostics);
                            break;
                        case "workload":
                            if (ExpectString(member, diagnostics) is { } w)
                            {
                                if (w == "deployment" || w == "statefulset" || w == "daemonset")
                                {
                                    workload = w;
                                }
                                else
                                {
                                    diagnostics.Add(Malformed(value, "Workload", w, "expected deployment, statefulset or daemonset"));
                                }
                            }
                            break;
                        default:
                            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownKey, member.NameLocation, member.Name, "a module manifest (known keys: " + string.Join(", ", s_manifestKeys) + ", description, image, workload, bindings)"));
                            break;
                    }
                }

                foreach (var key in s_manifestKeys)
                {
                    if (!seen.Contains(key))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingRequiredKey, root.Location, key, "a module manifest"));
                    }
                }
                // A binding's capability must be one the module requires: the bound module is its provider.
                if (bindingsMember is not null)
                {
                    foreach (var binding in bindings.ToArray())
                    {
                        if (!requires.Contains(binding.Capability))
                        {
                            diagnostics.Add(Malformed(bindingsMember.Value, "Binding", binding.Role, "its capability '" + binding.Capability + "' must be listed in requires"));
                            bindings.Remove(binding);
                        }
                    }
                }

                return new ManifestModel(
                    path,
                    module,
                    moduleLocation,
                    version,
                    layer,
                    requires.ToEquatableArray(),
                    provides.ToEquatableArray(),
                    hasConfigSchema,
                    configSchema,
                    configSchemaLocation,
                    health,
                    metrics,
                    description,
                    image,
                    workload,
                    bindings.ToEquatableArray());
            }

            private static void ReadBindings(JsonMember member, List<BindingModel> into, List<DiagnosticInfo> diagnostics)
            {
                if (member.Value.Kind != JsonKind.Object)
                {
                    diagnostics.Add(WrongType(member.Name, "an object of role → capability", member.Value));
                    return;
                }
                foreach (var role in member.Value.Members)
                {
                    if (role.Value.Kind != JsonKind.String)
                    {
                        diagnostics.Add(WrongType(role.Name, "a capability name", role.Value));
                        continue;
                    }
                    var capability = role.Value.Text!;
                    if (!Formats.IsDnsLabel(role.Name) || !char.IsLetter(role.Name[0]) || GeneratedNames.Pascal(role.Name) is null)
                    {
                        diagnostics.Add(Malformed(role.Value, "Binding role", role.Name, "a role is a DNS label starting with a letter, such as overlay"));
                        continue;
                    }
                    if (!Formats.IsDnsLabel(capability))
                    {
                        diagnostics.Add(Malformed(role.Value, "Capability", capability, "a capability name is a DNS label"));
                        continue;
                    }
                    into.Add(new BindingModel(role.Name, capability));
                }
            }

            /// <summary>Names whose PascalCase form is a type or file the generator emits anyway.</summary>
            private static bool IsReservedModuleName(string name) =>
                name is "flatracoon-modules" or "capabilities" or "environments" or "stack-defaults" or "all" or "register-all";

            private static void ReadCapabilities(JsonMember member, List<string> into, List<DiagnosticInfo> diagnostics)
            {
                if (member.Value.Kind != JsonKind.Array)
                {
                    diagnostics.Add(WrongType(member.Name, "an array of capability names", member.Value));
                    return;
                }
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var item in member.Value.Items)
                {
                    if (item.Kind != JsonKind.String)
                    {
                        diagnostics.Add(WrongType("an element of '" + member.Name + "'", "a capability name string", item));
                        continue;
                    }
                    var capability = item.Text!;
                    if (!Formats.IsDnsLabel(capability))
                    {
                        diagnostics.Add(Malformed(item, "Capability", capability, "a capability name is a DNS label: 1-63 lower-case letters, digits and '-', not starting or ending with '-'"));
                    }
                    else if (seen.Add(capability))
                    {
                        into.Add(capability);
                    }
                }
            }

            private static EndpointModel? ReadEndpoint(JsonMember member, List<DiagnosticInfo> diagnostics)
            {
                var value = member.Value;
                if (value.Kind == JsonKind.Null)
                {
                    return null;
                }
                if (value.Kind != JsonKind.Object)
                {
                    diagnostics.Add(WrongType(member.Name, "an object { \"port\": ..., \"path\": ... } or null", value));
                    return null;
                }
                int? port = null;
                string? path = null;
                var sawPort = false;
                var sawPath = false;
                foreach (var field in value.Members)
                {
                    switch (field.Name)
                    {
                        case "port":
                            sawPort = true;
                            if (field.Value.Kind != JsonKind.Number)
                            {
                                diagnostics.Add(WrongType("port", "an integer", field.Value));
                            }
                            else if (!TryGetInteger(field.Value, out var p))
                            {
                                diagnostics.Add(WrongType("port", "an integer", field.Value, "the number " + field.Value.Text));
                            }
                            else if (p < 1 || p > 65535)
                            {
                                diagnostics.Add(Malformed(field.Value, "Port", field.Value.Text!, "a port is 1-65535"));
                            }
                            else
                            {
                                port = (int)p;
                            }
                            break;
                        case "path":
                            sawPath = true;
                            if (ExpectString(field, diagnostics) is { } s)
                            {
                                if (s.StartsWith("/", StringComparison.Ordinal) && s.IndexOf(' ') < 0)
                                {
                                    path = s;
                                }
                                else
                                {
                                    diagnostics.Add(Malformed(field.Value, "Path", s, "an HTTP path starts with '/' and has no spaces, such as /health"));
                                }
                            }
                            break;
                        default:
                            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownKey, field.NameLocation, field.Name, "'" + member.Name + "' (known keys: port, path)"));
                            break;
                    }
                }
                if (!sawPort)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingRequiredKey, value.Location, "port", "'" + member.Name + "'"));
                }
                if (!sawPath)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingRequiredKey, value.Location, "path", "'" + member.Name + "'"));
                }
                return port is { } pp && path is not null ? new EndpointModel(pp, path) : null;
            }

            private static ImageModel? ReadImage(JsonMember member, List<DiagnosticInfo> diagnostics)
            {
                var value = member.Value;
                if (value.Kind != JsonKind.Object)
                {
                    diagnostics.Add(WrongType("image", "an object { \"repository\": ..., \"tag\": ... }", value));
                    return null;
                }
                string? repository = null, tag = null, digest = null;
                var sawRepository = false;
                var sawTag = false;
                foreach (var field in value.Members)
                {
                    switch (field.Name)
                    {
                        case "repository":
                            sawRepository = true;
                            if (ExpectString(field, diagnostics) is { } r)
                            {
                                if (IsImageRepository(r))
                                {
                                    repository = r;
                                }
                                else
                                {
                                    diagnostics.Add(Malformed(field.Value, "Image repository", r, "expected a repository such as docker.io/ipfs/kubo, without tag or digest"));
                                }
                            }
                            break;
                        case "tag":
                            sawTag = true;
                            if (ExpectString(field, diagnostics) is { } t)
                            {
                                if (IsImageTag(t))
                                {
                                    tag = t;
                                }
                                else
                                {
                                    diagnostics.Add(Malformed(field.Value, "Image tag", t, "a tag is 1-128 letters, digits, '_', '.' and '-', not starting with '.' or '-'"));
                                }
                            }
                            break;
                        case "digest":
                            if (ExpectString(field, diagnostics) is { } d)
                            {
                                if (IsDigest(d))
                                {
                                    digest = d;
                                }
                                else
                                {
                                    diagnostics.Add(Malformed(field.Value, "Image digest", d, "a digest is sha256: followed by 64 lower-case hex digits"));
                                }
                            }
                            break;
                        default:
                            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownKey, field.NameLocation, field.Name, "'image' (known keys: repository, tag, digest)"));
                            break;
                    }
                }
                if (!sawRepository)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingRequiredKey, value.Location, "repository", "'image'"));
                }
                if (!sawTag)
                {
                    diagnostics.Add(Malformed(value, "Image", repository ?? "(no repository)", "it has no tag; pin the image with \"tag\" (and optionally \"digest\")"));
                }
                return repository is not null && tag is not null ? new ImageModel(repository, tag, digest) : null;
            }

            private static bool IsImageRepository(string value)
            {
                if (value.Length == 0 || value.IndexOf('@') >= 0 || value.EndsWith("/", StringComparison.Ordinal) || value.StartsWith("/", StringComparison.Ordinal))
                {
                    return false;
                }
                foreach (var c in value)
                {
                    if (char.IsWhiteSpace(c) || char.IsUpper(c))
                    {
                        return false;
                    }
                }
                // A colon is only allowed as a registry port ("host:5000/path"), never as a tag.
                var colon = value.LastIndexOf(':');
                return colon < 0 || value.IndexOf('/', colon) > colon;
            }

            private static bool IsImageTag(string value)
            {
                if (value.Length == 0 || value.Length > 128 || value[0] == '.' || value[0] == '-')
                {
                    return false;
                }
                foreach (var c in value)
                {
                    if (!(char.IsLetterOrDigit(c) && c < 128) && c != '_' && c != '.' && c != '-')
                    {
                        return false;
                    }
                }
                return true;
            }

            private static bool IsDigest(string value)
            {
                const string prefix = "sha256:";
                if (!value.StartsWith(prefix, StringComparison.Ordinal) || value.Length != prefix.Length + 64)
                {
                    return false;
                }
                for (var i = prefix.Length; i < value.Length; i++)
                {
                    var c = value[i];
                    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
                    {
                        return false;
                    }
                }
                return true;
            }

            // ---------------------------------------------------------------- schemas

            private static SchemaModel? ReadSchemaFile(JsonNode root, List<DiagnosticInfo> diagnostics)
            {
                var node = ReadSchema(root, "the configuration schema", isRoot: true, diagnostics);
                if (node is null)
                {
                    return null;
                }
                if (node.Kind != SchemaKind.Object)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedSchemaConstruct, root.Location,
                        "A configuration schema must be \"type\": \"object\" with \"properties\"; this one is " + node.Kind.ToString().ToLowerInvariant()));
                }
                return new SchemaModel(node);
            }

            private static SchemaNode? ReadSchema(JsonNode node, string where, bool isRoot, List<DiagnosticInfo> diagnostics)
            {
                if (node.Kind != JsonKind.Object)
                {
                    diagnostics.Add(WrongType(where, "a schema object", node));
                    return null;
                }

                string? type = null, description = null, title = null, pattern = null, format = null;
                JsonMember? typeMember = null, enumMember = null, patternMember = null, formatMember = null, minimumMember = null,
                    maximumMember = null, itemsMember = null, propertiesMember = null, requiredMember = null, additionalMember = null, defaultMember = null;
                var enumValues = new List<string>();

                foreach (var member in node.Members)
                {
                    var value = member.Value;
                    switch (member.Name)
                    {
                        case "type":
                            typeMember = member;
                            if (value.Kind == JsonKind.Array)
                            {
                                Unsupported(diagnostics, value.Location, $"'{where}' lists several types; the generator supports exactly one \"type\" per schema (a setting that may be absent is simply not required)");
                            }
                            else if (ExpectString(member, diagnostics) is { } t)
                            {
                                if (t is "string" or "integer" or "number" or "boolean" or "array" or "object")
                                {
                                    type = t;
                                }
                                else
                                {
                                    Unsupported(diagnostics, value.Location, $"Type '{t}' of '{where}' is not supported; use string, integer, number, boolean, array or object");
                                }
                            }
                            break;
                        case "description":
                            description = ExpectString(member, diagnostics);
                            break;
                        case "title":
                            title = ExpectString(member, diagnostics);
                            break;
                        case "default":
                            defaultMember = member;
                            break;
                        case "enum":
                            enumMember = member;
                            break;
                        case "pattern":
                            patternMember = member;
                            if (ExpectString(member, diagnostics) is { } p)
                            {
                                try
                                {
                                    RegexCache.Get(p);
                                    pattern = p;
                                }
                                catch (ArgumentException e)
                                {
                                    Unsupported(diagnostics, value.Location, $"The pattern of '{where}' is not a valid regular expression: {e.Message}");
                                }
                            }
                            break;
                        case "format":
                            formatMember = member;
                            if (ExpectString(member, diagnostics) is { } f)
                            {
                                if (Formats.IsKnown(f))
                                {
                                    format = f;
                                }
                                else
                                {
                                    Unsupported(diagnostics, value.Location, $"Format '{f}' of '{where}' is unknown; known formats: {Formats.ZeroTierNetworkId}, {Formats.Ipv6Prefix}, {Formats.Ipv6Address}, {Formats.IpPrefix}, {Formats.DnsName}, {Formats.DnsLabel}, {Formats.Asn}, {Formats.SecretRef}, {Formats.Uri}");
                                }
                            }
                            break;
                        case "minimum":
                            minimumMember = ExpectNumber(member, diagnostics) ? member : null;
                            break;
                        case "maximum":
                            maximumMember = ExpectNumber(member, diagnostics) ? member : null;
                            break;
                        case "items":
                            itemsMember = member;
                            break;
                        case "properties":
                            if (value.Kind == JsonKind.Object)
                            {
                                propertiesMember = member;
                            }
                            else
                            {
                                diagnostics.Add(WrongType("properties", "an object of property schemas", value));
                            }
                            break;
                        case "required":
                            if (value.Kind == JsonKind.Array)
                            {
                                requiredMember = member;
                            }
                            else
                            {
                                diagnostics.Add(WrongType("required", "an array of property names", value));
                            }
                            break;
                        case "additionalProperties":
                            additionalMember = member;
                            break;
                        case "$schema":
                        case "$id":
                        case "$comment":
                            break;
                        default:
                            Unsupported(diagnostics, member.NameLocation, $"Schema keyword '{member.Name}' is not supported by the FlatRacoon generator; supported keywords: {SupportedKeywords}");
                            break;
                    }
                }

                if (typeMember is null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingRequiredKey, node.Location, "type", $"the schema of '{where}'"));
                    return null;
                }
                if (type is null)
                {
                    return null;
                }

                var kind = type switch
                {
                    "string" => SchemaKind.String,
                    "integer" => SchemaKind.Integer,
                    "number" => SchemaKind.Number,
                    "boolean" => SchemaKind.Boolean,
                    "array" => SchemaKind.Array,
                    _ => SchemaKind.Object,
                };

                // Keywords that do not apply to this type.
                NotFor(enumMember, kind != SchemaKind.String, "strings");
                NotFor(patternMember, kind != SchemaKind.String, "strings");
                NotFor(minimumMember, kind != SchemaKind.Integer && kind != SchemaKind.Number, "integers and numbers");
                NotFor(maximumMember, kind != SchemaKind.Integer && kind != SchemaKind.Number, "integers and numbers");
                NotFor(itemsMember, kind != SchemaKind.Array, "arrays");
                NotFor(propertiesMember, kind != SchemaKind.Object, "objects");
                NotFor(requiredMember, kind != SchemaKind.Object, "objects");
                NotFor(additionalMember, kind != SchemaKind.Object, "objects");
                if (formatMember is not null && format is not null)
                {
                    var fits = kind == SchemaKind.String || (kind == SchemaKind.Integer && format == Formats.Asn);
                    if (!fits)
                    {
                        Unsupported(diagnostics, formatMember.Value.Location, $"Format '{format}' applies to strings{(format == Formats.Asn ? " and integers" : "")}, not to '{where}' of type {type}");
                        format = null;
                    }
                }

                if (enumMember is not null && kind == SchemaKind.String)
                {
                    ReadEnum(enumMember, where, enumValues, diagnostics);
                }

                SchemaNode? items = null;
                if (kind == SchemaKind.Array)
                {
                    if (itemsMember is null)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingRequiredKey, node.Location, "items", $"the array schema of '{where}'"));
                        return null;
                    }
                    items = ReadSchema(itemsMember.Value, where + "[]", isRoot: false, diagnostics);
                    if (items is null)
                    {
                        return null;
                    }
                }

                var properties = new List<SchemaProperty>();
                var required = new List<string>();
                if (kind == SchemaKind.Object)
                {
                    if (additionalMember is not null)
                    {
                        var additional = additionalMember.Value;
                        if (additional.Kind == JsonKind.False)
                        {
                            // Closed objects are what the generator produces anyway.
                        }
                        else if (additional.Kind == JsonKind.Object)
                        {
                            var valueSchema = ReadSchema(additional, where + "{}", isRoot: false, diagnostics);
                            if (valueSchema is null)
                            {
                                return null;
                            }
                            if (valueSchema.Kind != SchemaKind.String || !valueSchema.Enum.IsEmpty || valueSchema.Format == Formats.SecretRef)
                            {
                                Unsupported(diagnostics, additional.Location, $"additionalProperties of '{where}' must be a plain string schema (a string map: optional description, pattern and format other than secret-ref)");
                            }
                            else if (propertiesMember is not null && !propertiesMember.Value.Members.IsEmpty)
                            {
                                Unsupported(diagnostics, additional.Location, $"'{where}' has both properties and additionalProperties; the generator supports one or the other");
                            }
                            else
                            {
                                kind = SchemaKind.Map;
                                items = valueSchema;
                            }
                        }
                        else
                        {
                            Unsupported(diagnostics, additional.Location, $"additionalProperties of '{where}' must be false or a string schema such as {{\"type\": \"string\"}} (a string map)");
                        }
                    }
                    if (propertiesMember is not null && kind == SchemaKind.Object)
                    {
                        foreach (var property in propertiesMember.Value.Members)
                        {
                            var childPath = isRoot ? property.Name : where + "." + property.Name;
                            var child = ReadSchema(property.Value, childPath, isRoot: false, diagnostics);
                            if (child is not null)
                            {
                                properties.Add(new SchemaProperty(property.Name, property.NameLocation, child));
                            }
                        }
                    }
                    if (requiredMember is not null)
                    {
                        var declared = new HashSet<string>(StringComparer.Ordinal);
                        if (propertiesMember is not null)
                        {
                            foreach (var property in propertiesMember.Value.Members)
                            {
                                declared.Add(property.Name);
                            }
                        }
                        foreach (var item in requiredMember.Value.Items)
                        {
                            if (item.Kind != JsonKind.String)
                            {
                                diagnostics.Add(WrongType("an element of 'required'", "a property name string", item));
                            }
                            else if (!declared.Contains(item.Text!))
                            {
                                Unsupported(diagnostics, item.Location, $"'{item.Text}' is listed in required but '{where}' has no such property");
                            }
                            else if (!required.Contains(item.Text!))
                            {
                                required.Add(item.Text!);
                            }
                        }
                    }
                }

                var needsLong = false;
                if (kind == SchemaKind.Integer)
                {
                    // ASNs go up to 4294967294.
                    needsLong = format == Formats.Asn
                        || OutsideInt32(minimumMember?.Value) || OutsideInt32(maximumMember?.Value) || OutsideInt32(defaultMember?.Value);
                }

                return new SchemaNode(
                    kind,
                    description,
                    title,
                    defaultMember?.Value,
                    enumValues.ToEquatableArray(),
                    pattern,
                    format,
                    minimumMember?.Value,
                    maximumMember?.Value,
                    needsLong,
                    items,
                    properties.ToEquatableArray(),
                    required.ToEquatableArray(),
                    node.Location);

                void NotFor(JsonMember? member, bool misplaced, string appliesTo)
                {
                    if (member is not null && misplaced)
                    {
                        Unsupported(diagnostics, member.NameLocation, $"'{member.Name}' applies only to {appliesTo}, not to '{where}' of type {type}");
                    }
                }
            }

            private static void ReadEnum(JsonMember member, string where, List<string> values, List<DiagnosticInfo> diagnostics)
            {
                if (member.Value.Kind != JsonKind.Array)
                {
                    diagnostics.Add(WrongType("enum", "an array of strings", member.Value));
                    return;
                }
                if (member.Value.Items.IsEmpty)
                {
                    Unsupported(diagnostics, member.Value.Location, $"The enum of '{where}' is empty");
                    return;
                }
                var names = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var item in member.Value.Items)
                {
                    if (item.Kind != JsonKind.String)
                    {
                        Unsupported(diagnostics, item.Location, $"The enum of '{where}' may hold only strings; {item.Describe()} is not supported");
                        continue;
                    }
                    var value = item.Text!;
                    var pascal = Names.ToPascalCase(value);
                    if (pascal is null)
                    {
                        Unsupported(diagnostics, item.Location, $"Enum value '{value}' of '{where}' has no letters or digits to make a C# name of");
                    }
                    else if (names.TryGetValue(pascal, out var other))
                    {
                        Unsupported(diagnostics, item.Location, other == value
                            ? $"The enum of '{where}' lists '{value}' twice"
                            : $"Enum values '{other}' and '{value}' of '{where}' both become the C# name '{pascal}'");
                    }
                    else
                    {
                        names.Add(pascal, value);
                        values.Add(value);
                    }
                }
            }

            private static bool OutsideInt32(JsonNode? value) =>
                value is { Kind: JsonKind.Number } && TryGetInteger(value, out var l) && (l < int.MinValue || l > int.MaxValue);

            // ---------------------------------------------------------------- helpers

            internal static bool TryGetInteger(JsonNode number, out long value)
            {
                value = 0;
                var text = number.Text ?? "";
                if (text.IndexOfAny(new[] { '.', 'e', 'E' }) < 0)
                {
                    return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
                }
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || double.IsInfinity(d)
                    || Math.Floor(d) != d || d < long.MinValue || d >= 9.2233720368547758E18)
                {
                    return false;
                }
                value = (long)d;
                return true;
            }

            internal static bool TryGetDouble(JsonNode number, out double value) =>
                double.TryParse(number.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !double.IsInfinity(value) && !double.IsNaN(value);

            private static string? ExpectString(JsonMember member, List<DiagnosticInfo> diagnostics, string expected = "a string")
            {
                if (member.Value.Kind == JsonKind.String)
                {
                    return member.Value.Text;
                }
                diagnostics.Add(WrongType(member.Name, expected, member.Value));
                return null;
            }

            private static bool ExpectNumber(JsonMember member, List<DiagnosticInfo> diagnostics)
            {
                if (member.Value.Kind == JsonKind.Number && TryGetDouble(member.Value, out _))
                {
                    return true;
                }
                diagnostics.Add(member.Value.Kind == JsonKind.Number
                    ? WrongType(member.Name, "a finite number", member.Value, "the number " + member.Value.Text)
                    : WrongType(member.Name, "a number", member.Value));
                return false;
            }

            internal static DiagnosticInfo WrongType(string what, string expected, JsonNode actual, string? actualDescription = null) =>
                DiagnosticInfo.Create(DiagnosticDescriptors.WrongValueType, actual.Location, what, expected, actualDescription ?? actual.Describe());

            private static DiagnosticInfo Malformed(JsonNode at, string what, string value, string why) =>
                DiagnosticInfo.Create(DiagnosticDescriptors.MalformedValue, at.Location, what, value, why);

            private static void Unsupported(List<DiagnosticInfo> diagnostics, LocationInfo location, string message) =>
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedSchemaConstruct, location, message));

            internal static int CountErrors(List<DiagnosticInfo> diagnostics)
            {
                var count = 0;
                foreach (var diagnostic in diagnostics)
                {
                    if (diagnostic.IsError)
                    {
                        count++;
                    }
                }
                return count;
            }
        }
    }
}

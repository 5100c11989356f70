using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using k8s.Models;

namespace FlatRacoon.Testing.Fake;

/// <summary>
/// The schemas of the OpenAPI documents the fake serves (<c>/openapi/v2</c> definitions and
/// <c>/openapi/v3</c> components.schemas), built from two sources, both recorded in the doc page:
/// the fields, their types and descriptions come from the generated models of the official C#
/// client (KubernetesClient, generated from the Kubernetes 1.33 OpenAPI document; descriptions from
/// its XML documentation); the Kubernetes extensions (<c>x-kubernetes-list-type</c>,
/// <c>x-kubernetes-list-map-keys</c>, <c>x-kubernetes-patch-strategy</c>,
/// <c>x-kubernetes-patch-merge-key</c>) and the required fields come from the table derived from the
/// Kubernetes OpenAPI document (<see cref="MergeSchema"/>). Schema names keep the client's type
/// names (<c>io.k8s.models.v1.DeploymentSpec</c>), not the API's Go package paths.
/// </summary>
internal static class OpenApiSchemas
{
    private static readonly Regex VersionedName = new("^(V\\d+(?:alpha\\d+|beta\\d+)?)([A-Z].*)$", RegexOptions.CultureInvariant);
    private const string IntOrStringName = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    private const string QuantityName = "io.k8s.apimachinery.pkg.api.resource.Quantity";

    private sealed record Facts(
        Dictionary<(Type, string), string> ListTypes,
        Dictionary<(Type, string), string> PatchStrategies,
        Dictionary<Type, SortedSet<string>> Required,
        Dictionary<Type, List<(string Group, string Version, string Kind)>> Kinds);

    private static readonly Lazy<Facts> TypeFacts = new(Collect);
    private static readonly Lazy<Dictionary<string, string>> Docs = new(LoadDocs);

    public static string SchemaName(Type type)
    {
        if (type == typeof(IntOrString))
        {
            return IntOrStringName;
        }
        if (type == typeof(ResourceQuantity))
        {
            return QuantityName;
        }
        var match = VersionedName.Match(type.Name);
        return match.Success ? $"io.k8s.models.{match.Groups[1].Value.ToLowerInvariant()}.{match.Groups[2].Value}" : $"io.k8s.models.{type.Name}";
    }

    /// <summary>The model type of each served kind that has one.</summary>
    public static IEnumerable<(FakeResource Resource, Type Type)> Roots(IEnumerable<FakeResource> resources) =>
        resources.Select(r => (r, KnownFields.KindType(MergeSchema.KindKey(r.GroupVersion, r.Kind)))).Where(p => p.Item2 is not null).Select(p => (p.r, p.Item2!));

    /// <summary>The schemas reachable from <paramref name="roots"/>, by name, with references under <paramref name="refPrefix"/>.</summary>
    public static JsonObject Schemas(IEnumerable<Type> roots, string refPrefix, bool v3)
    {
        var schemas = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var root in roots)
        {
            Add(root, schemas, refPrefix, v3);
        }
        return new JsonObject(schemas.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
    }

    private static void Add(Type type, SortedDictionary<string, JsonNode> schemas, string refPrefix, bool v3)
    {
        var name = SchemaName(type);
        if (schemas.ContainsKey(name))
        {
            return;
        }
        if (type == typeof(IntOrString))
        {
            schemas[name] = new JsonObject { ["description"] = "IntOrString is a type that can hold an int32 or a string.", ["type"] = "string", ["format"] = "int-or-string" };
            if (v3)
            {
                schemas[name]!["x-kubernetes-int-or-string"] = true;
            }
            return;
        }
        if (type == typeof(ResourceQuantity))
        {
            schemas[name] = new JsonObject { ["description"] = "Quantity is a fixed-point representation of a number.", ["type"] = "string" };
            return;
        }
        var schema = new JsonObject();
        schemas[name] = schema; // before the properties: a type may refer to itself (JSONSchemaProps)
        if (Docs.Value.TryGetValue("T:" + type.FullName, out var typeDoc))
        {
            schema["description"] = typeDoc;
        }
        schema["type"] = "object";
        var facts = TypeFacts.Value;
        if (facts.Required.TryGetValue(type, out var required))
        {
            schema["required"] = new JsonArray(required.Select(r => (JsonNode)r).ToArray());
        }
        var properties = new JsonObject();
        foreach (var (jsonName, property) in Properties(type).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var node = PropertySchema(property.PropertyType, schemas, refPrefix, v3);
            if (Docs.Value.TryGetValue($"P:{type.FullName}.{property.Name}", out var doc))
            {
                node["description"] = doc;
            }
            if (facts.ListTypes.TryGetValue((type, jsonName), out var listType) && node["type"]?.GetValue<string>() == "array")
            {
                node["x-kubernetes-list-type"] = listType.StartsWith("map:", StringComparison.Ordinal) ? "map" : listType;
                if (listType.StartsWith("map:", StringComparison.Ordinal))
                {
                    node["x-kubernetes-list-map-keys"] = new JsonArray(listType[4..].Split(',').Select(k => (JsonNode)k).ToArray());
                }
            }
            if (facts.PatchStrategies.TryGetValue((type, jsonName), out var strategy))
            {
                var parts = strategy.Split(':');
                node["x-kubernetes-patch-strategy"] = parts[0];
                if (parts.Length > 1)
                {
                    node["x-kubernetes-patch-merge-key"] = parts[1];
                }
            }
            properties[jsonName] = node;
        }
        schema["properties"] = properties;
        if (facts.Kinds.TryGetValue(type, out var kinds))
        {
            schema["x-kubernetes-group-version-kind"] = new JsonArray(kinds.Select(k => (JsonNode)new JsonObject { ["group"] = k.Group, ["kind"] = k.Kind, ["version"] = k.Version }).ToArray());
        }
    }

    private static JsonObject PropertySchema(Type type, SortedDictionary<string, JsonNode> schemas, string refPrefix, bool v3)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return new JsonObject { ["type"] = "string" };
        }
        if (type == typeof(int))
        {
            return new JsonObject { ["type"] = "integer", ["format"] = "int32" };
        }
        if (type == typeof(long))
        {
            return new JsonObject { ["type"] = "integer", ["format"] = "int64" };
        }
        if (type == typeof(double) || type == typeof(float))
        {
            return new JsonObject { ["type"] = "number", ["format"] = "double" };
        }
        if (type == typeof(bool))
        {
            return new JsonObject { ["type"] = "boolean" };
        }
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return new JsonObject { ["type"] = "string", ["format"] = "date-time" };
        }
        if (type == typeof(byte[]))
        {
            return new JsonObject { ["type"] = "string", ["format"] = "byte" };
        }
        if (type == typeof(IntOrString) || type == typeof(ResourceQuantity) || IsModel(type))
        {
            Add(type, schemas, refPrefix, v3);
            var reference = new JsonObject { ["$ref"] = refPrefix + SchemaName(type) };
            // OpenAPI v3 documents of the API server wrap references in allOf (so a description can sit beside them).
            return v3 ? new JsonObject { ["allOf"] = new JsonArray(reference) } : reference;
        }
        if (Element(type, typeof(IDictionary<,>)) is { } valueType)
        {
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = PropertySchema(valueType, schemas, refPrefix, v3) };
        }
        if (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) && Element(type, typeof(IEnumerable<>)) is { } itemType)
        {
            return new JsonObject { ["type"] = "array", ["items"] = PropertySchema(itemType, schemas, refPrefix, v3) };
        }
        // Free-form JSON (RawExtension, JSON): any object.
        return new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
    }

    private static bool IsModel(Type type) => type.Namespace == "k8s.Models" && type.IsClass && Properties(type).Count > 0;

    private static Type? Element(Type type, Type generic) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == generic ? type.GetGenericArguments()[^1]
        : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == generic)?.GetGenericArguments()[^1];

    private static Dictionary<string, PropertyInfo> Properties(Type type) => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Select(p => (Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name, Property: p))
        .Where(p => p.Name is not null)
        .GroupBy(p => p.Name!, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First().Property, StringComparer.Ordinal);

    /// <summary>Resolves the table's per-kind patterns (<c>spec.template.spec.containers[].ports</c>) to the model type and property they name.</summary>
    private static Facts Collect()
    {
        var facts = new Facts(new(), new(), new(), new());
        foreach (var kindKey in MergeSchema.Instance.KindKeys)
        {
            if (KnownFields.KindType(kindKey) is not { } root)
            {
                continue;
            }
            var parts = kindKey.Split('/');
            if (!facts.Kinds.TryGetValue(root, out var kinds))
            {
                facts.Kinds[root] = kinds = new();
            }
            kinds.Add((parts[0], parts[1], parts[2]));
            foreach (var (pattern, listType) in MergeSchema.Instance.Lists(kindKey))
            {
                if (Resolve(root, pattern) is { } at)
                {
                    facts.ListTypes[at] = listType;
                }
            }
            foreach (var (pattern, strategy) in MergeSchema.Instance.PatchStrategies(kindKey))
            {
                if (Resolve(root, pattern) is { } at && Properties(at.Item1).TryGetValue(at.Item2, out var property) && property.PropertyType != typeof(string))
                {
                    facts.PatchStrategies[at] = strategy;
                }
            }
            foreach (var pattern in MergeSchema.Instance.Required(kindKey))
            {
                if (Resolve(root, pattern) is { } at)
                {
                    if (!facts.Required.TryGetValue(at.Item1, out var set))
                    {
                        facts.Required[at.Item1] = set = new SortedSet<string>(StringComparer.Ordinal);
                    }
                    set.Add(at.Item2);
                }
            }
        }
        return facts;
    }

    private static (Type, string)? Resolve(Type root, string pattern)
    {
        var segments = pattern.Split('.');
        var type = root;
        for (var i = 0; i < segments.Length; i++)
        {
            var isList = segments[i].EndsWith("[]", StringComparison.Ordinal);
            var name = isList ? segments[i][..^2] : segments[i];
            if (!Properties(type).TryGetValue(name, out var property))
            {
                return null; // a field of v1.14 the v1.33 models no longer have
            }
            if (i == segments.Length - 1)
            {
                return (type, name);
            }
            var next = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (isList)
            {
                next = Element(next, typeof(IEnumerable<>)) ?? next;
            }
            type = next;
        }
        return null;
    }

    /// <summary>Summaries of the models from KubernetesClient.xml (filtered and embedded at build time when the package carries it).</summary>
    private static Dictionary<string, string> LoadDocs()
    {
        var docs = new Dictionary<string, string>(StringComparer.Ordinal);
        using var stream = typeof(OpenApiSchemas).Assembly.GetManifestResourceStream("FlatRacoon.FakeApiServer.kubernetes-model-descriptions.xml");
        if (stream is null)
        {
            return docs;
        }
        foreach (var member in XDocument.Load(stream).Descendants("member"))
        {
            if (member.Attribute("name")?.Value is { } name && member.Element("summary")?.Value is { Length: > 0 } summary)
            {
                docs[name] = summary;
            }
        }
        return docs;
    }
}

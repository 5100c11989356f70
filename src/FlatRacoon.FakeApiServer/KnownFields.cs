using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s.Models;

namespace FlatRacoon.Testing.Fake;

/// <summary>
/// Which fields each built-in kind declares, from the generated models of the official C# client
/// (KubernetesClient, generated from the Kubernetes OpenAPI document): what <c>fieldValidation</c>
/// checks an applied object against. Kinds without a model (custom resources) keep unknown fields,
/// as a CRD with <c>x-kubernetes-preserve-unknown-fields</c> does.
/// </summary>
internal static class KnownFields
{
    private static readonly Dictionary<string, Type> Kinds = typeof(V1Pod).Assembly.GetTypes()
        .Select(t => (Type: t, Entity: t.GetCustomAttribute<KubernetesEntityAttribute>()))
        .Where(p => p.Entity is not null && !p.Type.Name.EndsWith("List", StringComparison.Ordinal))
        .GroupBy(p => MergeSchema.KindKey(p.Entity!.Group.Length == 0 ? p.Entity.ApiVersion : $"{p.Entity.Group}/{p.Entity.ApiVersion}", p.Entity.Kind), StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First().Type, StringComparer.Ordinal);

    private static readonly Dictionary<Type, Dictionary<string, Type>> Properties = new();

    public static bool Knows(string kindKey) => Kinds.ContainsKey(kindKey);

    /// <summary>The model type of a kind (<c>apps/v1/Deployment</c>: V1Deployment), or null for kinds without one.</summary>
    public static Type? KindType(string kindKey) => Kinds.TryGetValue(kindKey, out var type) ? type : null;

    /// <summary>Removes the fields <paramref name="kindKey"/> does not declare from <paramref name="obj"/> and returns their paths (<c>spec.template.spec.containers[0].foo</c>).</summary>
    public static List<(string Path, string MergePath)> RemoveUnknown(JsonObject obj, string kindKey)
    {
        var unknown = new List<(string, string)>();
        if (Kinds.TryGetValue(kindKey, out var type))
        {
            Walk(obj, type, new Where("", "", "", kindKey), unknown);
        }
        return unknown;
    }

    /// <summary>Where the walk is: the path with indexes (as decoders print it), the path as structured-merge-diff prints it, and the schema pattern.</summary>
    private sealed record Where(string Path, string MergePath, string Pattern, string KindKey)
    {
        public Where Field(string key) => new(Path.Length == 0 ? key : Path + "." + key, MergePath + "." + key, Pattern.Length == 0 ? key : Pattern + "." + key, KindKey);

        public Where Item(int index, JsonNode? item)
        {
            var type = MergeSchema.Instance.ListType(KindKey, Pattern);
            var element = type.StartsWith("map:", StringComparison.Ordinal) && item is JsonObject o
                ? "[" + string.Join(",", type[4..].Split(',').OrderBy(k => k, StringComparer.Ordinal).Select(k => $"{k}={o[k]?.ToJsonString() ?? "null"}")) + "]"
                : type == "set" ? $"[={item?.ToJsonString()}]" : $"[{index}]";
            return new($"{Path}[{index}]", MergePath + element, Pattern + "[]", KindKey);
        }
    }

    private static Dictionary<string, Type> PropertiesOf(Type type)
    {
        lock (Properties)
        {
            if (!Properties.TryGetValue(type, out var map))
            {
                map = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Select(p => (Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name, p.PropertyType))
                    .Where(p => p.Name is not null)
                    .ToDictionary(p => p.Name!, p => p.PropertyType, StringComparer.Ordinal);
                Properties[type] = map;
            }
            return map;
        }
    }

    private static bool IsModel(Type type) => type.Namespace == "k8s.Models" && type.IsClass && PropertiesOf(type).Count > 0;

    private static Type? Element(Type type, Type generic) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == generic ? type.GetGenericArguments()[^1]
        : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == generic)?.GetGenericArguments()[^1];

    private static void Walk(JsonNode? node, Type type, Where path, List<(string, string)> unknown)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (node is JsonObject o && IsModel(type))
        {
            var properties = PropertiesOf(type);
            foreach (var (key, value) in o.ToList())
            {
                var childPath = path.Field(key);
                if (!properties.TryGetValue(key, out var propertyType))
                {
                    unknown.Add((childPath.Path, childPath.MergePath));
                    o.Remove(key);
                    continue;
                }
                Walk(value, propertyType, childPath, unknown);
            }
            return;
        }
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return;
        }
        if (node is JsonObject map && Element(type, typeof(IDictionary<,>)) is { } valueType)
        {
            foreach (var (key, value) in map.ToList())
            {
                Walk(value, valueType, path.Field(key), unknown);
            }
            return;
        }
        if (node is JsonArray array && Element(type, typeof(IEnumerable<>)) is { } itemType)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Walk(array[i], itemType, path.Item(i, array[i]), unknown);
            }
        }
    }
}

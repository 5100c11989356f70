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

    public static bool Knows(string kindKey) => Kinds.ContainsKey(kindKey);

    /// <summary>The model type of a kind (<c>apps/v1/Deployment</c>: V1Deployment), or null for kinds without one.</summary>
    public static Type? KindType(string kindKey) => Kinds.TryGetValue(kindKey, out var type) ? type : null;

    /// <summary>Removes the fields <paramref name="kindKey"/> does not declare from <paramref name="obj"/> and returns their paths (<c>spec.template.spec.containers[0].foo</c>).</summary>
    public static List<(string Path, string MergePath)> RemoveUnknown(JsonObject obj, string kindKey)
    {
        var unknown = new List<(string, string)>();
        if (Kinds.TryGetValue(kindKey, out var type))
        {
            Walk(obj, type, Where.Root(kindKey), unknown);
        }
        return unknown;
    }

    /// <summary>
    /// Where the walk is: the path with indexes (as decoders print it), the path as structured-merge-diff
    /// prints it, and the schema pattern. Made into text only for an unknown field (most objects have none).
    /// </summary>
    private sealed class Where
    {
        private readonly Where? _parent;
        private readonly string? _key;
        private readonly int _index;
        private readonly JsonNode? _item;
        private readonly string _kindKey;

        private Where(Where? parent, string? key, int index, JsonNode? item, string kindKey) =>
            (_parent, _key, _index, _item, _kindKey) = (parent, key, index, item, kindKey);

        public static Where Root(string kindKey) => new(null, null, 0, null, kindKey);

        public Where Field(string key) => new(this, key, 0, null, _kindKey);

        public Where Item(int index, JsonNode? item) => new(this, null, index, item, _kindKey);

        public string Path => _parent is null ? "" : _key is not null ? (_parent.Path.Length == 0 ? _key : _parent.Path + "." + _key) : $"{_parent.Path}[{_index}]";

        public string Pattern => _parent is null ? "" : _key is not null ? (_parent.Pattern.Length == 0 ? _key : _parent.Pattern + "." + _key) : _parent.Pattern + "[]";

        public string MergePath => _parent is null ? "" : _key is not null ? _parent.MergePath + "." + _key : _parent.MergePath + ItemElement();

        // An item as structured-merge-diff names it: by its keys in a map list, by value in a set, else by index.
        private string ItemElement()
        {
            var type = MergeSchema.Instance.ListType(_kindKey, _parent!.Pattern);
            return type.StartsWith("map:", StringComparison.Ordinal) && _item is JsonObject o
                ? "[" + string.Join(",", type[4..].Split(',').OrderBy(k => k, StringComparer.Ordinal).Select(k => $"{k}={o[k]?.ToJsonString() ?? "null"}")) + "]"
                : type == "set" ? $"[={_item?.ToJsonString()}]" : $"[{_index}]";
        }
    }

    /// <summary>A model's fields by JSON name (made once per type, for its <see cref="Shape"/>).</summary>
    private static Dictionary<string, Type> FieldsOf(Type type) => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Select(p => (Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name, p.PropertyType))
        .Where(p => p.Name is not null)
        .ToDictionary(p => p.Name!, p => p.PropertyType, StringComparer.Ordinal);

    /// <summary>What the walk needs of a model type: its fields (a model), its values' type (a map) or its items' type (a list); none for a scalar.</summary>
    private sealed record Shape(Dictionary<string, Type>? Fields, Type? Values, Type? Items);

    private static readonly Shape Scalar = new(null, null, null);

    // Read by concurrent applies (their checks run outside the store's lock): one lookup per node, no lock on a hit.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Shape> Shapes = new();

    private static Shape ShapeOf(Type type) => Shapes.GetOrAdd(type, static declared =>
    {
        var t = Nullable.GetUnderlyingType(declared) ?? declared;
        if (t.Namespace == "k8s.Models" && t.IsClass && FieldsOf(t) is { Count: > 0 } fields)
        {
            return new Shape(fields, null, null);
        }
        if (t == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(t))
        {
            return Scalar;
        }
        return new Shape(null, Element(t, typeof(IDictionary<,>)), Element(t, typeof(IEnumerable<>)));
    });

    private static Type? Element(Type type, Type generic) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == generic ? type.GetGenericArguments()[^1]
        : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == generic)?.GetGenericArguments()[^1];

    // Only objects and arrays are walked into: a scalar value has no fields to check.
    private static void Walk(JsonNode? node, Type type, Where path, List<(string, string)> unknown)
    {
        var shape = ShapeOf(type);
        if (node is JsonObject o && shape.Fields is { } fields)
        {
            List<string>? undeclared = null;
            foreach (var (key, value) in o)
            {
                if (!fields.TryGetValue(key, out var fieldType))
                {
                    var childPath = path.Field(key);
                    unknown.Add((childPath.Path, childPath.MergePath));
                    (undeclared ??= new()).Add(key);
                }
                else if (value is JsonObject or JsonArray)
                {
                    Walk(value, fieldType, path.Field(key), unknown);
                }
            }
            foreach (var key in undeclared ?? Enumerable.Empty<string>())
            {
                o.Remove(key);
            }
            return;
        }
        if (node is JsonObject map && shape.Values is { } valueType)
        {
            foreach (var (key, value) in map)
            {
                if (value is JsonObject or JsonArray)
                {
                    Walk(value, valueType, path.Field(key), unknown);
                }
            }
            return;
        }
        if (node is JsonArray array && shape.Items is { } itemType)
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is JsonObject or JsonArray)
                {
                    Walk(array[i], itemType, path.Item(i, array[i]), unknown);
                }
            }
        }
    }
}

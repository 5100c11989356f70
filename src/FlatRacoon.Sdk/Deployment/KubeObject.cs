using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlatRacoon.Deployment;

/// <summary>Helpers over Kubernetes objects held as JSON.</summary>
public static class KubeObject
{
    /// <summary>Fields the server owns: never diffed.</summary>
    public static readonly IReadOnlyList<string> ServerManagedMetadata = new[]
    {
        "managedFields", "resourceVersion", "uid", "generation", "creationTimestamp", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds",
    };

    /// <summary>apiVersion.</summary>
    public static string ApiVersion(JsonObject o) => o["apiVersion"]?.GetValue<string>() ?? "";
    /// <summary>kind.</summary>
    public static string Kind(JsonObject o) => o["kind"]?.GetValue<string>() ?? "";
    /// <summary>metadata.name.</summary>
    public static string Name(JsonObject o) => o["metadata"]?["name"]?.GetValue<string>() ?? "";
    /// <summary>metadata.namespace, or null.</summary>
    public static string? Namespace(JsonObject o) => o["metadata"]?["namespace"]?.GetValue<string>();
    /// <summary>API group of an apiVersion.</summary>
    public static string Group(string apiVersion) => apiVersion.IndexOf('/') is var i and >= 0 ? apiVersion[..i] : "";

    /// <summary>A label, or null.</summary>
    public static string? Label(JsonObject o, string key) => o["metadata"]?["labels"]?[key]?.GetValue<string>();
    /// <summary>An annotation, or null.</summary>
    public static string? Annotation(JsonObject o, string key) => o["metadata"]?["annotations"]?[key]?.GetValue<string>();

    /// <summary>The wave annotation, or <paramref name="fallback"/>.</summary>
    public static int Wave(JsonObject o, int fallback) =>
        int.TryParse(Annotation(o, Rendering.Labels.Wave), NumberStyles.Integer, CultureInfo.InvariantCulture, out var w) ? w : fallback;

    /// <summary>Identity independent of version: <c>group/Kind/namespace/name</c>.</summary>
    public static string Key(JsonObject o) => Key(Group(ApiVersion(o)), Kind(o), Namespace(o), Name(o));
    /// <summary>Identity from parts.</summary>
    public static string Key(string group, string kind, string? @namespace, string name) => $"{group}/{kind}/{@namespace}/{name}";

    /// <summary><c>Kind namespace/name</c>.</summary>
    public static string Display(JsonObject o) => Namespace(o) is { } ns ? $"{Kind(o)} {ns}/{Name(o)}" : $"{Kind(o)} {Name(o)}";

    /// <summary>
    /// <paramref name="o"/> as parsed JSON, made by the JSON writer and reader alone: the same element
    /// <c>JsonSerializer.SerializeToElement</c> gives, without the serializer's metadata, whose first use
    /// is a cold command's cost.
    /// </summary>
    internal static JsonElement Element(JsonObject o)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            o.WriteTo(writer);
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>A copy without server-managed metadata and status: what a diff compares.</summary>
    public static JsonObject Comparable(JsonObject o)
    {
        var copy = (JsonObject)o.DeepClone();
        copy.Remove("status");
        if (copy["metadata"] is JsonObject metadata)
        {
            foreach (var key in ServerManagedMetadata)
            {
                metadata.Remove(key);
            }
            if (metadata["annotations"] is JsonObject annotations)
            {
                annotations.Remove("kubectl.kubernetes.io/last-applied-configuration");
                if (annotations.Count == 0)
                {
                    metadata.Remove("annotations");
                }
            }
        }
        return copy;
    }

    /// <summary>Canonical text (object keys sorted) for hashing and equality.</summary>
    public static string Canonical(JsonNode? node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteCanonical(node, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// The UTF-8 bytes of <see cref="Canonical(JsonNode?)"/> into <paramref name="output"/>: compact JSON
    /// with object keys in ordinal order, strings escaped as System.Text.Json's default encoder does.
    /// </summary>
    internal static void WriteCanonical(JsonNode? node, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output);
        WriteCanonical(node, writer);
    }

    private static void WriteCanonical(JsonNode? node, Utf8JsonWriter writer)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject o:
                writer.WriteStartObject();
                var pairs = new KeyValuePair<string, JsonNode?>[o.Count];
                var n = 0;
                foreach (var pair in o)
                {
                    pairs[n++] = pair;
                }
                Array.Sort(pairs, static (a, b) => string.CompareOrdinal(a.Key, b.Key)); // keys are unique: no ties
                foreach (var pair in pairs)
                {
                    writer.WritePropertyName(pair.Key);
                    WriteCanonical(pair.Value, writer);
                }
                writer.WriteEndObject();
                break;
            case JsonArray a:
                writer.WriteStartArray();
                foreach (var item in a)
                {
                    WriteCanonical(item, writer);
                }
                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    /// <summary>Structural equality of JSON values (object key order ignored).</summary>
    public static bool Same(JsonNode? a, JsonNode? b)
    {
        var left = new ArrayBufferWriter<byte>();
        var right = new ArrayBufferWriter<byte>();
        WriteCanonical(a, left);
        WriteCanonical(b, right);
        return left.WrittenSpan.SequenceEqual(right.WrittenSpan);
    }
}

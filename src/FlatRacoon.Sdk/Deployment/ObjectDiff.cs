using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace FlatRacoon.Deployment;

/// <summary>One changed field: its path (<c>spec.replicas</c>, <c>spec.template.spec.containers[name=ipfs].image</c>) and values as JSON text (null when absent).</summary>
/// <param name="Path">The field.</param>
/// <param name="Before">Live value, or null when added.</param>
/// <param name="After">Value after apply, or null when removed.</param>
public sealed record FieldChange(string Path, string? Before, string? After);

/// <summary>Field-level diff of two objects; lists whose items all have a <c>name</c> are matched by name.</summary>
public static class ObjectDiff
{
    /// <summary>Placeholder shown for secret values.</summary>
    public const string Redacted = "\"(redacted)\"";

    /// <summary>Changes from <paramref name="before"/> to <paramref name="after"/>, secret values redacted.</summary>
    public static IReadOnlyList<FieldChange> Diff(JsonObject? before, JsonObject after)
    {
        var kind = KubeObject.Kind(after);
        var changes = new List<FieldChange>();
        Walk("", before, after, changes);
        return changes.Select(c => SecretRedactor.IsSecretValuePath(kind, c.Path)
            ? c with { Before = c.Before is null ? null : Redacted, After = c.After is null ? null : Redacted }
            : c).ToList();
    }

    private static void Walk(string path, JsonNode? before, JsonNode? after, List<FieldChange> changes)
    {
        if (before is JsonObject b && after is JsonObject a)
        {
            foreach (var key in b.Select(p => p.Key).Union(a.Select(p => p.Key), StringComparer.Ordinal).OrderBy(k => k, StringComparer.Ordinal))
            {
                Walk(Join(path, key), b[key], a[key], changes);
            }
            return;
        }
        if (before is JsonArray ba && after is JsonArray aa && Named(ba) && Named(aa))
        {
            var byName = ba.ToDictionary(n => n!["name"]!.GetValue<string>(), StringComparer.Ordinal);
            var names = ba.Select(n => n!["name"]!.GetValue<string>()).ToList();
            var afterNames = aa.Select(n => n!["name"]!.GetValue<string>()).ToList();
            if (!names.SequenceEqual(afterNames) && names.OrderBy(n => n, StringComparer.Ordinal).SequenceEqual(afterNames.OrderBy(n => n, StringComparer.Ordinal)))
            {
                changes.Add(new FieldChange(path + " (order)", string.Join(",", names), string.Join(",", afterNames)));
            }
            var afterByName = aa.ToDictionary(n => n!["name"]!.GetValue<string>(), StringComparer.Ordinal);
            foreach (var name in names.Union(afterNames, StringComparer.Ordinal))
            {
                Walk($"{path}[name={name}]", byName.GetValueOrDefault(name), afterByName.GetValueOrDefault(name), changes);
            }
            return;
        }
        if (before is null && after is JsonObject added && added.Count > 0)
        {
            foreach (var pair in added)
            {
                Walk(Join(path, pair.Key), null, pair.Value, changes);
            }
            return;
        }
        if (after is null && before is JsonObject removed && removed.Count > 0)
        {
            foreach (var pair in removed)
            {
                Walk(Join(path, pair.Key), pair.Value, null, changes);
            }
            return;
        }
        if (before is null || after is null ? !IsNull(before ?? after) : !KubeObject.Same(before, after))
        {
            changes.Add(new FieldChange(path, before?.ToJsonString(), after?.ToJsonString()));
        }
    }

    /// <summary>Whether a value is JSON null (or absent): one side of a created or removed field, compared without writing it out.</summary>
    private static bool IsNull(JsonNode? node) => node is null || node.GetValueKind() == System.Text.Json.JsonValueKind.Null;

    private static bool Named(JsonArray array) => array.Count > 0 && array.All(n => n is JsonObject o && o["name"] is JsonValue v && v.TryGetValue<string>(out _))
        && array.Select(n => n!["name"]!.GetValue<string>()).Distinct(StringComparer.Ordinal).Count() == array.Count;

    /// <summary>
    /// The changes of creating <paramref name="desired"/> (every field it sets), worked out when they are
    /// first read: the report of a plan reads them, an apply never does, so a new stack of thousands
    /// of objects does not pay for a list nobody looks at. The object must not change after this.
    /// </summary>
    internal static IReadOnlyList<FieldChange> Creation(JsonObject desired) => new WhenRead(() => Diff(null, KubeObject.Comparable(desired)));

    private sealed class WhenRead(Func<IReadOnlyList<FieldChange>> make) : IReadOnlyList<FieldChange>
    {
        private readonly Lazy<IReadOnlyList<FieldChange>> _changes = new(make);

        public FieldChange this[int index] => _changes.Value[index];

        public int Count => _changes.Value.Count;

        public IEnumerator<FieldChange> GetEnumerator() => _changes.Value.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    internal static string Join(string path, string key)
    {
        var simple = true;
        foreach (var c in key)
        {
            simple &= char.IsLetterOrDigit(c) || c == '_' || c == '-';
        }
        return simple ? (path.Length == 0 ? key : $"{path}.{key}") : $"{path}[\"{key}\"]";
    }
}

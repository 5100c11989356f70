using System;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlatRacoon.Deployment;

/// <summary>
/// Proves, without asking the API server, that a server-side apply of a desired object would change
/// nothing: every field the object declares already has that value live, and every field our field
/// manager owns (its <c>Apply</c> entry of <c>managedFields</c>) is still declared, so the apply
/// neither sets nor releases a field. When that cannot be proven (a value differs, a list changed
/// length, a field we own is no longer declared, we own nothing yet, a value is null) the plan asks the
/// server with a dry-run as before; this is only a shortcut for the common "nothing changed" case.
/// </summary>
internal static class ApplyNoOp
{
    /// <summary>Whether applying <paramref name="desired"/> as <paramref name="fieldManager"/> to <paramref name="live"/> is provably a no-op.</summary>
    public static bool Proven(JsonObject desired, JsonObject live, string fieldManager)
    {
        if (live["metadata"]?["managedFields"] is not JsonArray managed)
        {
            return false;
        }
        JsonObject? ours = null;
        foreach (var entry in managed.OfType<JsonObject>())
        {
            if (entry["manager"]?.GetValueKind() == JsonValueKind.String && entry["manager"]!.GetValue<string>() == fieldManager
                && entry["operation"]?.GetValueKind() == JsonValueKind.String && entry["operation"]!.GetValue<string>() == "Apply"
                && entry["subresource"] is null)
            {
                if (ours is not null || entry["fieldsV1"] is not JsonObject fields)
                {
                    return false;
                }
                ours = fields;
            }
        }
        return ours is not null && Subset(desired, live) && Declared(ours, desired);
    }

    /// <summary>Every field of <paramref name="desired"/> is in <paramref name="live"/> with the same value; lists have the same length and each item is a subset of the live item at its index.</summary>
    internal static bool Subset(JsonNode? desired, JsonNode? live)
    {
        switch (desired)
        {
            case null:
                return false; // a null item of a list: let the server say what it does
            case JsonObject d:
                if (live is not JsonObject l)
                {
                    return false;
                }
                foreach (var (key, value) in d)
                {
                    if (value is null)
                    {
                        // A null in an apply sets nothing: a no-op only when live has no value there either.
                        if (l.TryGetPropertyValue(key, out var present) && present is not null)
                        {
                            return false;
                        }
                        continue;
                    }
                    if (!l.TryGetPropertyValue(key, out var lv) || !Subset(value, lv))
                    {
                        return false;
                    }
                }
                return true;
            case JsonArray da:
                if (live is not JsonArray la || la.Count != da.Count)
                {
                    return false;
                }
                for (var i = 0; i < da.Count; i++)
                {
                    if (!Subset(da[i], la[i]))
                    {
                        return false;
                    }
                }
                return true;
            default:
                return live is JsonValue && JsonNode.DeepEquals(desired, live);
        }
    }

    /// <summary>Every path of the FieldsV1 set <paramref name="fields"/> names a field or item of <paramref name="desired"/>.</summary>
    internal static bool Declared(JsonObject fields, JsonNode? desired)
    {
        foreach (var (key, child) in fields)
        {
            if (key == ".")
            {
                continue;
            }
            JsonNode? next;
            if (key.StartsWith("f:", StringComparison.Ordinal))
            {
                if (desired is not JsonObject o || !o.TryGetPropertyValue(key[2..], out next))
                {
                    return false;
                }
            }
            else if (key.StartsWith("k:", StringComparison.Ordinal))
            {
                if (desired is not JsonArray a || Parse(key[2..]) is not JsonObject keys)
                {
                    return false;
                }
                next = a.FirstOrDefault(item => item is JsonObject io && keys.All(k => io.TryGetPropertyValue(k.Key, out var v) && JsonNode.DeepEquals(v, k.Value)));
                if (next is null)
                {
                    return false;
                }
            }
            else if (key.StartsWith("v:", StringComparison.Ordinal))
            {
                if (desired is not JsonArray a || Parse(key[2..]) is not { } value)
                {
                    return false;
                }
                next = a.FirstOrDefault(item => JsonNode.DeepEquals(item, value));
                if (next is null)
                {
                    return false;
                }
            }
            else if (key.StartsWith("i:", StringComparison.Ordinal))
            {
                if (desired is not JsonArray a || !int.TryParse(key.AsSpan(2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) || index >= a.Count)
                {
                    return false;
                }
                next = a[index];
            }
            else
            {
                return false;
            }
            if (child is JsonObject grandchildren && grandchildren.Count > 0 && !Declared(grandchildren, next))
            {
                return false;
            }
        }
        return true;
    }

    private static JsonNode? Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

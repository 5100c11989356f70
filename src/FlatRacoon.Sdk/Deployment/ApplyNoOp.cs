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
/// The live object is read as parsed (<see cref="JsonElement"/>), never turned into a tree of
/// <see cref="JsonNode"/>s: a plan of 10,000 unchanged objects reads each once and keeps nothing of it.
/// </summary>
internal static class ApplyNoOp
{
    /// <summary>
    /// Whether applying <paramref name="desired"/> as <paramref name="fieldManager"/> to <paramref name="live"/> is provably a no-op.
    /// <paramref name="listed"/> is the apiVersion and kind of the list <paramref name="live"/> came from: list items may omit theirs.
    /// </summary>
    public static bool Proven(JsonObject desired, JsonElement live, string fieldManager, (string ApiVersion, string Kind)? listed = null)
    {
        if (live.ValueKind != JsonValueKind.Object || !live.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object
            || !metadata.TryGetProperty("managedFields", out var managed) || managed.ValueKind != JsonValueKind.Array)
        {
            return false;
        }
        JsonElement? ours = null;
        foreach (var entry in managed.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.Object
                && entry.TryGetProperty("manager", out var manager) && manager.ValueKind == JsonValueKind.String && manager.ValueEquals(fieldManager)
                && entry.TryGetProperty("operation", out var operation) && operation.ValueKind == JsonValueKind.String && operation.ValueEquals("Apply")
                && !(entry.TryGetProperty("subresource", out var subresource) && subresource.ValueKind != JsonValueKind.Null))
            {
                if (ours is not null || !entry.TryGetProperty("fieldsV1", out var fields) || fields.ValueKind != JsonValueKind.Object)
                {
                    return false;
                }
                ours = fields;
            }
        }
        return ours is { } owned && Subset(desired, live, listed) && Declared(owned, desired);
    }

    /// <summary>
    /// Every field of <paramref name="desired"/> is in <paramref name="live"/> with the same value; lists have the same length and
    /// each item is a subset of the live item at its index. At the top, a missing (or null) apiVersion or kind of a listed item is the list's.
    /// </summary>
    private static bool Subset(JsonObject desired, JsonElement live, (string ApiVersion, string Kind)? listed)
    {
        foreach (var (key, value) in desired)
        {
            if (listed is { } list && key is "apiVersion" or "kind"
                && (!live.TryGetProperty(key, out var own) || own.ValueKind == JsonValueKind.Null))
            {
                if (value is not JsonValue v || !v.TryGetValue<string>(out var text) || text != (key == "apiVersion" ? list.ApiVersion : list.Kind))
                {
                    return false;
                }
                continue;
            }
            if (!Field(key, value, live))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Field <paramref name="key"/> of a desired object, <paramref name="value"/>, against the live object <paramref name="live"/>.</summary>
    private static bool Field(string key, JsonNode? value, JsonElement live)
    {
        if (value is null)
        {
            // A null in an apply sets nothing: a no-op only when live has no value there either.
            return !live.TryGetProperty(key, out var present) || present.ValueKind == JsonValueKind.Null;
        }
        return live.TryGetProperty(key, out var lv) && Subset(value, lv);
    }

    /// <summary>The same rule for any desired value against a live value.</summary>
    private static bool Subset(JsonNode? desired, JsonElement live)
    {
        switch (desired)
        {
            case null:
                return false; // a null item of a list: let the server say what it does
            case JsonObject d:
                if (live.ValueKind != JsonValueKind.Object)
                {
                    return false;
                }
                foreach (var (key, value) in d)
                {
                    if (!Field(key, value, live))
                    {
                        return false;
                    }
                }
                return true;
            case JsonArray da:
                if (live.ValueKind != JsonValueKind.Array || live.GetArrayLength() != da.Count)
                {
                    return false;
                }
                var i = 0;
                foreach (var item in live.EnumerateArray())
                {
                    if (!Subset(da[i++], item))
                    {
                        return false;
                    }
                }
                return true;
            default:
                return SameValue(desired, live);
        }
    }

    /// <summary>A desired scalar and a live value: equal as <see cref="JsonNode.DeepEquals"/> says (strings and booleans compared in place).</summary>
    private static bool SameValue(JsonNode desired, JsonElement live)
    {
        if (live.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined or JsonValueKind.Object or JsonValueKind.Array)
        {
            return false; // a live null (or absent value) or a container is no scalar's equal
        }
        if (desired is JsonValue value && value.TryGetValue<string>(out var text))
        {
            return live.ValueKind == JsonValueKind.String && live.ValueEquals(text);
        }
        var kind = desired.GetValueKind();
        return kind is JsonValueKind.True or JsonValueKind.False ? live.ValueKind == kind : JsonNode.DeepEquals(desired, JsonValue.Create(live));
    }

    /// <summary>Every path of the FieldsV1 set <paramref name="fields"/> names a field or item of <paramref name="desired"/>.</summary>
    private static bool Declared(JsonElement fields, JsonNode? desired)
    {
        foreach (var field in fields.EnumerateObject())
        {
            if (field.NameEquals("."))
            {
                continue;
            }
            var key = field.Name;
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
            if (field.Value.ValueKind == JsonValueKind.Object && HasFields(field.Value) && !Declared(field.Value, next))
            {
                return false;
            }
        }
        return true;
    }

    private static bool HasFields(JsonElement o)
    {
        using var fields = o.EnumerateObject();
        return fields.MoveNext();
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

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;

namespace FlatRacoon.Testing.Fake;

/// <summary>
/// The three patch formats of <c>PATCH</c> besides server-side apply
/// (https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/):
/// JSON patch (RFC 6902), JSON merge patch (RFC 7386) and strategic merge patch, whose list
/// strategies come from the OpenAPI document's <c>x-kubernetes-patch-strategy</c> and
/// <c>x-kubernetes-patch-merge-key</c> (<see cref="MergeSchema.PatchStrategy"/>).
/// </summary>
internal static class Patches
{
    /// <summary>A patch that cannot be applied (the API server answers 422 or 400 with the message).</summary>
    public sealed class PatchException(string message) : Exception(message);

    public const string JsonPatch = "application/json-patch+json";
    public const string MergePatch = "application/merge-patch+json";
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";

    // ------------------------------------------------------------------ RFC 7386

    public static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }
        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = Merge(result[key], value);
            }
        }
        return result;
    }

    // ------------------------------------------------------------------ RFC 6902

    public static JsonNode Json(JsonNode document, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw new PatchException("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        }
        var root = new JsonObject { ["doc"] = document.DeepClone() };
        foreach (var op in operations)
        {
            if (op is not JsonObject o || o["op"]?.GetValue<string>() is not { } name)
            {
                throw new PatchException("unexpected kind of operation: missing op");
            }
            var path = Pointer(o["path"]?.GetValue<string>() ?? throw new PatchException($"{name} operation: missing path"));
            switch (name)
            {
                case "add":
                    Add(root, path, (o["value"] ?? throw new PatchException("add operation does not apply: doc is missing value")).DeepClone(), name);
                    break;
                case "remove":
                    Remove(root, path, name);
                    break;
                case "replace":
                    Remove(root, path, name);
                    Add(root, path, (o["value"] ?? throw new PatchException("replace operation: missing value")).DeepClone(), name);
                    break;
                case "move":
                {
                    var from = Pointer(o["from"]?.GetValue<string>() ?? throw new PatchException("move operation: missing from"));
                    Add(root, path, Remove(root, from, name), name);
                    break;
                }
                case "copy":
                {
                    var from = Pointer(o["from"]?.GetValue<string>() ?? throw new PatchException("copy operation: missing from"));
                    Add(root, path, (Find(root, from) ?? throw new PatchException($"copy operation does not apply: doc is missing from path: {o["from"]}")).DeepClone(), name);
                    break;
                }
                case "test":
                    if (!JsonNode.DeepEquals(Find(root, path), o["value"]))
                    {
                        throw new PatchException($"testing value {o["path"]} failed: test failed");
                    }
                    break;
                default:
                    throw new PatchException($"Unexpected kind: {name}");
            }
        }
        return root["doc"]!;
    }

    private static string[] Pointer(string pointer)
    {
        if (pointer.Length > 0 && pointer[0] != '/')
        {
            throw new PatchException($"JSON pointer must be empty or start with a \"/\": {pointer}");
        }
        return new[] { "doc" }.Concat(pointer.Length == 0 ? Array.Empty<string>() : pointer[1..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))).ToArray();
    }

    private static JsonNode? Find(JsonObject root, string[] path)
    {
        JsonNode? node = root;
        foreach (var segment in path)
        {
            node = node switch
            {
                JsonObject o => o[segment],
                JsonArray a when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }
        return node;
    }

    private static string Text(string[] path) => "/" + string.Join('/', path.Skip(1));

    private static void Add(JsonObject root, string[] path, JsonNode? value, string op)
    {
        var parent = Find(root, path[..^1]) ?? throw new PatchException($"{op} operation does not apply: doc is missing path: \"{Text(path)}\": missing value");
        var last = path[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw new PatchException($"{op} operation does not apply: doc is missing path: \"{Text(path)}\": missing value");
        }
    }

    private static JsonNode? Remove(JsonObject root, string[] path, string op)
    {
        var parent = Find(root, path[..^1]);
        var last = path[^1];
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
            {
                var value = o[last];
                o.Remove(last);
                return value;
            }
            case JsonArray a when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count:
            {
                var value = a[i];
                a.RemoveAt(i);
                return value;
            }
            default:
                throw new PatchException($"{op} operation does not apply: doc is missing path: \"{Text(path)}\": missing value");
        }
    }

    // ------------------------------------------------------------------ strategic merge patch

    /// <summary>
    /// A strategic merge patch (https://github.com/kubernetes/community/blob/master/contributors/devel/sig-api-machinery/strategic-merge-patch.md):
    /// maps merge key by key (null deletes); a list whose strategy is <c>merge</c> with a merge key merges item by
    /// item on that key (<c>$patch: delete</c> removes an item), <c>merge</c> without a key adds primitives
    /// (<c>$deleteFromPrimitiveList/f</c> removes them), any other list is replaced; <c>$setElementOrder/f</c>
    /// orders a merged list, <c>$retainKeys</c> clears the keys it does not name, <c>$patch: replace</c> replaces.
    /// </summary>
    public static JsonObject Strategic(JsonObject original, JsonObject patch, string kindKey) =>
        MergeMap((JsonObject)original.DeepClone(), patch, "", kindKey) ?? new JsonObject();

    private static JsonObject? MergeMap(JsonObject original, JsonObject patch, string pattern, string kindKey)
    {
        switch (patch["$patch"]?.GetValue<string>())
        {
            case "replace":
                return (JsonObject?)Clean(patch);
            case "delete":
                return null;
            case { } other:
                throw new PatchException($"Unknown patch type: {other} in map: {patch.ToJsonString()}");
        }
        if (patch["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(k => k!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            foreach (var key in original.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                original.Remove(key);
            }
        }
        foreach (var (key, value) in patch)
        {
            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var field = key["$deleteFromPrimitiveList/".Length..];
                if (original[field] is JsonArray list && value is JsonArray remove)
                {
                    foreach (var item in list.Where(i => remove.Any(r => JsonNode.DeepEquals(r, i))).ToList())
                    {
                        list.Remove(item);
                    }
                }
                continue;
            }
            if (key.StartsWith('$'))
            {
                continue;
            }
            var childPattern = pattern.Length == 0 ? key : pattern + "." + key;
            if (value is null)
            {
                original.Remove(key);
            }
            else if (value is JsonObject patchChild && original[key] is JsonObject originalChild)
            {
                var merged = MergeMap(originalChild, patchChild, childPattern, kindKey);
                if (merged is null)
                {
                    original.Remove(key);
                }
                else if (!ReferenceEquals(merged, originalChild))
                {
                    original[key] = merged;
                }
            }
            else if (value is JsonArray patchList && original[key] is JsonArray originalList)
            {
                original[key] = MergeList(originalList, patchList, childPattern, kindKey);
            }
            else
            {
                original[key] = value is JsonArray a ? MergeList(new JsonArray(), a, childPattern, kindKey) : Clean(value);
            }
        }
        foreach (var (key, value) in patch.Where(p => p.Key.StartsWith("$setElementOrder/", StringComparison.Ordinal)).ToList())
        {
            var field = key["$setElementOrder/".Length..];
            if (original[field] is JsonArray list && value is JsonArray order)
            {
                var strategy = MergeKey(kindKey, pattern.Length == 0 ? field : pattern + "." + field);
                var items = list.ToList();
                int Rank(JsonNode? item)
                {
                    for (var i = 0; i < order.Count; i++)
                    {
                        if (strategy is { } mergeKey ? JsonNode.DeepEquals(order[i]?[mergeKey], item?[mergeKey]) : JsonNode.DeepEquals(order[i], item))
                        {
                            return i;
                        }
                    }
                    return order.Count;
                }
                var sorted = items.Select((item, index) => (item, index)).OrderBy(p => Rank(p.item)).ThenBy(p => p.index).Select(p => p.item?.DeepClone()).ToArray();
                original[field] = new JsonArray(sorted);
            }
        }
        return original;
    }

    private static string? MergeKey(string kindKey, string pattern) =>
        MergeSchema.Instance.PatchStrategy(kindKey, pattern) is { } strategy && strategy.Split(':') is [var kinds, var key] && kinds.Split(',').Contains("merge") ? key : null;

    private static JsonArray MergeList(JsonArray original, JsonArray patch, string pattern, string kindKey)
    {
        var strategy = MergeSchema.Instance.PatchStrategy(kindKey, pattern);
        var merge = strategy is not null && strategy.Split(':')[0].Split(',').Contains("merge");
        if (patch.Any(i => i is JsonObject o && o["$patch"]?.GetValue<string>() == "replace"))
        {
            return new JsonArray(patch.Where(i => !(i is JsonObject o && o["$patch"] is not null)).Select(Clean).ToArray());
        }
        if (!merge)
        {
            return new JsonArray(patch.Select(Clean).ToArray());
        }
        var result = new JsonArray(original.Select(i => i?.DeepClone()).ToArray());
        var key = MergeKey(kindKey, pattern);
        foreach (var item in patch)
        {
            if (key is null)
            {
                if (!result.Any(r => JsonNode.DeepEquals(r, item)))
                {
                    result.Add(Clean(item));
                }
                continue;
            }
            if (item is not JsonObject patchItem)
            {
                throw new PatchException($"map: {item?.ToJsonString()} does not contain declared merge key: {key}");
            }
            var keyValue = patchItem[key] ?? throw new PatchException($"map: {patchItem.ToJsonString()} does not contain declared merge key: {key}");
            var index = -1;
            for (var i = 0; i < result.Count; i++)
            {
                if (JsonNode.DeepEquals(result[i]?[key], keyValue))
                {
                    index = i;
                    break;
                }
            }
            if (patchItem["$patch"]?.GetValue<string>() == "delete")
            {
                if (index >= 0)
                {
                    result.RemoveAt(index);
                }
                continue;
            }
            if (index < 0)
            {
                result.Add(Clean(patchItem));
            }
            else
            {
                result[index] = MergeMap((JsonObject)result[index]!.DeepClone(), patchItem, pattern + "[]", kindKey);
            }
        }
        return result;
    }

    /// <summary>A copy of <paramref name="node"/> without patch directives.</summary>
    private static JsonNode? Clean(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Where(p => !p.Key.StartsWith('$')).Select(p => KeyValuePair.Create(p.Key, Clean(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Clean).ToArray()),
        _ => node?.DeepClone(),
    };
}

using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace FlatRacoon.Modules;

/// <summary>Small typed reads of a module's JSON configuration (snake_case keys).</summary>
internal static class ConfigReader
{
    public static string? String(JsonElement element, string key) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static long? Long(JsonElement element, string key) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    public static bool? Bool(JsonElement element, string key) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(key, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    public static IEnumerable<JsonElement> Array(JsonElement element, string key) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().ToList()
            : Enumerable.Empty<JsonElement>();

    public static IReadOnlyList<string> Strings(JsonElement element, string key) =>
        Array(element, key).Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList();
}

using System.Text.Json.Nodes;

namespace FlatRacoon.Testing.Fake;

/// <summary>
/// The few object accessors the fake needs. Deliberately its own (not the SDK's KubeObject): the fake
/// must not share code, and so bugs, with the engine it is used to test.
/// </summary>
internal static class FakeJson
{
    private static readonly string[] ServerManagedMetadata =
    {
        "managedFields", "resourceVersion", "uid", "generation", "creationTimestamp", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds",
    };

    public static string ApiVersion(JsonObject o) => o["apiVersion"]?.GetValue<string>() ?? "";
    public static string Kind(JsonObject o) => o["kind"]?.GetValue<string>() ?? "";
    public static string Name(JsonObject o) => o["metadata"]?["name"]?.GetValue<string>() ?? "";
    public static string? Namespace(JsonObject o) => o["metadata"]?["namespace"]?.GetValue<string>();

    /// <summary>Identity independent of version: <c>group/Kind/namespace/name</c> (the same key the engine uses).</summary>
    public static string Key(JsonObject o)
    {
        var apiVersion = ApiVersion(o);
        var group = apiVersion.IndexOf('/') is var i and >= 0 ? apiVersion[..i] : "";
        return $"{group}/{Kind(o)}/{Namespace(o)}/{Name(o)}";
    }

    /// <summary>A copy without server-managed metadata and status.</summary>
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
        }
        return copy;
    }
}

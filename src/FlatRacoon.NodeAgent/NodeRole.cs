using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace FlatRacoon.NodeAgent;

/// <summary>A taint as the node role file and the Node API write it.</summary>
/// <param name="Key">Taint key.</param>
/// <param name="Value">Value ("" for none).</param>
/// <param name="Effect">NoSchedule, PreferNoSchedule or NoExecute.</param>
public sealed record NodeTaint(string Key, string Value, string Effect);

/// <summary>
/// The node role file the flatracoon-os Ignition writes to <c>/etc/flatracoon/node-role.json</c>:
/// <c>role</c>, <c>labels</c> (an object) and <c>taints</c> (key, value, effect).
/// </summary>
/// <param name="Role">The role's name.</param>
/// <param name="Labels">Labels the node must carry.</param>
/// <param name="Taints">Taints the node must carry.</param>
public sealed record NodeRole(string Role, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<NodeTaint> Taints)
{
    /// <summary>Label and taint key prefixes the agent keeps exactly as configured.</summary>
    public static readonly string[] ManagedPrefixes = { "flatracoon.io/", "node-role.kubernetes.io/" };

    private static readonly string[] Effects = { "NoSchedule", "PreferNoSchedule", "NoExecute" };

    /// <summary>Whether <paramref name="key"/> is under a managed prefix.</summary>
    public static bool IsManaged(string key) => ManagedPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal));

    /// <summary>Parses a role file; throws <see cref="FormatException"/> with one line when it is not one.</summary>
    public static NodeRole Parse(string json, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String)
            {
                throw new FormatException($"{source}: 'role' is missing or not a string.");
            }
            var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("labels", out var l))
            {
                if (l.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException($"{source}: 'labels' is not an object.");
                }
                foreach (var label in l.EnumerateObject())
                {
                    labels[label.Name] = label.Value.ValueKind == JsonValueKind.String ? label.Value.GetString()! : throw new FormatException($"{source}: label '{label.Name}' is not a string.");
                }
            }
            var taints = new List<NodeTaint>();
            if (root.TryGetProperty("taints", out var t))
            {
                if (t.ValueKind != JsonValueKind.Array)
                {
                    throw new FormatException($"{source}: 'taints' is not a list.");
                }
                foreach (var taint in t.EnumerateArray())
                {
                    string Field(string name, string? fallback) => taint.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
                        ? v.GetString()!
                        : fallback ?? throw new FormatException($"{source}: a taint has no '{name}'.");
                    var effect = Field("effect", "NoSchedule");
                    if (Array.IndexOf(Effects, effect) < 0)
                    {
                        throw new FormatException($"{source}: taint effect '{effect}' is not one of {string.Join(", ", Effects)}.");
                    }
                    taints.Add(new NodeTaint(Field("key", null), Field("value", ""), effect));
                }
            }
            return new NodeRole(role.GetString()!, labels, taints);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: not JSON ({e.Message})", e);
        }
    }
}

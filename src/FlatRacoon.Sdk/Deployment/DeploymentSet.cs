using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FlatRacoon.Rendering;
using k8s;

namespace FlatRacoon.Deployment;

/// <summary>One object to deploy, as JSON, with its module and wave.</summary>
/// <param name="Module">Owning module (or <see cref="ManifestSet.StackFolder"/>).</param>
/// <param name="Wave">Apply wave (0: namespaces, CRDs and the ApplySet parent).</param>
/// <param name="Body">The object.</param>
public sealed record DesiredObject(string Module, int Wave, JsonObject Body)
{
    /// <summary>Identity (<see cref="KubeObject.Key(JsonObject)"/>).</summary>
    public string Key { get; } = KubeObject.Key(Body);
    /// <summary><c>Kind namespace/name</c>.</summary>
    public string Display => KubeObject.Display(Body);
    /// <summary>Kind.</summary>
    public string Kind => KubeObject.Kind(Body);
}

/// <summary>
/// What one apply deploys: the rendered objects as JSON in apply order, the ApplySet they belong
/// to and its parent. Built from a <see cref="ManifestSet"/> or from a stored revision.
/// </summary>
public sealed class DeploymentSet
{
    /// <summary>Creates a set; the parent is the object labelled with <c>applyset.kubernetes.io/id</c>.</summary>
    public DeploymentSet(string stackName, string applySetId, IEnumerable<DesiredObject> objects)
    {
        StackName = stackName;
        ApplySetId = applySetId;
        // Namespaces and CRDs go first in their wave: what follows may need them.
        Objects = objects
            .Select((o, i) => (o, i))
            .OrderBy(p => p.o.Wave)
            .ThenBy(p => p.o.Kind switch { "Namespace" => 0, "CustomResourceDefinition" => 1, _ => 2 })
            .ThenBy(p => p.i)
            .Select(p => p.o)
            .ToImmutableArray();
        Parent = Objects.FirstOrDefault(o => KubeObject.Label(o.Body, Labels.ApplySetId) == applySetId)
            ?? throw new ArgumentException($"The set has no ApplySet parent labelled {Labels.ApplySetId}={applySetId}.", nameof(objects));
        var duplicate = Objects.GroupBy(o => o.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"{duplicate.First().Display} is in the set twice.", nameof(objects));
        }
        Redactor = SecretRedactor.For(Objects.Select(o => o.Body));
    }

    /// <summary>The stack's name.</summary>
    public string StackName { get; }
    /// <summary>The ApplySet id.</summary>
    public string ApplySetId { get; }
    /// <summary>Objects in apply order.</summary>
    public ImmutableArray<DesiredObject> Objects { get; }
    /// <summary>The ApplySet parent (a ConfigMap in flatracoon-system).</summary>
    public DesiredObject Parent { get; }
    /// <summary>Hides the set's secret values in any text.</summary>
    public SecretRedactor Redactor { get; }
    /// <summary>Number of waves, wave 0 included.</summary>
    public int WaveCount => Objects.IsEmpty ? 0 : Objects.Max(o => o.Wave) + 1;

    /// <summary>The members: everything but the parent and unlabelled stack-wide objects.</summary>
    public IEnumerable<DesiredObject> Members => Objects.Where(o => KubeObject.Label(o.Body, Labels.ApplySetPartOf) == ApplySetId);

    /// <summary>The set of a render.</summary>
    public static DeploymentSet From(ManifestSet manifest) => new(manifest.Stack.Name, manifest.ApplySetId,
        manifest.Objects.Select(o => new DesiredObject(o.Module, o.Wave, ToJson(o.Object))));

    /// <summary>A Kubernetes model object as JSON.</summary>
    public static JsonObject ToJson(IKubernetesObject obj) => (JsonObject)JsonNode.Parse(KubernetesJson.Serialize(obj))!;

    /// <summary>A name for a wave in words: "namespaces" for wave 0, else its modules' layers.</summary>
    public string WaveName(int wave)
    {
        if (wave == 0)
        {
            return "namespaces";
        }
        var layers = Objects.Where(o => o.Wave == wave)
            .Select(o => KubeObject.Label(o.Body, Labels.Layer))
            .Where(l => l is not null)
            .Distinct(StringComparer.Ordinal)
            .OrderBy(l => l, StringComparer.Ordinal)
            .ToArray();
        return layers.Length == 0 ? $"wave {wave}" : string.Join("+", layers);
    }

    /// <summary>SHA-256 of the canonical JSON of every object, in order: equal sets have equal hashes.</summary>
    public string Hash()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var o in Objects)
        {
            sha.AppendData(Encoding.UTF8.GetBytes($"{o.Module}\n{o.Wave}\n{KubeObject.Canonical(o.Body)}\n"));
        }
        return "sha256:" + Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
    }

    /// <summary>Serializes the set (for revisions).</summary>
    public JsonObject ToStored() => new()
    {
        ["stack"] = StackName,
        ["applySetId"] = ApplySetId,
        ["objects"] = new JsonArray(Objects.Select(o => (JsonNode)new JsonObject
        {
            ["module"] = o.Module,
            ["wave"] = o.Wave,
            ["object"] = o.Body.DeepClone(),
        }).ToArray()),
    };

    /// <summary>Reads a set written by <see cref="ToStored"/>.</summary>
    public static DeploymentSet FromStored(JsonObject stored) => new(
        stored["stack"]!.GetValue<string>(),
        stored["applySetId"]!.GetValue<string>(),
        stored["objects"]!.AsArray().Select(n => new DesiredObject(n!["module"]!.GetValue<string>(), n["wave"]!.GetValue<int>(), (JsonObject)n["object"]!.DeepClone())));
}

/// <summary>Replaces the set's secret values (Secret data, base64 and decoded, and stringData) with "(redacted)".</summary>
public sealed class SecretRedactor
{
    private readonly string[] _values;

    private SecretRedactor(IEnumerable<string> values) =>
        _values = values.Where(v => v.Length >= 4).Distinct(StringComparer.Ordinal).OrderByDescending(v => v.Length).ToArray();

    /// <summary>A redactor for the secret values of <paramref name="objects"/>.</summary>
    public static SecretRedactor For(IEnumerable<JsonObject> objects)
    {
        var values = new List<string>();
        foreach (var o in objects.Where(o => KubeObject.Kind(o) == "Secret" && KubeObject.Group(KubeObject.ApiVersion(o)) == ""))
        {
            foreach (var pair in o["data"]?.AsObject() ?? new JsonObject())
            {
                if (pair.Value?.GetValue<string>() is { } encoded)
                {
                    values.Add(encoded);
                    try
                    {
                        values.Add(Encoding.UTF8.GetString(Convert.FromBase64String(encoded)));
                    }
                    catch (FormatException)
                    {
                        // not base64: the API will refuse it; the raw text is already listed
                    }
                }
            }
            foreach (var pair in o["stringData"]?.AsObject() ?? new JsonObject())
            {
                if (pair.Value?.GetValue<string>() is { } plain)
                {
                    values.Add(plain);
                    values.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes(plain)));
                }
            }
        }
        return new SecretRedactor(values);
    }

    /// <summary>Whether a path of a Secret holds a value (<c>data.x</c>, <c>stringData.x</c>).</summary>
    public static bool IsSecretValuePath(string kind, string path) =>
        kind == "Secret" && (path.StartsWith("data", StringComparison.Ordinal) || path.StartsWith("stringData", StringComparison.Ordinal));

    /// <summary><paramref name="text"/> with every secret value replaced.</summary>
    public string Redact(string text)
    {
        foreach (var value in _values)
        {
            if (text.Contains(value, StringComparison.Ordinal))
            {
                text = text.Replace(value, "(redacted)", StringComparison.Ordinal);
            }
        }
        return text;
    }
}

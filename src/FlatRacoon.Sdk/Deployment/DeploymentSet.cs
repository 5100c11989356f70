using System;
using System.Buffers;
using System.Globalization;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FlatRacoon.Rendering;
using FlatRacoon.Secrets;
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
            .ThenBy(p => ApplyRank(p.o.Body))
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

    /// <summary>
    /// Annotation on a Secret the apply step materialises from a module's <c>secrets.apply.json</c>:
    /// a JSON object of data key to reference URI (references only). Its data is filled by
    /// <see cref="ResolveSecretsAsync"/> at apply time.
    /// </summary>
    public const string SecretReferencesAnnotation = "flatracoon.io/secret-references";

    /// <summary>Order inside a wave: namespaces, CRDs, materialised Secrets, then the rest.</summary>
    public static int ApplyRank(JsonObject body) => KubeObject.Kind(body) switch
    {
        "Namespace" => 0,
        "CustomResourceDefinition" => 1,
        _ when IsMaterializedSecret(body) => 2,
        _ => 3,
    };

    /// <summary>Whether <paramref name="body"/> is a Secret materialised from references at apply time.</summary>
    public static bool IsMaterializedSecret(JsonObject body) =>
        KubeObject.Kind(body) == "Secret" && KubeObject.ApiVersion(body) == "v1" && KubeObject.Annotation(body, SecretReferencesAnnotation) is not null;

    /// <summary>The data keys and references of a materialised Secret, in key order.</summary>
    public static IReadOnlyList<(string Key, SecretReference Reference)> SecretReferences(JsonObject body)
    {
        var text = KubeObject.Annotation(body, SecretReferencesAnnotation);
        if (text is null)
        {
            return Array.Empty<(string, SecretReference)>();
        }
        return JsonNode.Parse(text)!.AsObject()
            .Select(p => (p.Key, SecretReference.Parse(p.Value!.GetValue<string>())))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The set of a render. Every module's <c>secrets.apply.json</c> becomes Secrets (type Opaque)
    /// in the module's namespace and wave, applied before the module's other objects of that wave,
    /// labelled like every object of the module; their data is resolved at apply time
    /// (<see cref="ResolveSecretsAsync"/>). The ApplySet parent then also lists the Secret kind.
    /// </summary>
    public static DeploymentSet From(ManifestSet manifest)
    {
        var objects = manifest.Objects.Select(o => new DesiredObject(o.Module, o.Wave, ToJson(o.Object))).ToList();
        var secrets = MaterializedSecrets(manifest);
        if (secrets.Count > 0)
        {
            var parent = objects.First(o => KubeObject.Label(o.Body, Labels.ApplySetId) == manifest.ApplySetId).Body;
            AddToAnnotationList(parent, Labels.ApplySetContainsGroupKinds, new[] { "Secret" });
            AddToAnnotationList(parent, Labels.ApplySetAdditionalNamespaces,
                secrets.Select(s => KubeObject.Namespace(s.Body)!).Where(ns => ns != StackRenderer.SystemNamespace));
            objects.AddRange(secrets);
        }
        return new DeploymentSet(manifest.Stack.Name, manifest.ApplySetId, objects);
    }

    private static void AddToAnnotationList(JsonObject obj, string key, IEnumerable<string> items)
    {
        var metadata = obj["metadata"]!.AsObject();
        var annotations = metadata["annotations"] as JsonObject ?? (JsonObject)(metadata["annotations"] = new JsonObject());
        annotations[key] = string.Join(",", (KubeObject.Annotation(obj, key) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Union(items, StringComparer.Ordinal).OrderBy(s => s, StringComparer.Ordinal));
    }

    private static List<DesiredObject> MaterializedSecrets(ManifestSet manifest)
    {
        var modules = manifest.Stack.Waves.SelectMany((wave, w) => wave.Select(m => (Module: m, Wave: w + 1))).ToDictionary(p => p.Module.Name, StringComparer.Ordinal);
        var result = new List<DesiredObject>();
        foreach (var artifact in manifest.Artifacts.Where(a => a.RelativePath == $"{a.Module}/{ModuleSecrets.ApplyTimeFile}"))
        {
            if (!modules.TryGetValue(artifact.Module, out var placed))
            {
                throw new ArgumentException($"{artifact.RelativePath} belongs to module '{artifact.Module}', which is not in the stack.", nameof(manifest));
            }
            var plan = JsonNode.Parse(artifact.Content)!.AsObject();
            if (plan["kind"]?.GetValue<string>() != "SecretMaterialization")
            {
                throw new ArgumentException($"{artifact.RelativePath} is not a SecretMaterialization.", nameof(manifest));
            }
            foreach (var secret in (plan["secrets"]?.AsArray() ?? new JsonArray()).OfType<JsonObject>())
            {
                var references = new JsonObject();
                foreach (var entry in (secret["data"]?.AsArray() ?? new JsonArray()).OfType<JsonObject>())
                {
                    var reference = entry["reference"]!.GetValue<string>();
                    SecretReference.Parse(reference); // a malformed reference fails here, before anything is applied
                    references[entry["key"]!.GetValue<string>()] = reference;
                }
                var module = placed.Module;
                var labels = new JsonObject();
                foreach (var (k, v) in Labels.Sorted(new Dictionary<string, string>
                {
                    [Labels.ManagedBy] = "flatracoon",
                    [Labels.PartOf] = manifest.Stack.Name,
                    [Labels.Name] = module.Name,
                    [Labels.Version] = module.Descriptor.Version,
                    [Labels.Module] = module.Name,
                    [Labels.Layer] = module.Descriptor.Layer.ToString().ToLowerInvariant(),
                    [Labels.ApplySetPartOf] = manifest.ApplySetId,
                }))
                {
                    labels[k] = v;
                }
                result.Add(new DesiredObject(module.Name, placed.Wave, new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "Secret",
                    ["metadata"] = new JsonObject
                    {
                        ["name"] = secret["name"]!.GetValue<string>(),
                        ["namespace"] = secret["namespace"]?.GetValue<string>() ?? module.Namespace,
                        ["labels"] = labels,
                        ["annotations"] = new JsonObject
                        {
                            [SecretReferencesAnnotation] = references.ToJsonString(),
                            [Labels.Wave] = placed.Wave.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        },
                    },
                    ["type"] = "Opaque",
                }));
            }
        }
        return result;
    }

    /// <summary>Whether a materialised Secret still lacks the value of one of its keys.</summary>
    public bool HasUnresolvedSecrets => Objects.Any(o => IsMaterializedSecret(o.Body)
        && SecretReferences(o.Body).Any(r => o.Body["data"]?[r.Key] is null));

    /// <summary>
    /// This set with every materialised Secret's data resolved through <paramref name="resolver"/>
    /// (base64 in <c>data</c>); its <see cref="Redactor"/> knows every value. Throws
    /// <see cref="SecretResolutionException"/> (naming the reference, never a value) on the first
    /// reference that cannot be resolved, in apply order.
    /// </summary>
    public async Task<DeploymentSet> ResolveSecretsAsync(ISecretResolver resolver, CancellationToken cancellation = default)
    {
        var resolved = new List<DesiredObject>(Objects.Length);
        foreach (var o in Objects)
        {
            if (!IsMaterializedSecret(o.Body))
            {
                resolved.Add(o);
                continue;
            }
            var body = (JsonObject)o.Body.DeepClone();
            var data = new JsonObject();
            foreach (var (key, reference) in SecretReferences(body))
            {
                var bytes = await resolver.ResolveAsync(reference, cancellation).ConfigureAwait(false);
                data[key] = Convert.ToBase64String(bytes);
            }
            body["data"] = data;
            resolved.Add(o with { Body = body });
        }
        return new DeploymentSet(StackName, ApplySetId, resolved);
    }

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

    /// <summary>
    /// SHA-256 of the canonical JSON of every object, in order: equal sets have equal hashes. The
    /// values of materialised Secrets are left out (their keys and references count): the hash is
    /// printed and stored in labels, and a hash over a weak password could be guessed offline.
    /// <see cref="SameSecretValues"/> compares the values themselves.
    /// </summary>
    public string Hash()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var o in Objects)
        {
            var body = o.Body;
            if (IsMaterializedSecret(body) && body["data"] is JsonObject data)
            {
                body = (JsonObject)body.DeepClone();
                body["data"] = new JsonObject(data.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(""))));
            }
            AppendObject(sha, o, body, buffer);
        }
        return "sha256:" + Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
    }

    /// <summary>
    /// The revision identity: HMAC-SHA256 under <paramref name="key"/> of the canonical JSON of every
    /// object, Secret values included, so it changes whenever applied content changes. Keyed, so it is
    /// no offline oracle: without the key (kept in the cluster beside the revisions, readable only by
    /// who can read the Secrets themselves) a guess at a value cannot be checked against it.
    /// </summary>
    public string Identity(byte[] key)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var o in Objects)
        {
            AppendObject(hmac, o, o.Body, buffer);
        }
        return IdentityPrefix + Convert.ToHexString(hmac.GetHashAndReset()).ToLowerInvariant();
    }

    private const string IdentityPrefix = "hmac-sha256:";

    /// <summary>
    /// What <see cref="Identity"/> hashes, as one buffer: made before the key is known (the key is read
    /// once the stack's objects exist), hashed by <see cref="IdentityOf"/> when it is.
    /// </summary>
    internal ArrayBufferWriter<byte> IdentityInput()
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var o in Objects)
        {
            WriteObject(o, o.Body, buffer);
        }
        return buffer;
    }

    /// <summary><see cref="Identity"/> of the set whose <see cref="IdentityInput"/> is <paramref name="input"/>.</summary>
    internal static string IdentityOf(ReadOnlySpan<byte> input, byte[] key) =>
        IdentityPrefix + Convert.ToHexString(HMACSHA256.HashData(key, input)).ToLowerInvariant();

    private static void AppendObject(IncrementalHash hash, DesiredObject o, JsonObject body, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        WriteObject(o, body, buffer);
        hash.AppendData(buffer.WrittenSpan);
    }

    /// <summary>What <see cref="Hash"/> and <see cref="Identity"/> take of one object: <c>module\nwave\ncanonical JSON\n</c> in UTF-8.</summary>
    private static void WriteObject(DesiredObject o, JsonObject body, IBufferWriter<byte> buffer)
    {
        buffer.Write(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{o.Module}\n{o.Wave}\n")));
        KubeObject.WriteCanonical(body, buffer);
        buffer.Write("\n"u8);
    }

    /// <summary>True when every materialised Secret holds the same values in both sets (compared in memory, never printed).</summary>
    public bool SameSecretValues(DeploymentSet other)
    {
        static Dictionary<string, string> Values(DeploymentSet set) => set.Objects
            .Where(o => IsMaterializedSecret(o.Body))
            .ToDictionary(o => o.Display, o => KubeObject.Canonical((o.Body["data"] as JsonObject) ?? new JsonObject()), StringComparer.Ordinal);
        var mine = Values(this);
        var theirs = Values(other);
        return mine.Count == theirs.Count && mine.All(kv => theirs.TryGetValue(kv.Key, out var value) && value == kv.Value);
    }

    /// <summary>Serializes the set (for revisions): the JSON <see cref="WriteStored"/> writes.</summary>
    public JsonObject ToStored()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteStored(writer);
        }
        return (JsonObject)JsonNode.Parse(buffer.WrittenSpan)!;
    }

    /// <summary>
    /// The set as a revision stores it, <c>{"stack", "applySetId", "objects": [{"module", "wave", "object"}]}</c>,
    /// written straight from the objects (they are only read: an apply's waves may read them at the same time).
    /// </summary>
    internal void WriteStored(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("stack", StackName);
        writer.WriteString("applySetId", ApplySetId);
        writer.WriteStartArray("objects");
        foreach (var o in Objects)
        {
            writer.WriteStartObject();
            writer.WriteString("module", o.Module);
            writer.WriteNumber("wave", o.Wave);
            writer.WritePropertyName("object");
            o.Body.WriteTo(writer);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

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
        _values = values.SelectMany(Forms).Where(v => v.Length >= 4).Distinct(StringComparer.Ordinal).OrderByDescending(v => v.Length).ToArray();

    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // A value may reach text whole, JSON-escaped (JSON lines, API answers), or a line at a time
    // (a multi-line key file quoted in an error); every form is hidden.
    private static IEnumerable<string> Forms(string value)
    {
        yield return value;
        yield return JsonSerializer.Serialize(value)[1..^1];
        yield return JsonSerializer.Serialize(value, RelaxedJson)[1..^1];
        foreach (var line in value.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.Length >= 8)
            {
                yield return trimmed;
            }
        }
        if (value.Trim() != value)
        {
            yield return value.Trim();
        }
    }

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

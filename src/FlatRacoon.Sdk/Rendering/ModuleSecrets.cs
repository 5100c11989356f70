using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using FlatRacoon.Rendering.CustomResources;

namespace FlatRacoon.Rendering;

/// <summary>One key of a Kubernetes Secret and the reference its value comes from.</summary>
/// <param name="SecretKey">Key inside the Secret.</param>
/// <param name="Reference">Where the value lives; never the value.</param>
public sealed record SecretKeyReference(string SecretKey, SecretReference Reference);

/// <summary>A Secret a module needs, described only by references.</summary>
/// <param name="Name">Secret name in the module's namespace.</param>
/// <param name="Keys">Its keys.</param>
public sealed record SecretMaterialization(string Name, IReadOnlyList<SecretKeyReference> Keys);

/// <summary>
/// How secret references become Kubernetes Secrets (see docs/modules/poly-secret-mcp.adoc):
/// a Secret whose keys are all Vault references is rendered as an <see cref="ExternalSecret"/>
/// that reads through the <c>ClusterSecretStore</c> poly-secret-mcp renders; every other Secret
/// (SOPS, environment, file, or mixed) is listed in the module's <see cref="ApplyTimeFile"/>
/// artifact, which the apply step resolves and creates with server-side apply before the
/// module's wave. No value is ever rendered.
/// </summary>
public static class ModuleSecrets
{
    /// <summary>Artifact listing the Secrets the apply step materialises (references only).</summary>
    public const string ApplyTimeFile = "secrets.apply.json";
    /// <summary>Name of the ClusterSecretStore for the Vault KV v2 mount <c>secret</c>.</summary>
    public const string DefaultVaultStore = "flatracoon-vault";

    /// <summary>The ClusterSecretStore that reads the Vault KV v2 mount <paramref name="mount"/>.</summary>
    public static string VaultStoreName(string mount)
    {
        var trimmed = mount.Trim('/');
        if (trimmed == "secret")
        {
            return DefaultVaultStore;
        }
        var label = new StringBuilder();
        foreach (var c in trimmed.ToLowerInvariant())
        {
            label.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }
        return $"{DefaultVaultStore}-{label.ToString().Trim('-')}";
    }

    /// <summary>Mount and path of a Vault reference (<c>mount/path/to/secret</c>).</summary>
    public static (string Mount, string Path) VaultLocation(SecretReference reference)
    {
        if (reference.Source != SecretSource.Vault)
        {
            throw new ArgumentException("Not a Vault reference.", nameof(reference));
        }
        var slash = reference.Location.IndexOf('/');
        return (reference.Location[..slash], reference.Location[(slash + 1)..]);
    }

    /// <summary>The secret reference at <paramref name="path"/> of the module's configuration, or null when unset.</summary>
    public static SecretReference? Reference(ModuleRenderContext context, string path) =>
        context.Setting(path) is { ValueKind: JsonValueKind.String } value && SecretReference.TryParse(value.GetString(), out var reference)
            ? reference
            : null;

    /// <summary>Every secret reference in a module's configuration (setting path → reference), in path order.</summary>
    public static IReadOnlyList<KeyValuePair<string, SecretReference>> AllReferences(JsonElement config)
    {
        var found = new List<KeyValuePair<string, SecretReference>>();
        void Walk(JsonElement element, string path)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        Walk(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}");
                    }
                    break;
                case JsonValueKind.Array:
                    var i = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        Walk(item, $"{path}[{i++}]");
                    }
                    break;
                case JsonValueKind.String when element.GetString() is { } text && text.Contains("://", StringComparison.Ordinal)
                    && SecretReference.TryParse(text, out var reference) && IsSecretScheme(text):
                    found.Add(new(path, reference));
                    break;
            }
        }
        Walk(config, "");
        return found.OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
    }

    private static bool IsSecretScheme(string text) =>
        text.StartsWith("vault://", StringComparison.Ordinal) || text.StartsWith("sops://", StringComparison.Ordinal)
        || text.StartsWith("env://", StringComparison.Ordinal) || text.StartsWith("file://", StringComparison.Ordinal);

    /// <summary>
    /// Renders how <paramref name="secrets"/> come to exist in the module's namespace: an
    /// ExternalSecret per all-Vault Secret, and one <see cref="ApplyTimeFile"/> artifact for the rest.
    /// </summary>
    public static void Render(ModuleRenderContext context, IEnumerable<SecretMaterialization> secrets)
    {
        var applyTime = new List<SecretMaterialization>();
        foreach (var secret in secrets.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            if (secret.Keys.Count > 0 && secret.Keys.All(k => k.Reference.Source == SecretSource.Vault)
                && secret.Keys.Select(k => VaultLocation(k.Reference).Mount).Distinct(StringComparer.Ordinal).Count() == 1)
            {
                var mount = VaultLocation(secret.Keys[0].Reference).Mount;
                context.Add(new ExternalSecret
                {
                    Metadata = new k8s.Models.V1ObjectMeta { Name = secret.Name },
                    Spec = new ExternalSecretSpec
                    {
                        RefreshInterval = "1h",
                        SecretStoreRef = new SecretStoreRef { Kind = "ClusterSecretStore", Name = VaultStoreName(mount) },
                        Target = new ExternalSecretTarget { Name = secret.Name, CreationPolicy = "Owner", DeletionPolicy = "Retain" },
                        Data = secret.Keys.OrderBy(k => k.SecretKey, StringComparer.Ordinal).Select(k => new ExternalSecretData
                        {
                            SecretKey = k.SecretKey,
                            RemoteRef = new ExternalSecretRemoteRef { Key = VaultLocation(k.Reference).Path, Property = k.Reference.Key },
                        }).ToList(),
                    },
                });
            }
            else
            {
                applyTime.Add(secret);
            }
        }
        if (applyTime.Count > 0)
        {
            context.AddArtifact(ApplyTimeFile, ApplyTimePlan(context.Module.Namespace, applyTime));
        }
    }

    private static string ApplyTimePlan(string @namespace, IEnumerable<SecretMaterialization> secrets)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("apiVersion", "flatracoon.io/v1alpha1");
            writer.WriteString("kind", "SecretMaterialization");
            writer.WriteString("note", "References only. The apply step resolves each reference and creates the Secret (type Opaque) with server-side apply before the module's wave; no value is ever written here.");
            writer.WriteStartArray("secrets");
            foreach (var secret in secrets)
            {
                writer.WriteStartObject();
                writer.WriteString("name", secret.Name);
                writer.WriteString("namespace", @namespace);
                writer.WriteStartArray("data");
                foreach (var key in secret.Keys.OrderBy(k => k.SecretKey, StringComparer.Ordinal))
                {
                    writer.WriteStartObject();
                    writer.WriteString("key", key.SecretKey);
                    writer.WriteString("reference", key.Reference.ToString());
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }
}

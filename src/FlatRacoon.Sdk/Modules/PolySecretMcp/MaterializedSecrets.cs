using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlatRacoon.Deployment;

namespace FlatRacoon.Modules.PolySecretMcp;

/// <summary>A Kubernetes Secret the stack materialises from references, and how.</summary>
/// <param name="Module">The module that declares it.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Name">The Secret's name.</param>
/// <param name="Materialization"><c>apply-time</c> (the apply step resolves the references) or <c>external-secret</c> (External Secrets syncs it from Vault).</param>
/// <param name="Keys">Each key of the Secret and the reference it comes from.</param>
/// <param name="ExternalSecret">The ExternalSecret that syncs it (apiVersion, name), for <c>external-secret</c>.</param>
/// <param name="RefreshInterval">How often External Secrets re-reads Vault, for <c>external-secret</c>.</param>
internal sealed record MaterializedSecret(string Module, string Namespace, string Name, string Materialization,
    IReadOnlyList<KeyValuePair<string, string>> Keys, (string ApiVersion, string Name)? ExternalSecret, string? RefreshInterval)
{
    /// <summary>
    /// The Secrets of a deployment set: the apply-time Secrets (which carry their references in an
    /// annotation, never a value) and the targets of its ExternalSecrets; by namespace and name.
    /// </summary>
    public static IReadOnlyList<MaterializedSecret> Of(IEnumerable<DesiredObject> objects) =>
        Of(objects.Select(o => (o.Module, o.Body)));

    /// <summary>The same from (module, object) pairs (the renderer's view, before the set exists).</summary>
    public static IReadOnlyList<MaterializedSecret> Of(IEnumerable<(string Module, JsonObject Body)> objects)
    {
        var result = new List<MaterializedSecret>();
        foreach (var (module, body) in objects)
        {
            var ns = KubeObject.Namespace(body) ?? "";
            switch (KubeObject.Kind(body))
            {
                case "Secret" when KubeObject.Annotation(body, DeploymentSet.SecretReferencesAnnotation) is { } annotation:
                    var keys = JsonNode.Parse(annotation)!.AsObject()
                        .Select(p => new KeyValuePair<string, string>(p.Key, p.Value!.GetValue<string>()))
                        .OrderBy(p => p.Key, StringComparer.Ordinal)
                        .ToList();
                    result.Add(new MaterializedSecret(module, ns, KubeObject.Name(body), "apply-time", keys, null, null));
                    break;
                case "ExternalSecret":
                    var spec = body["spec"];
                    var target = spec?["target"]?["name"]?.GetValue<string>() ?? KubeObject.Name(body);
                    var data = (spec?["data"] as JsonArray ?? new JsonArray()).OfType<JsonObject>()
                        .Select(d => new KeyValuePair<string, string>(
                            d["secretKey"]?.GetValue<string>() ?? "",
                            $"vault {spec?["secretStoreRef"]?["name"]?.GetValue<string>()}: {d["remoteRef"]?["key"]?.GetValue<string>()}#{d["remoteRef"]?["property"]?.GetValue<string>()}"))
                        .OrderBy(p => p.Key, StringComparer.Ordinal)
                        .ToList();
                    result.Add(new MaterializedSecret(module, ns, target, "external-secret", data,
                        (KubeObject.ApiVersion(body), KubeObject.Name(body)), spec?["refreshInterval"]?.GetValue<string>()));
                    break;
            }
        }
        return result.OrderBy(s => s.Namespace, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The apply-time Secrets a module's <c>secrets.apply.json</c> artifact lists, as the objects <see cref="DeploymentSet.From"/> makes of them.</summary>
    public static IEnumerable<(string Module, JsonObject Body)> FromApplyTimeArtifact(string module, string defaultNamespace, string content)
    {
        var plan = JsonNode.Parse(content)!.AsObject();
        foreach (var secret in (plan["secrets"] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
        {
            var references = new JsonObject();
            foreach (var entry in (secret["data"] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
            {
                references[entry["key"]!.GetValue<string>()] = entry["reference"]!.GetValue<string>();
            }
            yield return (module, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Secret",
                ["metadata"] = new JsonObject
                {
                    ["name"] = secret["name"]!.GetValue<string>(),
                    ["namespace"] = secret["namespace"]?.GetValue<string>() ?? defaultNamespace,
                    ["annotations"] = new JsonObject { [DeploymentSet.SecretReferencesAnnotation] = references.ToJsonString() },
                },
            });
        }
    }
}

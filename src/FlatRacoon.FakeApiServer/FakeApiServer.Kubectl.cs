using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace FlatRacoon.Testing.Fake;

// What a client nobody here wrote (kubectl) needs beyond the engine's subset: /version, the
// OpenAPI v3 discovery it checks fieldValidation support with, the status subresource, the
// namespace controller, and validation with the API server's Status bodies.
public sealed partial class FakeApiServer
{
    /// <summary>The Kubernetes version the fake answers as (its behaviour follows the v1.32 API documentation).</summary>
    public const string KubernetesVersion = "v1.32.0";

    private static JsonObject VersionInfo() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = KubernetesVersion + "+flatracoon-fake",
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "fake",
        ["compiler"] = "fake",
        ["platform"] = "linux/amd64",
    };

    /// <summary>
    /// The OpenAPI documents (https://kubernetes.io/docs/concepts/overview/kubernetes-api/#openapi-interface-definition):
    /// <c>/openapi/v3</c> lists one document per group-version; each holds the paths of its resources
    /// with their operations and query parameters (kubectl reads <c>fieldValidation</c> there to let the
    /// server validate) and <c>components.schemas</c> with the kinds' schemas (kubectl explain, client-side
    /// strategic merge patches). <c>/openapi/v2</c> is one JSON document with every path and definition.
    /// Schemas: <see cref="OpenApiSchemas"/>.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, JsonObject> _openApiDocuments = new(StringComparer.Ordinal);

    private (int, JsonObject) OpenApi(string[] segments, string accept)
    {
        var documentKey = string.Join('/', segments);
        if (_openApiDocuments.TryGetValue(documentKey, out var cached) && !(segments[1] == "v2" && IsProtobufOnly(accept)))
        {
            return (200, cached); // the served kinds never change: each document is built once
        }
        var (status, document) = BuildOpenApi(segments, accept);
        if (status == 200)
        {
            _openApiDocuments[documentKey] = document;
        }
        return (status, document);
    }

    private static bool IsProtobufOnly(string accept) =>
        accept.Contains("protobuf", StringComparison.Ordinal) && !accept.Contains("json", StringComparison.Ordinal) && !accept.Contains("*/*", StringComparison.Ordinal);

    private (int, JsonObject) BuildOpenApi(string[] segments, string accept)
    {
        List<FakeResource> resources;
        lock (_lock)
        {
            resources = _resources.ToList();
        }
        if (segments[1] == "v2" && segments.Length == 2)
        {
            if (IsProtobufOnly(accept))
            {
                return (404, Status(404, "NotFound", "the fake serves /openapi/v2 as application/json only (not protobuf)"));
            }
            return (200, new JsonObject
            {
                ["swagger"] = "2.0",
                ["info"] = new JsonObject { ["title"] = "Kubernetes (FlatRacoon fake)", ["version"] = KubernetesVersion },
                ["paths"] = OpenApiPaths(resources, "#/definitions/", v3: false),
                ["definitions"] = SchemasOf(resources, "#/definitions/", v3: false),
            });
        }
        if (segments[1] != "v3")
        {
            return (404, Status(404, "NotFound", "the server could not find the requested resource"));
        }
        var byGroupVersion = resources.GroupBy(r => r.Group.Length == 0 ? $"api/{r.Version}" : $"apis/{r.Group}/{r.Version}").OrderBy(g => g.Key, StringComparer.Ordinal);
        if (segments.Length == 2)
        {
            var paths = new JsonObject();
            foreach (var g in byGroupVersion)
            {
                paths[g.Key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{g.Key}?hash={Hash(g.Key)}" };
            }
            return (200, new JsonObject { ["paths"] = paths });
        }
        var wanted = string.Join('/', segments[2..]);
        var group = byGroupVersion.FirstOrDefault(g => g.Key == wanted);
        if (group is null)
        {
            return (404, Status(404, "NotFound", $"the server could not find the requested resource (no OpenAPI v3 document for {wanted})"));
        }
        return (200, new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes (FlatRacoon fake)", ["version"] = KubernetesVersion },
            ["paths"] = OpenApiPaths(group.ToList(), "#/components/schemas/", v3: true),
            ["components"] = new JsonObject { ["schemas"] = SchemasOf(group.ToList(), "#/components/schemas/", v3: true) },
        });
    }

    /// <summary>The schemas of <paramref name="resources"/>: the models' for built-in kinds; for custom resources (no model, no CRD schema here) an object that keeps any field.</summary>
    private static JsonObject SchemasOf(List<FakeResource> resources, string refPrefix, bool v3)
    {
        var schemas = OpenApiSchemas.Schemas(OpenApiSchemas.Roots(resources).Select(p => p.Type), refPrefix, v3);
        foreach (var r in resources.Where(r => KnownFields.KindType(MergeSchema.KindKey(r.GroupVersion, r.Kind)) is null))
        {
            schemas[CustomSchemaName(r)] = new JsonObject
            {
                ["type"] = "object",
                ["x-kubernetes-preserve-unknown-fields"] = true,
                ["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = r.Group, ["kind"] = r.Kind, ["version"] = r.Version }),
            };
        }
        return schemas;
    }

    private static string CustomSchemaName(FakeResource r) => string.Join('.', r.Group.Split('.').Reverse()) + "." + r.Version + "." + r.Kind;

    private static string SchemaNameOf(FakeResource r) =>
        KnownFields.KindType(MergeSchema.KindKey(r.GroupVersion, r.Kind)) is { } type ? OpenApiSchemas.SchemaName(type) : CustomSchemaName(r);

    private static JsonObject OpenApiPaths(List<FakeResource> resources, string refPrefix, bool v3)
    {
        var documentPaths = new JsonObject();
        foreach (var r in resources.OrderBy(r => r.GroupVersion, StringComparer.Ordinal).ThenBy(r => r.Plural, StringComparer.Ordinal))
        {
            var groupPath = r.Group.Length == 0 ? $"api/{r.Version}" : $"apis/{r.Group}/{r.Version}";
            var prefix = "/" + groupPath + (r.Namespaced ? "/namespaces/{namespace}/" : "/") + r.Plural;
            var reference = new JsonObject { ["$ref"] = refPrefix + SchemaNameOf(r) };
            JsonObject Operation(string action, bool body)
            {
                var operation = new JsonObject
                {
                    ["operationId"] = action + r.Kind,
                    ["x-kubernetes-action"] = action,
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = r.Group, ["version"] = r.Version, ["kind"] = r.Kind },
                    ["parameters"] = new JsonArray(new[] { "dryRun", "fieldManager", "fieldValidation", "force" }
                        .Select(p => (JsonNode)(v3
                            ? new JsonObject { ["name"] = p, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = p == "force" ? "boolean" : "string" }, ["uniqueItems"] = true }
                            : new JsonObject { ["name"] = p, ["in"] = "query", ["type"] = p == "force" ? "boolean" : "string", ["uniqueItems"] = true })).ToArray()),
                };
                var response = v3
                    ? new JsonObject { ["description"] = "OK", ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = reference.DeepClone() } } }
                    : new JsonObject { ["description"] = "OK", ["schema"] = reference.DeepClone() };
                operation["responses"] = new JsonObject { ["200"] = response };
                if (body && v3)
                {
                    operation["requestBody"] = new JsonObject { ["content"] = new JsonObject { ["*/*"] = new JsonObject { ["schema"] = reference.DeepClone() } } };
                }
                return operation;
            }
            documentPaths[prefix] = new JsonObject { ["get"] = Operation("list", false), ["post"] = Operation("post", true) };
            documentPaths[prefix + "/{name}"] = new JsonObject { ["get"] = Operation("get", false), ["put"] = Operation("put", true), ["patch"] = Operation("patch", true), ["delete"] = Operation("delete", false) };
        }
        return documentPaths;
    }

    private static string Hash(string text) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(KubernetesVersion + text)))[..16];

    /// <summary>The status subresource: GET reads the object; PATCH/PUT change <c>status</c> only (https://kubernetes.io/docs/reference/using-api/api-concepts/#subresources).</summary>
    private (int, JsonObject) Status(string method, FakeResource resource, string? ns, string name, IQueryCollection query, string? contentType, string body)
    {
        if (!_objects.TryGetValue(StoreKey(resource, ns, name), out var stored))
        {
            return NotFound(resource, name);
        }
        if (method == "GET")
        {
            return (200, View(stored));
        }
        if (method is not ("PATCH" or "PUT"))
        {
            return (405, Status(405, "MethodNotAllowed", $"{method} is not allowed on the status subresource"));
        }
        var manager = query["fieldManager"].ToString() is { Length: > 0 } m ? m : "unknown";
        var obj = JsonNode.Parse(body) as JsonObject ?? throw new JsonException("the body is not an object");
        if (obj["status"] is not JsonObject status)
        {
            return (200, View(stored)); // nothing but status is taken from a status write
        }
        if (query["dryRun"].ToString() == "All")
        {
            return (200, View(stored));
        }
        stored.Object["status"] = status.DeepClone();
        var fields = new HashSet<string>(status.Select(p => "f:status" + StructuredMerge.Sep + "f:" + p.Key), StringComparer.Ordinal);
        var apply = contentType?.StartsWith("application/apply-patch", StringComparison.OrdinalIgnoreCase) == true;
        stored.Managers[ManagerKey(manager, apply ? "Apply" : "Update", "status")] = new ManagerEntry { Name = manager, Operation = apply ? "Apply" : "Update", ApiVersion = resource.GroupVersion, Fields = fields, Subresource = "status" };
        stored.Object["metadata"]!["resourceVersion"] = NextVersion();
        System.Threading.Interlocked.Increment(ref _writes);
        return (200, View(stored));
    }

    /// <summary>
    /// The namespace controller: a namespace being deleted stays Terminating, first for a moment
    /// (<see cref="FakeClusterOptions.ReadyDelay"/>), then until its content is gone; content without
    /// finalizers is deleted, content with finalizers is marked and waits for them.
    /// </summary>
    private void RunNamespaceController()
    {
        // Every request runs this; without a terminating namespace it leaves at once, without the store's
        // lock that the writes hold (a count read as another thread adds one only delays its turn to the next request).
        if (_terminatingNamespaces.Count == 0)
        {
            return;
        }
        lock (_lock)
        {
            if (_terminatingNamespaces.Count == 0)
            {
                return;
            }
            // A namespace that is gone (or was created anew under its name) is no longer this controller's.
            _terminatingNamespaces.RemoveWhere(s => !_objects.TryGetValue(StoreKey(s.Resource, null, FakeJson.Name(s.Object)), out var current) || !ReferenceEquals(current, s));
            foreach (var terminating in _terminatingNamespaces.Where(s => s.DeletingSince is { } since && DateTimeOffset.UtcNow - since >= Options.ReadyDelay).ToList())
            {
                var ns = FakeJson.Name(terminating.Object);
                foreach (var (key, inside) in _objects.Where(p => p.Value.Resource.Namespaced && FakeJson.Namespace(p.Value.Object) == ns).ToList())
                {
                    if (inside.Object["metadata"]?["finalizers"] is JsonArray { Count: > 0 })
                    {
                        inside.Object["metadata"]!["deletionTimestamp"] ??= DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                        inside.DeletingSince ??= DateTimeOffset.UtcNow;
                    }
                    else
                    {
                        _objects.Remove(key);
                    }
                }
                if (!_objects.Values.Any(s => s.Resource.Namespaced && FakeJson.Namespace(s.Object) == ns))
                {
                    _objects.Remove(StoreKey(terminating.Resource, null, ns));
                }
            }
        }
    }

    private static readonly Regex Dns1123Subdomain = new("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant);
    private static readonly Regex Dns1123Label = new("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant);
    private static readonly Regex Dns1035Label = new("^[a-z]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant);

    /// <summary>
    /// Validation with the API server's 422 Invalid Status (https://kubernetes.io/docs/reference/using-api/api-concepts/#validation):
    /// object names (RFC 1123 subdomain; label for Namespace; RFC 1035 label for Service), port
    /// numbers (1-65535), and the required fields of the kind's schema. Each cause names the field
    /// path with list indexes, as the server's field errors do.
    /// </summary>
    private static JsonObject? Validate(FakeResource resource, string name, JsonObject o, bool creating)
    {
        var causes = new List<(string Reason, string Field, string Message)>();
        if (creating)
        {
            var (regex, what, example) = resource.Kind switch
            {
                "Namespace" => (Dns1123Label, "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", "'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?'"),
                "Service" => (Dns1035Label, "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", "'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?'"),
                _ => (Dns1123Subdomain, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", "'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'"),
            };
            var max = resource.Kind is "Namespace" or "Service" ? 63 : 253;
            if (name.Length > max)
            {
                causes.Add(("FieldValueInvalid", "metadata.name", $"Invalid value: \"{name}\": must be no more than {max} characters"));
            }
            else if (!regex.IsMatch(name))
            {
                causes.Add(("FieldValueInvalid", "metadata.name", $"Invalid value: \"{name}\": {what} (e.g. {example})"));
            }
        }
        Ports(o, "", causes);
        var kindKey = MergeSchema.KindKey(resource.GroupVersion, resource.Kind);
        var requiredPatterns = MergeSchema.Instance.RequiredSegments(kindKey);
        var indices = new int[requiredPatterns.Count == 0 ? 0 : requiredPatterns.Max(p => p.Length)];
        foreach (var required in requiredPatterns)
        {
            Required(o, required, 0, indices, causes);
        }
        if (causes.Count == 0)
        {
            return null;
        }
        var qualified = resource.Group.Length > 0 ? $"{resource.Kind}.{resource.Group}" : resource.Kind;
        var list = causes.Select(c => $"{c.Field}: {c.Message}").ToList();
        var status = Status(422, "Invalid", $"{qualified} \"{name}\" is invalid: {(list.Count == 1 ? list[0] : "[" + string.Join(", ", list) + "]")}");
        var details = new JsonObject { ["name"] = name };
        if (resource.Group.Length > 0)
        {
            details["group"] = resource.Group;
        }
        details["kind"] = resource.Kind;
        details["causes"] = new JsonArray(causes.Select(c => (JsonNode)new JsonObject { ["reason"] = c.Reason, ["message"] = c.Message, ["field"] = c.Field }).ToArray());
        status["details"] = details;
        return status;
    }

    private static void Ports(JsonNode? node, string path, List<(string, string, string)> causes)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    var childPath = path.Length == 0 ? key : path + "." + key;
                    if (key is "containerPort" or "hostPort" or "port" or "targetPort" && path.EndsWith(']') && value is JsonValue v && v.TryGetValue<long>(out var port)
                        && (port < 1 || port > 65535) && !(key == "hostPort" && port == 0))
                    {
                        causes.Add(("FieldValueInvalid", childPath, $"Invalid value: {port}: must be between 1 and 65535, inclusive"));
                    }
                    Ports(value, childPath, causes);
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    Ports(a[i], $"{path}[{i}]", causes);
                }
                break;
        }
    }

    /// <summary>
    /// Adds a cause for each missing field of the required <paramref name="pattern"/> under <paramref name="node"/>.
    /// <paramref name="indices"/> holds the item index at each list segment on the way; the path text is built only for a cause.
    /// </summary>
    private static void Required(JsonNode? node, string[] pattern, int at, int[] indices, List<(string, string, string)> causes)
    {
        var segment = pattern[at];
        var isList = segment.EndsWith("[]", StringComparison.Ordinal);
        if (node is not JsonObject o)
        {
            return;
        }
        var child = o[isList ? segment[..^2] : segment];
        if (at == pattern.Length - 1)
        {
            if (child is null)
            {
                causes.Add(("FieldValueRequired", RequiredPath(pattern, at, indices), "Required value"));
            }
            return;
        }
        if (isList)
        {
            if (child is JsonArray items)
            {
                for (var i = 0; i < items.Count; i++)
                {
                    indices[at] = i;
                    Required(items[i], pattern, at + 1, indices, causes);
                }
            }
            return;
        }
        Required(child, pattern, at + 1, indices, causes);
    }

    /// <summary><c>spec.template.spec.containers[0].name</c>: the pattern's segments up to <paramref name="at"/>, list segments with their item index.</summary>
    private static string RequiredPath(string[] pattern, int at, int[] indices)
    {
        var path = new StringBuilder();
        for (var i = 0; i <= at; i++)
        {
            if (i > 0)
            {
                path.Append('.');
            }
            var segment = pattern[i];
            if (segment.EndsWith("[]", StringComparison.Ordinal))
            {
                path.Append(segment, 0, segment.Length - 2);
                if (i < at)
                {
                    path.Append('[').Append(indices[i]).Append(']');
                }
            }
            else
            {
                path.Append(segment);
            }
        }
        return path.ToString();
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using Microsoft.AspNetCore.Http;

namespace FlatRacoon.Testing.Fake;

// The write verbs other than server-side apply, as kubectl create/replace/patch/edit/scale/label
// and client-side apply use them: POST (create), PUT (update), PATCH with a JSON patch, a merge
// patch or a strategic merge patch, on the resource and on its status and scale subresources.
// Every one is an "Update" operation for field management: the writer becomes the owner of the
// fields it changed and those fields leave their other owners
// (https://kubernetes.io/docs/reference/using-api/server-side-apply/#using-server-side-apply-in-a-controller
// and https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management).
public sealed partial class FakeApiServer
{
    [ThreadStatic]
    private static string? t_userAgent;

    [ThreadStatic]
    private static string? t_accept;

    /// <summary>The kinds with a <c>scale</c> subresource among those served (autoscaling/v1 Scale).</summary>
    private static bool HasScale(FakeResource resource) => resource.Group == "apps" && resource.Kind is "Deployment" or "StatefulSet";

    private static string ManagerKey(string manager, string operation, string? subresource) =>
        operation == "Apply" && subresource is null ? manager : $"{manager}\u0000{operation}\u0000{subresource}";

    /// <summary>The manager of an Update: fieldManager, else the user agent's first word, as the API server derives it.</summary>
    private static string UpdateManager(IQueryCollection query) =>
        query["fieldManager"].ToString() is { Length: > 0 } m ? m
        : t_userAgent is { Length: > 0 } agent ? agent.Split('/', ' ')[0]
        : "unknown";

    /// <summary>The request's <c>fieldValidation</c> (<c>Strict</c>, <c>Warn</c> by default, <c>Ignore</c>); the answer when it is none of them.</summary>
    private static (int Status, JsonObject Body)? FieldValidation(IQueryCollection query, out string validation)
    {
        validation = query["fieldValidation"].ToString() is { Length: > 0 } v ? v : "Warn";
        return validation is "Strict" or "Warn" or "Ignore" ? null : (400, Status(400, "BadRequest", $"fieldValidation parameter unsupported: {validation}"));
    }

    /// <summary>
    /// Drops the fields <paramref name="obj"/>'s kind does not declare. <c>Strict</c> refuses them instead (400 with
    /// <paramref name="strictMessage"/>, as the verb's decoder words it), <c>Warn</c> sends a warning per field, <c>Ignore</c> nothing.
    /// </summary>
    private static (int Status, JsonObject Body)? DropUnknownFields(JsonObject obj, FakeResource resource, string validation, Func<List<(string Path, string MergePath)>, string> strictMessage)
    {
        var unknown = KnownFields.RemoveUnknown(obj, MergeSchema.KindKey(resource.GroupVersion, resource.Kind));
        if (unknown.Count > 0 && validation == "Strict")
        {
            return (400, Status(400, "BadRequest", strictMessage(unknown)));
        }
        if (validation == "Warn")
        {
            unknown.ForEach(u => Warn($"unknown field \"{u.Path}\""));
        }
        return null;
    }

    private (int Status, JsonObject Body) Write(string method, FakeResource resource, string? ns, string? name, string? subresource, IQueryCollection query, string? contentType, string body)
    {
        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant() ?? "";
        var dryRun = query["dryRun"].ToString() == "All";
        if (FieldValidation(query, out var validation) is { } unsupported)
        {
            return unsupported;
        }
        var manager = UpdateManager(query);
        var parsed = JsonNode.Parse(body.Length == 0 ? "null" : body);
        StoredObject? existing = null;
        if (name is not null)
        {
            _objects.TryGetValue(StoreKey(resource, ns, name), out existing);
        }

        JsonObject desired;
        switch (method)
        {
            case "POST":
                if (subresource is not null || name is not null)
                {
                    return (405, Status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource"));
                }
                desired = parsed as JsonObject ?? throw new JsonException("the body is not an object");
                name = FakeJson.Name(desired);
                if (string.IsNullOrEmpty(name))
                {
                    if (desired["metadata"]?["generateName"]?.GetValue<string>() is { Length: > 0 } prefix)
                    {
                        name = prefix + Convert.ToHexString(Guid.NewGuid().ToByteArray())[..5].ToLowerInvariant();
                        desired["metadata"]!["name"] = name;
                    }
                    else
                    {
                        return Invalid(resource, "", new List<(string, string, string)> { ("FieldValueRequired", "metadata.name", "Required value: name or generateName is required") });
                    }
                }
                if (_objects.ContainsKey(StoreKey(resource, ns, name)))
                {
                    return (409, Status(409, "AlreadyExists", $"{Qualified(resource)} \"{name}\" already exists", resource, name));
                }
                break;
            case "PUT":
                if (existing is null)
                {
                    return NotFound(resource, name!);
                }
                desired = parsed as JsonObject ?? throw new JsonException("the body is not an object");
                if (subresource is null && FakeJson.Name(desired) != name)
                {
                    return (400, Status(400, "BadRequest", $"the name of the object ({FakeJson.Name(desired)}) does not match the name on the URL ({name})"));
                }
                break;
            case "PATCH":
            {
                if (existing is null)
                {
                    return NotFound(resource, name!);
                }
                var current = subresource == "scale" ? ScaleView(existing) : View(existing);
                (current["metadata"] as JsonObject)?.Remove("managedFields");
                try
                {
                    desired = mediaType switch
                    {
                        Patches.JsonPatch => Patches.Json(current, parsed) as JsonObject ?? throw new Patches.PatchException("the patched document is not an object"),
                        Patches.MergePatch => Patches.Merge(current, parsed) as JsonObject ?? throw new Patches.PatchException("the patched document is not an object"),
                        Patches.StrategicMergePatch when IsCustom(resource) => throw new UnsupportedPatchException(),
                        Patches.StrategicMergePatch when parsed is JsonObject smp =>
                            Patches.Strategic(current, smp, subresource == "scale" ? "autoscaling/v1/Scale" : MergeSchema.KindKey(resource.GroupVersion, resource.Kind)),
                        _ => throw new UnsupportedPatchException(),
                    };
                }
                catch (UnsupportedPatchException)
                {
                    return (415, Status(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml{(IsCustom(resource) ? "" : ", application/strategic-merge-patch+json")}"));
                }
                catch (Patches.PatchException e)
                {
                    return (422, Status(422, "Invalid", e.Message));
                }
                break;
            }
            default:
                return (405, Status(405, "MethodNotAllowed", $"{method} is not allowed on {Qualified(resource)}"));
        }

        if (subresource == "scale")
        {
            return Scale(resource, existing!, desired, manager, dryRun);
        }
        if (subresource is null && (FakeJson.ApiVersion(desired) != resource.GroupVersion || FakeJson.Kind(desired) != resource.Kind))
        {
            if (method == "PATCH")
            {
                return (400, Status(400, "BadRequest", "the API version and kind of an object cannot be changed by a patch"));
            }
            return (400, Status(400, "BadRequest", $"the API version in the data ({FakeJson.ApiVersion(desired)}) and kind ({FakeJson.Kind(desired)}) do not match the request ({resource.GroupVersion}, {resource.Kind})"));
        }
        if (resource.Namespaced && FakeJson.Namespace(desired) is { } bodyNs && bodyNs != ns)
        {
            return (400, Status(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request"));
        }
        // A create or update: as the API server's strict decoder reports unknown fields.
        if (DropUnknownFields(desired, resource, validation, unknown => $"{resource.Kind} in version \"{resource.Version}\" cannot be handled as a {resource.Kind}: strict decoding error: "
            + string.Join(", ", unknown.Select(u => $"unknown field \"{u.Path}\""))) is { } strict)
        {
            return strict;
        }
        if (existing is not null && desired["metadata"]?["resourceVersion"]?.GetValue<string>() is { Length: > 0 } expected
            && expected != existing.Object["metadata"]?["resourceVersion"]?.GetValue<string>())
        {
            return (409, Status(409, "Conflict", $"Operation cannot be fulfilled on {Qualified(resource)} \"{name}\": the object has been modified; please apply your changes to the latest version and try again", resource, name!));
        }
        if (existing is null && resource.Namespaced)
        {
            if (!_objects.TryGetValue($"/namespaces//{ns}", out var nsObject))
            {
                return NamespaceNotFound(ns!);
            }
            if (nsObject.DeletingSince is not null)
            {
                return (403, Status(403, "Forbidden", $"{Qualified(resource)} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated"));
            }
        }

        // The stored object: what the writer sent, with the fields a client cannot set kept from the live object.
        JsonObject live;
        if (subresource == "status")
        {
            live = (JsonObject)existing!.Object.DeepClone();
            if (desired["status"] is JsonObject status)
            {
                live["status"] = status.DeepClone();
            }
            else
            {
                live.Remove("status");
            }
        }
        else
        {
            live = (JsonObject)desired.DeepClone();
            var metadata = live["metadata"] as JsonObject ?? new JsonObject();
            live["metadata"] = metadata;
            metadata.Remove("managedFields");
            foreach (var key in new[] { "uid", "creationTimestamp", "generation", "deletionTimestamp", "resourceVersion", "selfLink" })
            {
                metadata.Remove(key);
                if (existing?.Object["metadata"]?[key] is { } kept)
                {
                    metadata[key] = kept.DeepClone();
                }
            }
            metadata["name"] = name;
            if (resource.Namespaced)
            {
                metadata["namespace"] = ns;
            }
            if (resource.HasStatus)
            {
                live.Remove("status"); // the main resource ignores status (the status subresource writes it)
                if (existing?.Object["status"] is { } kept)
                {
                    live["status"] = kept.DeepClone();
                }
            }
        }
        var kindKey = MergeSchema.KindKey(resource.GroupVersion, resource.Kind);
        DropEmptyMetadataMaps(live);
        StructuredMerge.DefaultKeys(live, kindKey, MergeSchema.Instance);
        Default(resource, live);
        if (Validate(resource, name!, live, existing is null) is { } invalid)
        {
            return (422, invalid);
        }
        var managers = CopyManagers(existing);
        try
        {
            RecordUpdate(managers, existing?.Object, live, kindKey, manager, resource.GroupVersion, subresource);
        }
        catch (StructuredMerge.InvalidObjectException e)
        {
            return (500, Status(500, "InternalError", $"failed to update object ({KeyText(resource, ns, name!)}; {resource.GroupVersion}, Kind={resource.Kind}) managed fields: {e.Message}"));
        }
        return Store(resource, ns, name!, existing, live, managers, dryRun);
    }

    private sealed class UnsupportedPatchException : Exception;

    /// <summary>
    /// Empty <c>labels</c> and <c>annotations</c> maps are dropped, as the API server's Go types omit an
    /// empty map (<c>omitempty</c>): removing the last label leaves no <c>labels</c> field to own.
    /// </summary>
    private static void DropEmptyMetadataMaps(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Where(p => p.Key is "labels" or "annotations" && p.Value is JsonObject { Count: 0 }).Select(p => p.Key).ToList())
                {
                    o.Remove(key);
                }
                foreach (var (_, child) in o)
                {
                    DropEmptyMetadataMaps(child);
                }
                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    DropEmptyMetadataMaps(child);
                }
                break;
        }
    }

    /// <summary>A custom resource: strategic merge patch is not supported for it (it has no Go struct with patch strategies).</summary>
    private static bool IsCustom(FakeResource resource) => resource.Group.Contains('.') && !resource.Group.EndsWith(".k8s.io", StringComparison.Ordinal);

    private static Dictionary<string, ManagerEntry> CopyManagers(StoredObject? existing) =>
        existing?.Managers.ToDictionary(p => p.Key, p => new ManagerEntry
        {
            Name = p.Value.Name,
            Operation = p.Value.Operation,
            ApiVersion = p.Value.ApiVersion,
            Fields = new HashSet<string>(p.Value.Fields, StringComparer.Ordinal),
            Time = p.Value.Time,
            Subresource = p.Value.Subresource,
        }, StringComparer.Ordinal)
        ?? new Dictionary<string, ManagerEntry>(StringComparer.Ordinal);

    /// <summary>The fields of an object that field management tracks (not the server-set metadata).</summary>
    private static Dictionary<string, JsonNode> TrackedFields(JsonObject? obj, string kindKey)
    {
        if (obj is null)
        {
            return new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        }
        var copy = (JsonObject)obj.DeepClone();
        if (copy["metadata"] is JsonObject metadata)
        {
            foreach (var key in new[] { "uid", "creationTimestamp", "generation", "deletionTimestamp", "resourceVersion", "selfLink", "managedFields" })
            {
                metadata.Remove(key);
            }
        }
        return StructuredMerge.Fields(copy, kindKey, MergeSchema.Instance);
    }

    /// <summary>
    /// Field management of an Update: the fields whose value the write changed (or added) become the
    /// writer's and leave every other manager; fields the write removed leave every manager.
    /// </summary>
    private static void RecordUpdate(Dictionary<string, ManagerEntry> managers, JsonObject? before, JsonObject after, string kindKey, string manager, string apiVersion, string? subresource)
    {
        var old = TrackedFields(before, kindKey);
        var now = TrackedFields(after, kindKey);
        var changed = now.Where(p => !old.TryGetValue(p.Key, out var was) || !JsonNode.DeepEquals(was, p.Value)).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var removed = old.Keys.Where(k => !now.ContainsKey(k)).ToHashSet(StringComparer.Ordinal);
        var key = ManagerKey(manager, "Update", subresource);
        foreach (var entry in managers.Values)
        {
            entry.Fields.ExceptWith(changed);
            entry.Fields.ExceptWith(removed);
        }
        if (changed.Count > 0)
        {
            if (!managers.TryGetValue(key, out var mine))
            {
                mine = managers[key] = new ManagerEntry { Name = manager, Operation = "Update", ApiVersion = apiVersion, Subresource = subresource };
            }
            mine.Fields.UnionWith(changed);
            mine.Time = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        }
        foreach (var empty in managers.Where(m => m.Value.Fields.Count == 0).Select(m => m.Key).ToList())
        {
            managers.Remove(empty);
        }
    }

    /// <summary>Stores a written object: a new resourceVersion when anything changed, a new generation when more than metadata and status did.</summary>
    private (int, JsonObject) Store(FakeResource resource, string? ns, string name, StoredObject? existing, JsonObject live, Dictionary<string, ManagerEntry> managers, bool dryRun, Func<StoredObject, JsonObject>? view = null)
    {
        view ??= View;
        var metadata = (JsonObject)live["metadata"]!;
        var changedSpec = StampMetadata(existing, live);
        var changed = existing is null || !JsonNode.DeepEquals(FakeJson.Comparable(existing.Object), FakeJson.Comparable(live))
            || !JsonNode.DeepEquals(existing.Object["status"], live["status"]) || !SameOwnership(existing.Managers, managers);
        if (!changed)
        {
            return (200, view(existing!)); // a no-op write stores nothing
        }
        metadata["resourceVersion"] = dryRun ? existing?.Object["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "0" : NextVersion();
        var target = existing;
        if (dryRun)
        {
            target = new StoredObject { Resource = resource, Object = live, Managers = managers, SpecChangedAt = existing?.SpecChangedAt ?? DateTimeOffset.UtcNow, DeletingSince = existing?.DeletingSince };
            return (existing is null ? 201 : 200, view(target));
        }
        return (existing is null ? 201 : 200, Commit(resource, StoreKey(resource, ns, name), target, live, managers, changedSpec, view));
    }

    /// <summary>
    /// What every write does to metadata, as a real server does: a new object gets its uid, its
    /// creationTimestamp and generation 1 (when it has a spec); a changed spec (anything but
    /// metadata) raises the generation. Returns whether anything but metadata changed.
    /// </summary>
    private static bool StampMetadata(StoredObject? existing, JsonObject live)
    {
        var metadata = (JsonObject)live["metadata"]!;
        var changedSpec = existing is null || !JsonNode.DeepEquals(WithoutMetadata(existing.Object), WithoutMetadata(live));
        if (existing is null)
        {
            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            if (live.ContainsKey("spec"))
            {
                metadata["generation"] = 1;
            }
        }
        else if (changedSpec && live.ContainsKey("spec"))
        {
            metadata["generation"] = (L(metadata["generation"]) ?? 0) + 1;
        }
        return changedSpec;
    }

    /// <summary>
    /// Commits a written object (apply, create, update and patch all end here): its new content and
    /// owners, the time its spec changed, one write counted; an object being deleted whose last
    /// finalizer is gone is removed. Returns the object as <paramref name="view"/> shows it.
    /// </summary>
    private JsonObject Commit(FakeResource resource, string key, StoredObject? target, JsonObject live, Dictionary<string, ManagerEntry> managers, bool changedSpec, Func<StoredObject, JsonObject> view)
    {
        if (target is null)
        {
            target = new StoredObject { Resource = resource, Object = live };
            _objects[key] = target;
        }
        target.Object = live;
        target.Managers = managers;
        if (changedSpec)
        {
            target.SpecChangedAt = DateTimeOffset.UtcNow;
        }
        Interlocked.Increment(ref _writes);
        var result = view(target);
        if (target.DeletingSince is not null && resource.Kind != "Namespace" && live["metadata"]?["finalizers"] is not JsonArray { Count: > 0 })
        {
            _objects.Remove(key); // its last finalizer is gone: the deletion completes
        }
        return result;
    }

    /// <summary>The scale subresource as autoscaling/v1 Scale (https://kubernetes.io/docs/reference/kubernetes-api/autoscaling/scale-v1/).</summary>
    private JsonObject ScaleView(StoredObject stored)
    {
        var view = View(stored);
        var metadata = view["metadata"]!;
        var selector = view["spec"]?["selector"]?["matchLabels"] as JsonObject;
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = metadata["name"]?.DeepClone(),
                ["namespace"] = metadata["namespace"]?.DeepClone(),
                ["uid"] = metadata["uid"]?.DeepClone(),
                ["resourceVersion"] = metadata["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = metadata["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = view["spec"]?["replicas"]?.DeepClone() ?? 1 },
            ["status"] = new JsonObject
            {
                ["replicas"] = view["status"]?["replicas"]?.DeepClone() ?? 0,
                ["selector"] = selector is null ? "" : string.Join(",", selector.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")),
            },
        };
    }

    /// <summary>A write of the scale subresource: only <c>spec.replicas</c> of the parent changes, owned with <c>subresource: scale</c>.</summary>
    private (int, JsonObject) Scale(FakeResource resource, StoredObject existing, JsonObject scale, string manager, bool dryRun)
    {
        var name = FakeJson.Name(existing.Object);
        if (scale["metadata"]?["resourceVersion"]?.GetValue<string>() is { Length: > 0 } expected && expected != existing.Object["metadata"]?["resourceVersion"]?.GetValue<string>())
        {
            return (409, Status(409, "Conflict", $"Operation cannot be fulfilled on {Qualified(resource)} \"{name}\": the object has been modified; please apply your changes to the latest version and try again", resource, name));
        }
        if (scale["spec"]?["replicas"] is not JsonValue replicasNode || !replicasNode.TryGetValue<long>(out var replicas))
        {
            return (422, Status(422, "Invalid", $"Scale.autoscaling \"{name}\" is invalid: spec.replicas: Required value"));
        }
        if (replicas < 0)
        {
            var status = Status(422, "Invalid", $"Scale.autoscaling \"{name}\" is invalid: spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0");
            status["details"] = new JsonObject { ["name"] = name, ["group"] = "autoscaling", ["kind"] = "Scale", ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = $"Invalid value: {replicas}: must be greater than or equal to 0", ["field"] = "spec.replicas" }) };
            return (422, status);
        }
        var live = (JsonObject)existing.Object.DeepClone();
        ((JsonObject)live["spec"]!)["replicas"] = replicas;
        var managers = CopyManagers(existing);
        RecordUpdate(managers, existing.Object, live, MergeSchema.KindKey(resource.GroupVersion, resource.Kind), manager, resource.GroupVersion, "scale");
        return Store(resource, FakeJson.Namespace(existing.Object), name, existing, live, managers, dryRun, ScaleView);
    }

    private static (int, JsonObject) Invalid(FakeResource resource, string name, List<(string Reason, string Field, string Message)> causes)
    {
        var qualified = resource.Group.Length > 0 ? $"{resource.Kind}.{resource.Group}" : resource.Kind;
        var list = causes.Select(c => $"{c.Field}: {c.Message}").ToList();
        var status = Status(422, "Invalid", $"{qualified} \"{name}\" is invalid: {(list.Count == 1 ? list[0] : "[" + string.Join(", ", list) + "]")}");
        status["details"] = new JsonObject
        {
            ["name"] = name,
            ["kind"] = resource.Kind,
            ["causes"] = new JsonArray(causes.Select(c => (JsonNode)new JsonObject { ["reason"] = c.Reason, ["message"] = c.Message, ["field"] = c.Field }).ToArray()),
        };
        return (422, status);
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;

namespace FlatRacoon.Testing.Fake;

// Server-side printing (https://kubernetes.io/docs/reference/using-api/api-concepts/#receiving-resources-as-tables):
// a GET with "Accept: application/json;as=Table;v=v1;g=meta.k8s.io" answers a meta.k8s.io/v1 Table.
// The columns of each kind are those of the API server's printers (kubernetes/kubernetes
// pkg/printers/internalversion/printers.go, v1.32): names, types, formats and priorities; kinds the
// printers do not handle (Role, ClusterRole, CustomResourceDefinition) get the default table (Name,
// Created At), and custom resources without printer columns get Name and Age, as the CRD handler gives.
public sealed partial class FakeApiServer
{
    private static bool WantsTable(string accept) =>
        accept.Split(',').Any(part => part.Split(';').Select(p => p.Trim()).Contains("as=Table", StringComparer.Ordinal));

    private sealed record Column(string Name, string Type, int Priority = 0, string Format = "", string Description = "");

    private static readonly Column NameColumn = new("Name", "string", Format: "name", Description: "Name must be unique within a namespace.");
    private static readonly Column AgeColumn = new("Age", "string", Description: "CreationTimestamp is a timestamp representing the server time when this object was created.");
    private static readonly Column Containers = new("Containers", "string", 1, Description: "Names of each container in the template.");
    private static readonly Column Images = new("Images", "string", 1, Description: "Images referenced by each container in the template.");

    /// <summary>The columns and the cells of one object, by kind.</summary>
    private (Column[] Columns, Func<JsonObject, object?[]> Cells) Printer(string kind, bool builtIn) => kind switch
    {
        "Deployment" => (
            [NameColumn, new("Ready", "string", Description: "Number of the pod with ready state"), new("Up-to-date", "string", Description: "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
             new("Available", "string", Description: "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."), AgeColumn, Containers, Images,
             new("Selector", "string", 1, Description: "Label selector for pods.")],
            o => [Name(o), $"{L(o["status"]?["readyReplicas"]) ?? 0}/{L(o["spec"]?["replicas"]) ?? 1}", L(o["status"]?["updatedReplicas"]) ?? 0, L(o["status"]?["availableReplicas"]) ?? 0, Age(o),
                  ContainerNames(o), ContainerImages(o), FormatSelector(o["spec"]?["selector"])]),
        "StatefulSet" => (
            [NameColumn, new("Ready", "string", Description: "Number of the pod with ready state"), AgeColumn, Containers, Images],
            o => [Name(o), $"{L(o["status"]?["readyReplicas"]) ?? 0}/{L(o["spec"]?["replicas"]) ?? 1}", Age(o), ContainerNames(o), ContainerImages(o)]),
        "DaemonSet" => (
            [NameColumn, new("Desired", "integer"), new("Current", "integer"), new("Ready", "integer"), new("Up-to-date", "integer"), new("Available", "integer"), new("Node Selector", "string"),
             AgeColumn, Containers, Images, new("Selector", "string", 1)],
            o => [Name(o), L(o["status"]?["desiredNumberScheduled"]) ?? 0, L(o["status"]?["currentNumberScheduled"]) ?? 0, L(o["status"]?["numberReady"]) ?? 0,
                  L(o["status"]?["updatedNumberScheduled"]) ?? 0, L(o["status"]?["numberAvailable"]) ?? 0, FormatLabels(o["spec"]?["template"]?["spec"]?["nodeSelector"]), Age(o),
                  ContainerNames(o), ContainerImages(o), FormatSelector(o["spec"]?["selector"])]),
        "Job" => (
            [NameColumn, new("Status", "string", Description: "Status of the job."), new("Completions", "string"), new("Duration", "string", Description: "Time required to complete the job."),
             AgeColumn, Containers, Images, new("Selector", "string", 1)],
            o => [Name(o), o["status"]?["succeeded"] is not null ? "Complete" : "Running", $"{L(o["status"]?["succeeded"]) ?? 0}/{L(o["spec"]?["completions"]) ?? 1}", Age(o), Age(o),
                  ContainerNames(o), ContainerImages(o), FormatSelector(o["spec"]?["selector"])]),
        "CronJob" => (
            [NameColumn, new("Schedule", "string"), new("Timezone", "string"), new("Suspend", "boolean"), new("Active", "integer"), new("Last Schedule", "string"), AgeColumn, Containers, Images, new("Selector", "string", 1)],
            o => [Name(o), S(o["spec"]?["schedule"]), S(o["spec"]?["timeZone"]) is { Length: > 0 } tz ? tz : "<none>", o["spec"]?["suspend"]?.GetValue<bool>() == true ? "True" : "False",
                  (long)((o["status"]?["active"] as JsonArray)?.Count ?? 0), "<none>", Age(o),
                  JobContainerNames(o), JobContainerImages(o), FormatSelector(o["spec"]?["jobTemplate"]?["spec"]?["selector"])]),
        "Service" => (
            [NameColumn, new("Type", "string"), new("Cluster-IP", "string"), new("External-IP", "string"), new("Port(s)", "string"), AgeColumn, new("Selector", "string", 1)],
            o => [Name(o), S(o["spec"]?["type"]), S(o["spec"]?["clusterIP"]) is { Length: > 0 } ip ? ip : "<none>", ExternalIp(o), ServicePorts(o), Age(o), FormatLabels(o["spec"]?["selector"])]),
        "Pod" => (
            [NameColumn, new("Ready", "string", Description: "The aggregate readiness state of this pod for accepting traffic."), new("Status", "string", Description: "The aggregate status of the containers in this pod."),
             new("Restarts", "string", Description: "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."), AgeColumn,
             new("IP", "string", 1), new("Node", "string", 1), new("Nominated Node", "string", 1), new("Readiness Gates", "string", 1)],
            o => [Name(o), $"0/{(o["spec"]?["containers"] as JsonArray)?.Count ?? 0}", S(o["status"]?["phase"]) is { Length: > 0 } phase ? phase : "Pending", "0", Age(o),
                  "<none>", S(o["spec"]?["nodeName"]) is { Length: > 0 } node ? node : "<none>", "<none>", "<none>"]),
        "Namespace" => (
            [NameColumn, new("Status", "string", Description: "The status of the namespace"), AgeColumn],
            o => [Name(o), S(o["status"]?["phase"]), Age(o)]),
        "ConfigMap" => (
            [NameColumn, new("Data", "string"), AgeColumn],
            o => [Name(o), (long)(((o["data"] as JsonObject)?.Count ?? 0) + ((o["binaryData"] as JsonObject)?.Count ?? 0)), Age(o)]),
        "Secret" => (
            [NameColumn, new("Type", "string"), new("Data", "string"), AgeColumn],
            o => [Name(o), S(o["type"]) is { Length: > 0 } type ? type : "Opaque", (long)(((o["data"] as JsonObject)?.Count ?? 0) + ((o["stringData"] as JsonObject)?.Count ?? 0)), Age(o)]),
        "ServiceAccount" => (
            [NameColumn, new("Secrets", "string"), AgeColumn],
            o => [Name(o), (long)((o["secrets"] as JsonArray)?.Count ?? 0), Age(o)]),
        "PersistentVolumeClaim" => (
            [NameColumn, new("Status", "string"), new("Volume", "string"), new("Capacity", "string"), new("Access Modes", "string"), new("StorageClass", "string", Description: "StorageClass of the pvc"),
             new("VolumeAttributesClass", "string", Description: "VolumeAttributesClass of the pvc"), AgeColumn, new("VolumeMode", "string", 1)],
            o => [Name(o), S(o["status"]?["phase"]) is { Length: > 0 } phase ? phase : "Pending", S(o["spec"]?["volumeName"]), "", "", S(o["spec"]?["storageClassName"]) is { Length: > 0 } sc ? sc : "<unset>",
                  S(o["spec"]?["volumeAttributesClassName"]) is { Length: > 0 } vac ? vac : "<unset>", Age(o), S(o["spec"]?["volumeMode"]) is { Length: > 0 } mode ? mode : "Filesystem"]),
        "HorizontalPodAutoscaler" => (
            [NameColumn, new("Reference", "string"), new("Targets", "string"), new("MinPods", "string"), new("MaxPods", "string"), new("Replicas", "string"), AgeColumn],
            o => [Name(o), $"{S(o["spec"]?["scaleTargetRef"]?["kind"])}/{S(o["spec"]?["scaleTargetRef"]?["name"])}", HpaTargets(o), L(o["spec"]?["minReplicas"]) ?? 1, L(o["spec"]?["maxReplicas"]) ?? 0,
                  L(o["status"]?["currentReplicas"]) ?? 0, Age(o)]),
        "NetworkPolicy" => (
            [NameColumn, new("Pod-Selector", "string"), AgeColumn],
            o => [Name(o), FormatSelector(o["spec"]?["podSelector"], empty: "<none>"), Age(o)]),
        "Ingress" => (
            [NameColumn, new("Class", "string", Description: "The name of the IngressClass resource that should be used for additional configuration"),
             new("Hosts", "string", Description: "Hosts that incoming requests are matched against before the ingress rule"),
             new("Address", "string", Description: "Address is a list containing ingress points for the load-balancer"), new("Ports", "string", Description: "Ports of TLS configurations that open"), AgeColumn],
            o => [Name(o), S(o["spec"]?["ingressClassName"]) is { Length: > 0 } c ? c : "<none>", IngressHosts(o), "", o["spec"]?["tls"] is JsonArray { Count: > 0 } ? "80, 443" : "80", Age(o)]),
        "RoleBinding" or "ClusterRoleBinding" => (
            [NameColumn, new("Role", "string"), AgeColumn, new("Users", "string", 1), new("Groups", "string", 1), new("ServiceAccounts", "string", 1)],
            o => [Name(o), $"{S(o["roleRef"]?["kind"])}/{S(o["roleRef"]?["name"])}", Age(o), Subjects(o, "User"), Subjects(o, "Group"), Subjects(o, "ServiceAccount")]),
        "PodDisruptionBudget" => (
            [NameColumn, new("Min Available", "string", Description: "The minimum number of pods that must be available."),
             new("Max Unavailable", "string", Description: "The maximum number of pods that may be unavailable."),
             new("Allowed Disruptions", "integer", Description: "Calculated number of pods that may be disrupted at this time."), AgeColumn],
            o => [Name(o), o["spec"]?["minAvailable"] is { } min ? min.ToString() : "N/A", o["spec"]?["maxUnavailable"] is { } max ? max.ToString() : "N/A", L(o["status"]?["disruptionsAllowed"]) ?? 0, Age(o)]),
        "RuntimeClass" => (
            [NameColumn, new("Handler", "string"), AgeColumn],
            o => [Name(o), S(o["handler"]), Age(o)]),
        _ when builtIn => (
            [NameColumn, new("Created At", "date", Description: "CreationTimestamp is a timestamp representing the server time when this object was created.")],
            o => [Name(o), S(o["metadata"]?["creationTimestamp"])]),
        _ => (
            [NameColumn, new("Age", "date")],
            o => [Name(o), Age(o)]),
    };

    /// <summary>The object or list of <paramref name="body"/> as a meta.k8s.io/v1 Table.</summary>
    private JsonObject Table(JsonObject body, string includeObject)
    {
        var kindText = body["kind"]?.GetValue<string>() ?? "";
        var isList = body["items"] is JsonArray;
        var kind = isList && kindText.EndsWith("List", StringComparison.Ordinal) ? kindText[..^4] : kindText;
        FakeResource? resource;
        lock (_lock)
        {
            resource = _resources.FirstOrDefault(r => r.Kind == kind);
        }
        if (resource is null)
        {
            return body; // not a resource (discovery, Status ...): no table
        }
        var (columns, cells) = Printer(kind, !IsCustom(resource));
        var objects = isList ? body["items"]!.AsArray().OfType<JsonObject>().ToList() : new List<JsonObject> { body };
        var rows = objects.Select(o =>
        {
            var row = new JsonObject { ["cells"] = new JsonArray(cells(o).Select(Cell).ToArray()) };
            switch (includeObject)
            {
                case "None":
                    break;
                case "Object":
                {
                    var full = (JsonObject)o.DeepClone();
                    full["apiVersion"] = resource.GroupVersion;
                    full["kind"] = resource.Kind;
                    row["object"] = full;
                    break;
                }
                default:
                {
                    var metadata = (JsonObject)o["metadata"]!.DeepClone();
                    row["object"] = new JsonObject { ["kind"] = "PartialObjectMetadata", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = metadata };
                    break;
                }
            }
            return (JsonNode)row;
        }).ToArray();
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = (isList ? body["metadata"]?["resourceVersion"] : body["metadata"]?["resourceVersion"])?.DeepClone() },
            ["columnDefinitions"] = new JsonArray(columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Format,
                ["description"] = c.Description,
                ["priority"] = c.Priority,
            }).ToArray()),
            ["rows"] = new JsonArray(rows),
        };
    }

    private static JsonNode? Cell(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        long l => JsonValue.Create(l),
        int i => JsonValue.Create((long)i),
        bool b => JsonValue.Create(b),
        _ => JsonValue.Create(value.ToString()),
    };

    private static string Name(JsonObject o) => S(o["metadata"]?["name"]);

    private static string S(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "";

    private static string Age(JsonObject o) =>
        DateTimeOffset.TryParse(S(o["metadata"]?["creationTimestamp"]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created)
            ? HumanDuration(DateTimeOffset.UtcNow - created)
            : "<unknown>";

    /// <summary>As apimachinery's duration.HumanDuration: how kubectl shows an age (5s, 3m20s, 2d4h ...).</summary>
    internal static string HumanDuration(TimeSpan d)
    {
        if (d < TimeSpan.FromSeconds(-1))
        {
            return "<invalid>";
        }
        if (d < TimeSpan.Zero)
        {
            return "0s";
        }
        var seconds = (long)d.TotalSeconds;
        if (seconds < 60 * 2)
        {
            return $"{seconds}s";
        }
        var minutes = (long)d.TotalMinutes;
        if (minutes < 10)
        {
            return seconds % 60 == 0 ? $"{minutes}m" : $"{minutes}m{seconds % 60}s";
        }
        if (minutes < 60 * 3)
        {
            return $"{minutes}m";
        }
        var hours = (long)d.TotalHours;
        if (hours < 8)
        {
            return minutes % 60 == 0 ? $"{hours}h" : $"{hours}h{minutes % 60}m";
        }
        if (hours < 48)
        {
            return $"{hours}h";
        }
        if (hours < 24 * 8)
        {
            return hours % 24 == 0 ? $"{hours / 24}d" : $"{hours / 24}d{hours % 24}h";
        }
        if (hours < 24 * 365 * 2)
        {
            return $"{hours / 24}d";
        }
        if (hours < 24 * 365 * 8)
        {
            var days = hours / 24 % 365;
            return days == 0 ? $"{hours / 24 / 365}y" : $"{hours / 24 / 365}y{days}d";
        }
        return $"{hours / 24 / 365}y";
    }

    private static IEnumerable<JsonObject> TemplateContainers(JsonNode? podSpec) => (podSpec?["containers"] as JsonArray)?.OfType<JsonObject>() ?? Enumerable.Empty<JsonObject>();

    private static string ContainerNames(JsonObject o) => string.Join(",", TemplateContainers(o["spec"]?["template"]?["spec"]).Select(c => S(c["name"])));

    private static string ContainerImages(JsonObject o) => string.Join(",", TemplateContainers(o["spec"]?["template"]?["spec"]).Select(c => S(c["image"])));

    private static string JobContainerNames(JsonObject o) => string.Join(",", TemplateContainers(o["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"]).Select(c => S(c["name"])));

    private static string JobContainerImages(JsonObject o) => string.Join(",", TemplateContainers(o["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"]).Select(c => S(c["image"])));

    /// <summary>As labels.FormatLabels: <c>a=b,c=d</c> sorted by key, <c>&lt;none&gt;</c> when empty.</summary>
    private static string FormatLabels(JsonNode? labels) =>
        labels is JsonObject { Count: > 0 } map ? string.Join(",", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={S(p.Value)}")) : "<none>";

    /// <summary>As metav1.FormatLabelSelector: matchLabels then matchExpressions; an empty selector selects everything.</summary>
    private static string FormatSelector(JsonNode? selector, string empty = "<none>")
    {
        if (selector is not JsonObject s)
        {
            return "<none>";
        }
        var parts = ((s["matchLabels"] as JsonObject) ?? new JsonObject()).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={S(p.Value)}").ToList();
        foreach (var e in ((s["matchExpressions"] as JsonArray) ?? new JsonArray()).OfType<JsonObject>())
        {
            var values = string.Join(",", ((e["values"] as JsonArray) ?? new JsonArray()).Select(S));
            parts.Add(S(e["operator"]) switch
            {
                "In" => $"{S(e["key"])} in ({values})",
                "NotIn" => $"{S(e["key"])} notin ({values})",
                "Exists" => S(e["key"]),
                "DoesNotExist" => "!" + S(e["key"]),
                var op => $"{S(e["key"])} {op} ({values})",
            });
        }
        return parts.Count == 0 ? empty : string.Join(",", parts);
    }

    private static string ExternalIp(JsonObject o) => S(o["spec"]?["type"]) switch
    {
        "LoadBalancer" => "<pending>",
        "ExternalName" => S(o["spec"]?["externalName"]),
        _ => o["spec"]?["externalIPs"] is JsonArray { Count: > 0 } ips ? string.Join(",", ips.Select(S)) : "<none>",
    };

    private static string ServicePorts(JsonObject o)
    {
        var ports = (o["spec"]?["ports"] as JsonArray)?.OfType<JsonObject>().Select(p =>
            p["nodePort"] is { } node ? $"{S(p["port"])}:{S(node)}/{S(p["protocol"])}" : $"{S(p["port"])}/{S(p["protocol"])}").ToList();
        return ports is { Count: > 0 } ? string.Join(",", ports) : "<none>";
    }

    private static string HpaTargets(JsonObject o)
    {
        var metrics = (o["spec"]?["metrics"] as JsonArray)?.OfType<JsonObject>().ToList() ?? new List<JsonObject>();
        if (metrics.Count == 0)
        {
            return "<none>";
        }
        var shown = metrics.Take(2).Select(m => m["resource"] is JsonObject r
            ? $"{S(r["name"])}: <unknown>/{(r["target"]?["averageUtilization"] is { } u ? S(u) + "%" : S(r["target"]?["averageValue"]))}"
            : "<unknown>/<unknown>").ToList();
        return string.Join(", ", shown) + (metrics.Count > 2 ? $" + {metrics.Count - 2} more..." : "");
    }

    private static string IngressHosts(JsonObject o)
    {
        var hosts = (o["spec"]?["rules"] as JsonArray)?.OfType<JsonObject>().Select(r => S(r["host"]) is { Length: > 0 } h ? h : "*").ToList() ?? new List<string>();
        return hosts.Count == 0 ? "*" : string.Join(",", hosts.Take(4)) + (hosts.Count > 4 ? $" + {hosts.Count - 4} more..." : "");
    }

    private static string Subjects(JsonObject o, string kind) => string.Join(", ", ((o["subjects"] as JsonArray) ?? new JsonArray()).OfType<JsonObject>()
        .Where(s => S(s["kind"]) == kind)
        .Select(s => kind == "ServiceAccount" ? $"{S(s["namespace"])}/{S(s["name"])}" : S(s["name"])));
}

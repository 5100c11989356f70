using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using FlatRacoon.Deployment;

namespace FlatRacoon.Observability;

/// <summary>
/// What <see cref="StackStatusReader"/> reads of a module, in one place: the reader uses it to
/// decide what to ask the API, and poly-observability-mcp's renderer uses it to grant exactly
/// those reads (so the two cannot drift apart).
/// </summary>
internal static class StatusReads
{
    /// <summary>The workload kinds whose replicas the reader counts.</summary>
    public static bool IsWorkload(string kind) => kind is "Deployment" or "StatefulSet" or "DaemonSet" or "Job";

    /// <summary>
    /// The objects of one module the reader GETs: its workloads; a module without a workload is
    /// judged by the presence of its objects, Secrets excepted (the reader never reads a Secret).
    /// </summary>
    public static IReadOnlyList<JsonObject> ObjectsRead(IReadOnlyList<JsonObject> moduleObjects)
    {
        var workloads = moduleObjects.Where(o => IsWorkload(KubeObject.Kind(o))).ToArray();
        return workloads.Length > 0 ? workloads : moduleObjects.Where(o => KubeObject.Kind(o) != "Secret").ToArray();
    }

    /// <summary>
    /// The health endpoint of a workload, read through the API server's service proxy: its first
    /// container's HTTP readiness probe, when the Service of the same name exposes that port.
    /// </summary>
    public static HealthTarget? Health(JsonObject workload, IReadOnlyList<JsonObject> moduleObjects)
    {
        var probe = workload["spec"]?["template"]?["spec"]?["containers"]?[0]?["readinessProbe"]?["httpGet"];
        var port = probe?["port"]?.ToJsonString().Trim('"');
        var path = probe?["path"] is JsonValue p && p.TryGetValue<string>(out var text) ? text : null;
        var ns = KubeObject.Namespace(workload);
        var name = KubeObject.Name(workload);
        var service = moduleObjects.FirstOrDefault(o => KubeObject.Kind(o) == "Service" && KubeObject.Namespace(o) == ns && KubeObject.Name(o) == name);
        var exposed = service?["spec"]?["ports"] is JsonArray ports
            && ports.Any(x => x?["name"]?.ToJsonString().Trim('"') == port || x?["port"]?.ToJsonString() == port);
        return port is null || path is null || ns is null || !exposed ? null : new HealthTarget(ns, name, port, path);
    }

    /// <summary>
    /// The resource (plural, lower case) of a kind, as the API server names it when a kind is not
    /// served by discovery: Kubernetes' own guess (<c>meta.UnsafeGuessKindToResource</c>).
    /// </summary>
    public static string Resource(string kind)
    {
        var lower = kind.ToLowerInvariant();
        if (lower.EndsWith('s'))
        {
            return lower + "es";
        }
        if (lower.EndsWith('y') && lower.Length > 1 && "aeiou".IndexOf(lower[^2]) < 0)
        {
            return lower[..^1] + "ies";
        }
        return lower + "s";
    }

    /// <summary>The API group of an apiVersion (<c>""</c> for the core group).</summary>
    public static string Group(string apiVersion) => apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
}

/// <summary>A health endpoint behind a Service.</summary>
/// <param name="Namespace">The Service's namespace.</param>
/// <param name="Service">Its name.</param>
/// <param name="Port">The port, by name or number, as the probe names it.</param>
/// <param name="Path">The HTTP path.</param>
internal sealed record HealthTarget(string Namespace, string Service, string Port, string Path)
{
    /// <summary>The name the API server authorizes a service-proxy request by (<c>name:port</c>, the URL segment).</summary>
    public string ProxyName => $"{Service}:{Port}";

    /// <summary>The service-proxy path.</summary>
    public string ProxyPath => $"/api/v1/namespaces/{Uri.EscapeDataString(Namespace)}/services/{Uri.EscapeDataString(Service)}:{Uri.EscapeDataString(Port)}/proxy/{Path.TrimStart('/')}";
}

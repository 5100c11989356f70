using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FlatRacoon.Dashboard;
using FlatRacoon.Deployment;
using FlatRacoon.Rendering;

namespace FlatRacoon.Observability;

/// <summary>
/// Reads where a stack stands in the cluster, module by module, for the dashboard and for
/// <c>/status</c>: each module's workloads (desired and ready replicas, readiness in the deployment
/// engine's own terms), its health endpoint through the API server's service proxy, the warning
/// events of its namespace, and the stack's latest revision with its diff summary. Reads only.
/// </summary>
public sealed class StackStatusReader : IDashboardSource
{
    /// <summary>Warning events kept per module.</summary>
    public const int WarningsPerModule = 5;

    private readonly KubeApiClient _api;
    private readonly Stack _stack;
    private readonly DeploymentSet _set;
    private readonly ResourceCatalog _catalog;
    private readonly string _title;

    /// <summary>Creates the reader. Use a client without retries (<see cref="RetryPolicy.MaxAttempts"/> 1): a live view shows failures, it does not wait them out.</summary>
    public StackStatusReader(KubeApiClient api, Stack stack, DeploymentSet set, string? title = null)
    {
        _api = api;
        _stack = stack;
        _set = set;
        _catalog = new ResourceCatalog(api);
        _title = title ?? "FlatRacoon Network";
    }

    /// <inheritdoc />
    public async Task<StackSnapshot> ReadAsync(CancellationToken cancellation)
    {
        string? problem = null;
        string? note = null;
        RevisionInfo? revision = null;
        try
        {
            if (await new RevisionStore(_api, _stack.Name).LatestAsync(cancellation).ConfigureAwait(false) is { } latest)
            {
                revision = new RevisionInfo(latest.Number, latest.Time, latest.User, latest.Description, latest.Summary);
            }
        }
        catch (KubeApiException e) when (e.StatusCode is not null)
        {
            // Revisions are Secrets in the system namespace: a reader without that right (the
            // built-in view role excludes Secrets) still shows every module, without the revision.
            note = $"cannot read the stack's revisions: {_set.Redactor.Redact(e.Message)}";
        }
        catch (KubeApiException e)
        {
            problem = $"cannot read the cluster: {_set.Redactor.Redact(e.Message)}";
        }
        var modules = new List<ModuleStatus>();
        for (var w = 0; w < _stack.Waves.Length; w++)
        {
            foreach (var module in _stack.Waves[w].OrderBy(m => m.Name, StringComparer.Ordinal))
            {
                modules.Add(problem is null
                    ? await ReadModuleAsync(module, w + 1, cancellation).ConfigureAwait(false)
                    : new ModuleStatus(module.Name, module.Namespace, Layer(module), w + 1, "unknown", "cluster unreachable", 0, 0, null, Array.Empty<WarningEvent>()));
            }
        }
        return new StackSnapshot(_stack.Name, _stack.Environment.Name, _title, revision, modules, problem ?? note);
    }

    private static string Layer(ModuleInstance module) => module.Descriptor.Layer.ToString().ToLowerInvariant();

    private async Task<ModuleStatus> ReadModuleAsync(ModuleInstance module, int wave, CancellationToken cancellation)
    {
        var objects = _set.Objects.Where(o => o.Module == module.Name).ToArray();
        var bodies = objects.Select(o => o.Body).ToArray();
        var workloads = objects.Where(o => StatusReads.IsWorkload(o.Kind)).ToArray();
        var desired = 0;
        var ready = 0;
        var states = new List<(string State, string Message)>();
        try
        {
            foreach (var workload in workloads)
            {
                var live = await GetAsync(workload.Body, cancellation).ConfigureAwait(false);
                if (live is null)
                {
                    states.Add(("missing", $"{workload.Display} is missing"));
                    desired += DesiredReplicas(workload.Body, null);
                    continue;
                }
                desired += DesiredReplicas(workload.Body, live);
                ready += ReadyReplicas(live);
                var verdict = Readiness.Evaluate(live);
                states.Add((verdict.State switch
                {
                    ReadinessState.Ready => "ready",
                    ReadinessState.Failed => "failed",
                    _ => "progressing",
                }, $"{workload.Kind} {KubeObject.Name(workload.Body)}: {verdict.Message}"));
            }
        }
        catch (KubeApiException e)
        {
            return new ModuleStatus(module.Name, module.Namespace, Layer(module), wave, "unknown", _set.Redactor.Redact(e.Message), desired, ready, null, Array.Empty<WarningEvent>());
        }
        var (state, message) = workloads.Length == 0
            ? await PresenceAsync(StatusReads.ObjectsRead(bodies), cancellation).ConfigureAwait(false)
            : Worst(states);
        var health = await HealthAsync(workloads, bodies, cancellation).ConfigureAwait(false);
        var warnings = await WarningsAsync(module.Namespace, cancellation).ConfigureAwait(false);
        return new ModuleStatus(module.Name, module.Namespace, Layer(module), wave, state, message, desired, ready, health, warnings);
    }

    private static (string State, string Message) Worst(List<(string State, string Message)> states)
    {
        foreach (var rank in new[] { "failed", "missing", "progressing" })
        {
            var bad = states.Where(s => s.State == rank).ToArray();
            if (bad.Length > 0)
            {
                return (rank, string.Join("; ", bad.Select(s => s.Message)));
            }
        }
        return ("ready", string.Join("; ", states.Select(s => s.Message)));
    }

    /// <summary>A module without workloads (CRDs, policies only) is ready when its objects exist (Secrets are never read).</summary>
    private async Task<(string, string)> PresenceAsync(IReadOnlyList<JsonObject> objects, CancellationToken cancellation)
    {
        var missing = 0;
        foreach (var o in objects)
        {
            if (await GetAsync(o, cancellation).ConfigureAwait(false) is null)
            {
                missing++;
            }
        }
        return missing == 0
            ? ("ready", $"{objects.Count} objects present, no workload")
            : ("missing", $"{missing} of {objects.Count} objects missing");
    }

    private async Task<JsonObject?> GetAsync(JsonObject body, CancellationToken cancellation)
    {
        var type = await _catalog.TryResolveAsync(KubeObject.ApiVersion(body), KubeObject.Kind(body), cancellation).ConfigureAwait(false);
        if (type is null)
        {
            return null;
        }
        var answer = await _api.SendAsync(HttpMethod.Get, type.ObjectPath(KubeObject.Namespace(body), KubeObject.Name(body)), $"read {KubeObject.Display(body)}", cancellation: cancellation).ConfigureAwait(false);
        return answer.StatusCode == HttpStatusCode.NotFound ? null
            : answer.IsSuccess ? answer.Body
            : throw new KubeApiException($"read {KubeObject.Display(body)}: {KubeApiClient.Describe(answer)}", answer.StatusCode, answer.StatusMessage ?? "");
    }

    private static int DesiredReplicas(JsonObject desired, JsonObject? live) => KubeObject.Kind(desired) switch
    {
        "DaemonSet" => Int(live?["status"]?["desiredNumberScheduled"]),
        "Job" => Math.Max(1, Int(desired["spec"]?["completions"], 1)),
        _ => Int((live ?? desired)["spec"]?["replicas"], 1),
    };

    private static int ReadyReplicas(JsonObject live) => KubeObject.Kind(live) switch
    {
        "DaemonSet" => Int(live["status"]?["numberReady"]),
        "Job" => Int(live["status"]?["succeeded"]),
        _ => Int(live["status"]?["readyReplicas"]),
    };

    private static int Int(JsonNode? node, int fallback = 0) =>
        node is JsonValue v && v.TryGetValue<long>(out var n) ? (int)n : fallback;

    /// <summary>The module's health endpoint (its first workload's HTTP readiness probe, on the Service of the same name), through the service proxy.</summary>
    private async Task<HealthAnswer?> HealthAsync(DesiredObject[] workloads, IReadOnlyList<JsonObject> objects, CancellationToken cancellation)
    {
        foreach (var workload in workloads)
        {
            if (StatusReads.Health(workload.Body, objects) is not { } target)
            {
                continue;
            }
            var name = target.Service;
            var endpoint = $"{name}.{target.Namespace}:{target.Port}{target.Path}";
            var proxy = target.ProxyPath;
            try
            {
                var answer = await _api.SendAsync(HttpMethod.Get, proxy, $"health of {name}", cancellation: cancellation).ConfigureAwait(false);
                return new HealthAnswer(endpoint, (int)answer.StatusCode, Reason(answer.StatusCode, answer.StatusMessage));
            }
            catch (KubeApiException e)
            {
                return new HealthAnswer(endpoint, e.StatusCode is { } code ? (int)code : 0,
                    e.StatusCode is { } c ? Reason(c, e.ApiMessage) : _set.Redactor.Redact(e.ApiMessage));
            }
        }
        return null;
    }

    private string Reason(HttpStatusCode code, string? message)
    {
        var phrase = code switch
        {
            HttpStatusCode.OK => "OK",
            HttpStatusCode.ServiceUnavailable => "Service Unavailable",
            HttpStatusCode.NotFound => "Not Found",
            HttpStatusCode.Forbidden => "Forbidden (no right to the service proxy)",
            HttpStatusCode.InternalServerError => "Internal Server Error",
            _ => code.ToString(),
        };
        return string.IsNullOrEmpty(message) ? phrase : $"{phrase}: {Line(_set.Redactor.Redact(message))}";
    }

    private static string Line(string text)
    {
        var line = text.Split('\n')[0].Trim();
        return line.Length > 160 ? line[..160] + "…" : line;
    }

    /// <summary>The newest warning events of the namespace; none when events cannot be listed (no right, or an API without them).</summary>
    private async Task<IReadOnlyList<WarningEvent>> WarningsAsync(string ns, CancellationToken cancellation)
    {
        ApiAnswer answer;
        try
        {
            answer = await _api.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{Uri.EscapeDataString(ns)}/events?fieldSelector=type%3DWarning", $"list events of {ns}", cancellation: cancellation).ConfigureAwait(false);
        }
        catch (KubeApiException)
        {
            return Array.Empty<WarningEvent>();
        }
        if (!answer.IsSuccess || answer.Body?["items"] is not JsonArray items)
        {
            return Array.Empty<WarningEvent>();
        }
        return items.OfType<JsonObject>()
            .Where(e => e["type"]?.GetValue<string>() == "Warning")
            .Select(e => new WarningEvent(
                $"{e["involvedObject"]?["kind"]?.GetValue<string>()}/{e["involvedObject"]?["name"]?.GetValue<string>()}",
                e["reason"]?.GetValue<string>() ?? "",
                Line(_set.Redactor.Redact(e["message"]?.GetValue<string>() ?? "")),
                Math.Max(1, Int(e["count"], 1)),
                e["lastTimestamp"]?.GetValue<string>() ?? e["eventTime"]?.GetValue<string>() ?? ""))
            .OrderByDescending(e => e.LastSeen, StringComparer.Ordinal)
            .ThenBy(e => e.Object, StringComparer.Ordinal)
            .Take(WarningsPerModule)
            .ToArray();
    }
}

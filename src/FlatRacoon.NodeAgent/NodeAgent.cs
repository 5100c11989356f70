using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FlatRacoon.Agents;
using FlatRacoon.Deployment;
using FlatRacoon.Modules.FlatracoonOs;

namespace FlatRacoon.NodeAgent;

/// <summary>
/// The flatracoon-os node agent. Every resync interval it reads its node and the node role file;
/// when a configured label or a taint under a managed prefix differs (someone changed or removed
/// it), or the file changed, it server-side applies the node's labels and taints under its own
/// field manager, forcing only the fields it configures. Other managers' labels are never sent, so
/// they stay; taints are one atomic list in the Node API, so the agent sends the other taints back
/// as they are and replaces only those under its prefixes.
/// </summary>
public sealed class NodeAgent : IAgent
{
    /// <summary>The agent's field manager.</summary>
    public const string FieldManager = "flatracoon-os-node-agent";

    private readonly KubeApiClient _api;
    private readonly string _node;
    private readonly string _roleFile;
    private readonly TimeSpan _resync;
    private readonly string _strategy;
    private readonly UpdateWindow _window;
    private string? _appliedRole;
    private bool _reached;
    private string _lastProblem = "the API has not been reached yet";

    private NodeAgent(KubeApiClient api, string node, string roleFile, TimeSpan resync, string strategy, UpdateWindow window)
    {
        _api = api;
        _node = node;
        _roleFile = roleFile;
        _resync = resync;
        _strategy = strategy;
        _window = window;
        Metrics.Counter("flatracoon_node_agent_reconciliations_total", "Reconciliations of the node's labels and taints.");
        Metrics.Counter("flatracoon_node_agent_reconcile_failures_total", "Reconciliations that failed (API refused or unreachable, role file unreadable).");
        Metrics.Counter("flatracoon_node_agent_applies_total", "Server-side applies sent because the node differed from its role.");
        Metrics.Gauge("flatracoon_node_agent_last_success_timestamp_seconds", "Unix time of the last reconciliation that left the node as configured.");
        Metrics.Gauge("flatracoon_node_agent_update_window_open", "With update_strategy live: 1 while the update window is open (node local time), else 0.");
    }

    /// <inheritdoc />
    public AgentMetrics Metrics { get; } = new();

    /// <summary>The agent from its settings (see docs/reference/images.md#flatracoon-os-node-agent).</summary>
    public static IAgent Create(AgentSettings settings)
    {
        var node = settings.Required("NODE_NAME", "the node this agent runs on (the DaemonSet sets it from spec.nodeName)");
        var config = settings.ModuleConfig();
        var strategy = config.TryGetProperty("update_strategy", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "reboot";
        UpdateWindow window;
        try
        {
            window = UpdateWindow.From(config);
        }
        catch (FormatException e)
        {
            throw new AgentSettingsException($"FLATRACOON_CONFIG: {e.Message}");
        }
        var api = KubeApiClient.Connect(retry: new RetryPolicy { MaxAttempts = 3, RequestTimeout = TimeSpan.FromSeconds(10) });
        return new NodeAgent(api, node, settings.Text(FlatracoonOsRenderer.RoleFileVariable, FlatracoonOsRenderer.AgentRoleDirectory + "/node-role.json"),
            settings.Seconds("FLATRACOON_RESYNC_SECONDS", 30), strategy, window);
    }

    /// <inheritdoc />
    public Task<HealthAnswer> HealthAsync(CancellationToken cancellation) => Task.FromResult(_reached
        ? new HealthAnswer(true, $"ok\napi: reached\n{(_lastProblem.Length > 0 ? "last problem: " + _lastProblem + "\n" : "")}")
        : new HealthAnswer(false, $"unhealthy\napi: {_lastProblem}\n"));

    /// <inheritdoc />
    public Task RefreshMetricsAsync(CancellationToken cancellation)
    {
        Metrics.Set("flatracoon_node_agent_update_window_open", _strategy == "live" && _window.IsOpen(DateTime.Now) ? 1 : 0);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RunAsync(TextWriter log, CancellationToken cancellation) =>
        AgentHost.LoopAsync(_resync, c => ReconcileAsync(log, c), log, cancellation);

    private void Fail(string problem)
    {
        _lastProblem = problem;
        Metrics.Increment("flatracoon_node_agent_reconcile_failures_total");
        throw new InvalidOperationException(problem);
    }

    /// <summary>One reconciliation.</summary>
    public async Task ReconcileAsync(TextWriter log, CancellationToken cancellation)
    {
        Metrics.Increment("flatracoon_node_agent_reconciliations_total");
        await RefreshMetricsAsync(cancellation).ConfigureAwait(false);
        ApiAnswer answer;
        try
        {
            answer = await _api.SendAsync(HttpMethod.Get, $"/api/v1/nodes/{Uri.EscapeDataString(_node)}", $"read node {_node}", cancellation: cancellation).ConfigureAwait(false);
        }
        catch (KubeApiException e)
        {
            _reached = false;
            Fail(e.Message);
            return;
        }
        _reached = true;
        if (!answer.IsSuccess || answer.Body is not { } node)
        {
            Fail($"read node {_node}: the API answered {KubeApiClient.Describe(answer)}");
            return;
        }

        string text;
        NodeRole role;
        try
        {
            text = await File.ReadAllTextAsync(_roleFile, cancellation).ConfigureAwait(false);
            role = NodeRole.Parse(text, _roleFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            Fail(e is FormatException ? e.Message : $"cannot read the node role file {_roleFile}: {e.Message}");
            return;
        }

        var labels = node["metadata"]?["labels"] as JsonObject ?? new JsonObject();
        var taints = (node["spec"]?["taints"] as JsonArray ?? new JsonArray()).OfType<JsonObject>().ToList();
        var drift = Drift(role, labels, taints);
        if (drift.Count == 0 && text == _appliedRole)
        {
            _lastProblem = "";
            Metrics.Set("flatracoon_node_agent_last_success_timestamp_seconds", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);
            return;
        }

        var applied = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject
            {
                ["name"] = _node,
                ["labels"] = new JsonObject(role.Labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)JsonValue.Create(l.Value)))),
            },
        };
        var others = taints.Where(t => !NodeRole.IsManaged(t["key"]?.GetValue<string>() ?? "")).Select(t => t.DeepClone()).ToList();
        if (others.Count > 0 || role.Taints.Count > 0 || taints.Count > 0)
        {
            var list = new JsonArray(others.ToArray());
            foreach (var taint in role.Taints)
            {
                var item = new JsonObject { ["key"] = taint.Key, ["effect"] = taint.Effect };
                if (taint.Value.Length > 0)
                {
                    item["value"] = taint.Value;
                }
                list.Add(item);
            }
            applied["spec"] = new JsonObject { ["taints"] = list };
        }
        ApiAnswer result;
        try
        {
            result = await _api.SendAsync(HttpMethod.Patch, $"/api/v1/nodes/{Uri.EscapeDataString(_node)}?fieldManager={FieldManager}&force=true",
                $"apply the labels and taints of node {_node}", applied.ToJsonString(), "application/apply-patch+yaml", cancellation: cancellation).ConfigureAwait(false);
        }
        catch (KubeApiException e)
        {
            Fail(e.Message);
            return;
        }
        if (!result.IsSuccess)
        {
            Fail($"apply the labels and taints of node {_node}: the API answered {KubeApiClient.Describe(result)}");
            return;
        }
        Metrics.Increment("flatracoon_node_agent_applies_total");
        _appliedRole = text;
        _lastProblem = "";
        Metrics.Set("flatracoon_node_agent_last_success_timestamp_seconds", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);
        await log.WriteLineAsync($"applied role {role.Role} to node {_node}{(drift.Count == 0 ? "" : ": " + string.Join("; ", drift))}").ConfigureAwait(false);
        await log.FlushAsync(cancellation).ConfigureAwait(false);
    }

    /// <summary>How the node differs from <paramref name="role"/>, one phrase each (empty: as configured).</summary>
    public static IReadOnlyList<string> Drift(NodeRole role, JsonObject labels, IReadOnlyList<JsonObject> taints)
    {
        var drift = new List<string>();
        foreach (var (key, value) in role.Labels)
        {
            var actual = labels[key]?.GetValue<string>();
            if (actual != value)
            {
                drift.Add(actual is null ? $"label {key} missing" : $"label {key} is '{actual}', not '{value}'");
            }
        }
        var managed = taints.Select(t => new NodeTaint(t["key"]?.GetValue<string>() ?? "", t["value"]?.GetValue<string>() ?? "", t["effect"]?.GetValue<string>() ?? ""))
            .Where(t => NodeRole.IsManaged(t.Key))
            .ToHashSet();
        var wanted = role.Taints.ToHashSet();
        drift.AddRange(wanted.Except(managed).Select(t => $"taint {t.Key}:{t.Effect} missing"));
        drift.AddRange(managed.Except(wanted).Select(t => $"taint {t.Key}:{t.Effect} not configured"));
        return drift;
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace FlatRacoon.Dashboard;

/// <summary>
/// The <c>stack.json</c> the network-dashboard module renders (docs/modules/network-dashboard.adoc):
/// the stack, its modules with namespace, layer and health URL, the status endpoint and the title.
/// </summary>
/// <param name="Stack">The stack's name.</param>
/// <param name="Environment">Its environment.</param>
/// <param name="Title">The page title.</param>
/// <param name="StatusEndpoint">Where the live status is read (poly-observability-mcp's <c>/status</c>).</param>
/// <param name="RefreshSeconds">Time between two reads of the status endpoint.</param>
/// <param name="Modules">The modules, by name.</param>
public sealed record StackFile(string Stack, string Environment, string Title, string StatusEndpoint, int RefreshSeconds, IReadOnlyList<StackFileModule> Modules)
{
    /// <summary>Reads and checks a stack.json; throws <see cref="InvalidDataException"/> with one clear line when it is not one.</summary>
    public static StackFile Parse(string json, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            string Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
                ? v.GetString()!
                : throw new InvalidDataException($"{source}: '{name}' is missing or not a string.");
            var modules = root.TryGetProperty("modules", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(m => new StackFileModule(Text(m, "name"), Text(m, "namespace"), Text(m, "layer"),
                    m.TryGetProperty("health", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null)).ToArray()
                : throw new InvalidDataException($"{source}: 'modules' is missing or not a list.");
            var refresh = root.TryGetProperty("refresh_seconds", out var r) && r.TryGetInt32(out var seconds) && seconds > 0 ? seconds : 30;
            return new StackFile(Text(root, "stack"), Text(root, "environment"), Text(root, "title"), Text(root, "status_endpoint"), refresh, modules);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not JSON ({e.Message})", e);
        }
    }

    /// <summary>The modules as declared, before anything is known of the cluster.</summary>
    public StackSnapshot Declared(string problem) => new(Stack, Environment, Title, null,
        Modules.Select(m => new ModuleStatus(m.Name, m.Namespace, m.Layer, 0, "unknown", "no status yet", 0, 0, null, Array.Empty<WarningEvent>())).ToArray(),
        problem);
}

/// <summary>One module of <see cref="StackFile"/>.</summary>
/// <param name="Name">Module name.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Layer">Its layer.</param>
/// <param name="Health">Its health URL inside the cluster, if any.</param>
public sealed record StackFileModule(string Name, string Namespace, string Layer, string? Health);

/// <summary>
/// Reads the live status from a status endpoint that answers a <see cref="StackSnapshot"/> as JSON
/// (poly-observability-mcp's <c>/status</c>, served by the stack program's <c>mcp --http</c>).
/// The dashboard itself then needs no Kubernetes API access at all: no service-account token, no
/// RBAC, and its NetworkPolicy lets it reach only that endpoint and DNS.
/// </summary>
public sealed class StatusEndpointSource : IDashboardSource
{
    private readonly HttpClient _http;
    private readonly StackFile _stack;

    /// <summary>Creates the source.</summary>
    public StatusEndpointSource(HttpClient http, StackFile stack)
    {
        _http = http;
        _stack = stack;
    }

    /// <inheritdoc />
    public async Task<StackSnapshot> ReadAsync(CancellationToken cancellation)
    {
        try
        {
            using var response = await _http.GetAsync(_stack.StatusEndpoint, cancellation).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return _stack.Declared($"the status endpoint {_stack.StatusEndpoint} answered {(int)response.StatusCode}.");
            }
            var live = SnapshotJson.Read(await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false));
            // The stack.json decides the title and which modules are shown; the endpoint fills in their state.
            var byName = live.Modules.ToDictionary(m => m.Name, StringComparer.Ordinal);
            var modules = _stack.Modules
                .Select(m => byName.TryGetValue(m.Name, out var s) ? s : new ModuleStatus(m.Name, m.Namespace, m.Layer, 0, "unknown", "not in the status endpoint's answer", 0, 0, null, Array.Empty<WarningEvent>()))
                .OrderBy(m => m.Wave).ThenBy(m => m.Name, StringComparer.Ordinal)
                .ToArray();
            return live with { Title = _stack.Title, Modules = modules };
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            return _stack.Declared($"cannot read the status endpoint {_stack.StatusEndpoint}: {e.Message}");
        }
    }
}

/// <summary>
/// The network-dashboard module's image: reads <c>$FLATRACOON_STACK</c> (the rendered stack.json)
/// and serves the page on all addresses, port <c>$PORT</c> (default 8080), reading the status from
/// the endpoint stack.json names (overridden by <c>$FLATRACOON_STATUS_ENDPOINT</c>).
/// </summary>
public static class InClusterDashboard
{
    /// <summary>Runs until <paramref name="cancellation"/> fires; returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyDictionary<string, string?> environment, TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        var path = environment.TryGetValue("FLATRACOON_STACK", out var p) && !string.IsNullOrEmpty(p) ? p : "/etc/flatracoon/stack.json";
        StackFile stack;
        try
        {
            stack = StackFile.Parse(await File.ReadAllTextAsync(path, cancellation).ConfigureAwait(false), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            stderr.WriteLine($"error: cannot read the stack file: {e.Message}");
            return 1;
        }
        if (environment.TryGetValue("FLATRACOON_STATUS_ENDPOINT", out var status) && !string.IsNullOrEmpty(status))
        {
            stack = stack with { StatusEndpoint = status };
        }
        var port = 8080;
        if (environment.TryGetValue("PORT", out var portText) && !string.IsNullOrEmpty(portText)
            && (!int.TryParse(portText, out port) || port is < 1 or > 65535))
        {
            stderr.WriteLine($"error: PORT must be a port number, not '{portText}'.");
            return 1;
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var options = new DashboardServerOptions { Address = IPAddress.IPv6Any, Port = port, Refresh = TimeSpan.FromSeconds(stack.RefreshSeconds) };
        await using var server = await DashboardServer.StartAsync(new StatusEndpointSource(http, stack), options, cancellation).ConfigureAwait(false);
        stdout.WriteLine($"Dashboard of stack '{stack.Stack}' on port {port}, status from {stack.StatusEndpoint}.");
        await server.RunUntilCancelledAsync(cancellation).ConfigureAwait(false);
        return 0;
    }
}

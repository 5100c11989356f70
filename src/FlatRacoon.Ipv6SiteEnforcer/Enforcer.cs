using System;
using System.Collections.Generic;
using System.Globalization;
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
using FlatRacoon.Modules.Ipv6SiteEnforcer;

namespace FlatRacoon.Ipv6SiteEnforcer;

/// <summary>
/// The enforcer: every resync interval it lists the Services, Pods and Ingresses of the stack's
/// namespaces (<c>$FLATRACOON_NAMESPACES</c>) and reports each object that would bring IPv4 into
/// the IPv6-only site as a Warning Event on that object (once while its findings last) and in
/// <c>flatracoon_ipv6_site_violations</c>. It never changes a workload. <c>/healthz</c> is 200 only
/// when the NAT64 route is up and the DNS64 resolver synthesises.
/// </summary>
public sealed class Enforcer : IAgent
{
    /// <summary>The Events' reason.</summary>
    public const string Reason = "IPv4InIPv6OnlySite";
    /// <summary>The Events' reporting component.</summary>
    public const string Component = Ipv6SiteEnforcerRenderer.ModuleName;

    private static readonly (string Kind, string ApiVersion, string Collection)[] Watched =
    {
        ("Service", "v1", "/api/v1/namespaces/{0}/services"),
        ("Pod", "v1", "/api/v1/namespaces/{0}/pods"),
        ("Ingress", "networking.k8s.io/v1", "/apis/networking.k8s.io/v1/namespaces/{0}/ingresses"),
    };

    private readonly KubeApiClient? _api;
    private readonly IReadOnlyList<string> _namespaces;
    private readonly TimeSpan _resync;
    private readonly string _routesFile;
    private readonly string _nat64Prefix;
    private readonly Dns64Probe? _dns64;
    private readonly string _instance;
    // What was reported, per (namespace, kind): a finding is reported again only after it went away.
    private readonly Dictionary<(string Namespace, string Kind), HashSet<string>> _reported = new();

    private Enforcer(KubeApiClient? api, IReadOnlyList<string> namespaces, TimeSpan resync, string routesFile, string nat64Prefix, Dns64Probe? dns64, string instance)
    {
        _api = api;
        _namespaces = namespaces;
        _resync = resync;
        _routesFile = routesFile;
        _nat64Prefix = nat64Prefix;
        _dns64 = dns64;
        _instance = instance;
        Metrics.Gauge("flatracoon_ipv6_site_violations", "Objects of the stack's namespaces that would bring IPv4 into the IPv6-only site, by namespace and kind.");
        Metrics.Counter("flatracoon_ipv6_site_warning_events_total", "Warning Events created for IPv4 findings.");
        Metrics.Counter("flatracoon_ipv6_site_scans_total", "Scans of the stack's namespaces.");
        Metrics.Counter("flatracoon_ipv6_site_scan_failures_total", "Lists or Event creations the API refused or did not answer.");
        Metrics.Gauge("flatracoon_ipv6_site_last_scan_success_timestamp_seconds", "Unix time of the last scan in which every list succeeded.");
        Metrics.Gauge("flatracoon_ipv6_site_nat64_route_up", "1 when the NAT64 prefix is routed through tayga's TUN device.");
        Metrics.Gauge("flatracoon_ipv6_site_dns64_up", "1 when the DNS64 resolver synthesises an AAAA for the IPv4-only probe name (1 when DNS64 is off).");
    }

    /// <inheritdoc />
    public AgentMetrics Metrics { get; } = new();

    /// <summary>The enforcer from its settings (see docs/reference/images.md#ipv6-site-enforcer).</summary>
    public static IAgent Create(AgentSettings settings)
    {
        var config = settings.ModuleConfig();
        string? Setting(string name) => config.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var prefix = Setting("nat64_prefix") ?? "64:ff9b:1::/96";
        if (!IPNetwork.TryParse(prefix, out var network) || network.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            throw new AgentSettingsException($"nat64_prefix '{prefix}' in FLATRACOON_CONFIG is not an IPv6 prefix.");
        }
        var dns64On = !(config.TryGetProperty("dns64", out var d) && d.ValueKind == JsonValueKind.False);
        Dns64Probe? probe = null;
        if (dns64On)
        {
            var serverText = settings.Text("FLATRACOON_DNS64_SERVER", $"[::1]:{Ipv6SiteEnforcerRenderer.Dns64Port}");
            if (!IPEndPoint.TryParse(serverText, out var server) || server.Port == 0)
            {
                throw new AgentSettingsException($"FLATRACOON_DNS64_SERVER must be an address and port ([::1]:5353), not '{serverText}'.");
            }
            probe = new Dns64Probe(server, settings.Text("FLATRACOON_DNS64_NAME", "ipv4only.arpa"), network, settings.Seconds("FLATRACOON_DNS64_TIMEOUT_SECONDS", 2));
        }
        var namespaces = (settings.Text(Ipv6SiteEnforcerRenderer.NamespacesVariable) ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        // Nothing to watch (a dual-stack environment, or enforce_ipv6_only off): no API access at all.
        var api = namespaces.Count == 0
            ? null
            : KubeApiClient.Connect(retry: new RetryPolicy { MaxAttempts = 3, RequestTimeout = TimeSpan.FromSeconds(10) });
        return new Enforcer(api, namespaces, settings.Seconds("FLATRACOON_RESYNC_SECONDS", 30),
            settings.Text("FLATRACOON_IPV6_ROUTES", "/proc/net/ipv6_route"), prefix, probe, Environment.MachineName);
    }

    /// <inheritdoc />
    public async Task<HealthAnswer> HealthAsync(CancellationToken cancellation)
    {
        var (nat64, nat64Detail) = Nat64Route.Check(_routesFile, _nat64Prefix, Nat64Dns64.TunDevice);
        var (dns64, dns64Detail) = _dns64 is null ? (true, "DNS64 is off (dns64: false)") : await _dns64.CheckAsync(cancellation).ConfigureAwait(false);
        Metrics.Set("flatracoon_ipv6_site_nat64_route_up", nat64 ? 1 : 0);
        Metrics.Set("flatracoon_ipv6_site_dns64_up", dns64 ? 1 : 0);
        var healthy = nat64 && dns64;
        return new HealthAnswer(healthy, $"{(healthy ? "ok" : "unhealthy")}\nnat64: {(nat64 ? "ok" : "failing")}: {nat64Detail}\ndns64: {(dns64 ? "ok" : "failing")}: {dns64Detail}\n");
    }

    /// <inheritdoc />
    public Task RefreshMetricsAsync(CancellationToken cancellation) => HealthAsync(cancellation);

    /// <inheritdoc />
    public async Task RunAsync(TextWriter log, CancellationToken cancellation)
    {
        if (_api is null)
        {
            await log.WriteLineAsync("no namespaces to watch (FLATRACOON_NAMESPACES is empty): checking NAT64 and DNS64 only").ConfigureAwait(false);
            await log.FlushAsync(cancellation).ConfigureAwait(false);
            await Task.Delay(Timeout.Infinite, cancellation).ConfigureAwait(false);
            return;
        }
        await AgentHost.LoopAsync(_resync, c => ScanAsync(log, c), log, cancellation).ConfigureAwait(false);
    }

    /// <summary>One scan of every namespace.</summary>
    public async Task ScanAsync(TextWriter log, CancellationToken cancellation)
    {
        Metrics.Increment("flatracoon_ipv6_site_scans_total");
        var complete = true;
        var counts = new List<(IReadOnlyList<(string, string)>, double)>();
        foreach (var ns in _namespaces)
        {
            foreach (var (kind, apiVersion, collection) in Watched)
            {
                var path = string.Format(CultureInfo.InvariantCulture, collection, Uri.EscapeDataString(ns));
                ApiAnswer answer;
                try
                {
                    answer = await _api!.SendAsync(HttpMethod.Get, path, $"list {kind}s of {ns}", cancellation: cancellation).ConfigureAwait(false);
                }
                catch (KubeApiException e)
                {
                    complete = false;
                    Metrics.Increment("flatracoon_ipv6_site_scan_failures_total");
                    await log.WriteLineAsync($"warning: {e.Message}").ConfigureAwait(false);
                    continue;
                }
                if (!answer.IsSuccess || answer.Body?["items"] is not JsonArray items)
                {
                    complete = false;
                    Metrics.Increment("flatracoon_ipv6_site_scan_failures_total");
                    await log.WriteLineAsync($"warning: list {kind}s of {ns}: the API answered {KubeApiClient.Describe(answer)}").ConfigureAwait(false);
                    continue;
                }
                var found = new HashSet<string>(StringComparer.Ordinal);
                var reported = _reported.TryGetValue((ns, kind), out var before) ? before : new HashSet<string>(StringComparer.Ordinal);
                var violating = 0;
                foreach (var item in items.OfType<JsonObject>())
                {
                    var findings = Ipv4Findings.Of(kind, item);
                    if (findings.Count == 0)
                    {
                        continue;
                    }
                    violating++;
                    // One Event per object with all its findings; a changed finding is a new Event.
                    var finding = string.Join("; ", findings);
                    var key = (item["metadata"]?["uid"]?.GetValue<string>() ?? KubeObject.Name(item)) + "\n" + finding;
                    found.Add(key);
                    if (!reported.Contains(key) && await ReportAsync(kind, apiVersion, ns, item, finding, log, cancellation).ConfigureAwait(false))
                    {
                        reported.Add(key);
                    }
                }
                reported.IntersectWith(found);
                _reported[(ns, kind)] = reported;
                counts.Add((new[] { ("kind", kind), ("namespace", ns) }, violating));
            }
        }
        Metrics.SetAll("flatracoon_ipv6_site_violations", counts);
        if (complete)
        {
            Metrics.Set("flatracoon_ipv6_site_last_scan_success_timestamp_seconds", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);
        }
        await log.FlushAsync(cancellation).ConfigureAwait(false);
    }

    /// <summary>Creates the Warning Event of one finding; false when the API refused it.</summary>
    private async Task<bool> ReportAsync(string kind, string apiVersion, string ns, JsonObject item, string finding, TextWriter log, CancellationToken cancellation)
    {
        var name = KubeObject.Name(item);
        var now = DateTimeOffset.UtcNow;
        var message = $"{kind} {ns}/{name} {finding}; the site is IPv6-only.";
        var prefix = name.Length > 200 ? name[..200] : name;
        var @event = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            // As client-go's recorder names them: the object's name and the time in hex nanoseconds.
            ["metadata"] = new JsonObject { ["name"] = $"{prefix}.{(now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100:x}", ["namespace"] = ns },
            ["involvedObject"] = new JsonObject
            {
                ["apiVersion"] = apiVersion,
                ["kind"] = kind,
                ["name"] = name,
                ["namespace"] = ns,
                ["uid"] = item["metadata"]?["uid"]?.DeepClone(),
                ["resourceVersion"] = item["metadata"]?["resourceVersion"]?.DeepClone(),
            },
            ["reason"] = Reason,
            ["message"] = message,
            ["type"] = "Warning",
            ["count"] = 1,
            ["firstTimestamp"] = now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["lastTimestamp"] = now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["source"] = new JsonObject { ["component"] = Component },
            ["reportingComponent"] = "flatracoon.io/" + Component,
            ["reportingInstance"] = _instance,
        };
        try
        {
            var answer = await _api!.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{Uri.EscapeDataString(ns)}/events", $"create an Event for {kind} {ns}/{name}", @event.ToJsonString(), cancellation: cancellation).ConfigureAwait(false);
            if (!answer.IsSuccess)
            {
                Metrics.Increment("flatracoon_ipv6_site_scan_failures_total");
                await log.WriteLineAsync($"warning: create an Event for {kind} {ns}/{name}: the API answered {KubeApiClient.Describe(answer)}").ConfigureAwait(false);
                return false;
            }
        }
        catch (KubeApiException e)
        {
            Metrics.Increment("flatracoon_ipv6_site_scan_failures_total");
            await log.WriteLineAsync($"warning: {e.Message}").ConfigureAwait(false);
            return false;
        }
        Metrics.Increment("flatracoon_ipv6_site_warning_events_total");
        await log.WriteLineAsync($"reported: {message}").ConfigureAwait(false);
        return true;
    }
}

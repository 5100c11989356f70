using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlatRacoon.Testing.Fake;

/// <summary>Behaviour of the fake's simulated controllers.</summary>
public sealed class FakeClusterOptions
{
    /// <summary>Time after a spec change until a workload is fully ready.</summary>
    public TimeSpan ReadyDelay { get; set; } = TimeSpan.FromMilliseconds(60);
    /// <summary>Workloads this matches never become ready (one replica short, or a Job never completes).</summary>
    public Func<JsonObject, bool> NeverReady { get; set; } = _ => false;
    /// <summary>Services whose health endpoint (through the service proxy) answers 503.</summary>
    public Func<JsonObject, bool> Unhealthy { get; set; } = _ => false;
    /// <summary>Nodes a DaemonSet schedules on.</summary>
    public int Nodes { get; set; } = 3;
}

/// <summary>
/// A FAKE Kubernetes API server: Kestrel on 127.0.0.1 and a random port, answering as the Kubernetes
/// API documentation says a real one does: discovery, /version, OpenAPI v2/v3 with schemas, GET, LIST
/// and watches with label and field selectors, server-side apply with structured-merge-diff field
/// ownership and conflicts, POST, PUT, JSON/merge/strategic merge patches (Update ownership), the
/// status and scale subresources, Tables for kubectl get, validation, finalizers and namespace
/// termination, simulated controller status, fault injection and request counting. Every difference
/// from a real server is listed in docs/reference/fake-api-server.md.
/// </summary>
public sealed partial class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly object _lock = new();
    private readonly ObjectStore _objects = new();
    /// <summary>Namespaces being deleted (the only ones the namespace controller has work for), so that a request need not look at every object.</summary>
    private readonly HashSet<StoredObject> _terminatingNamespaces = new();
    private readonly List<FakeResource> _resources;
    private long _resourceVersion = 1000;
    private long _writes;
    private long _crashAfterWrites = long.MaxValue; // no crash; read by every request without the store's lock
    private int _clusterIps;

    private FakeApiServer(WebApplication app, List<FakeResource> resources)
    {
        _app = app;
        _resources = resources;
    }

    /// <summary>The address it listens on (http://127.0.0.1:port/).</summary>
    public Uri BaseUri { get; private set; } = null!;
    /// <summary>Behaviour of the simulated controllers.</summary>
    public FakeClusterOptions Options { get; } = new();
    /// <summary>Faults to inject into requests.</summary>
    public FaultInjector Faults { get; } = new();
    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();
    /// <summary>Persisted writes received.</summary>
    public int WriteCount => Requests.Count(r => r.IsWrite);

    /// <summary>Starts the fake on 127.0.0.1 and <paramref name="port"/> (0: a free port), serving the built-in kinds and, unless told not to, common CRD kinds.</summary>
    public static async Task<FakeApiServer> StartAsync(bool commonCrds = true, int port = 0)
    {
        // No reload of appsettings.json on change: the host would watch it with a recursive file watcher on
        // the working directory, and every file written below it (a build, a test's output) cost the fake CPU.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = new[] { "--hostBuilder:reloadConfigOnChange=false" } });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var resources = FakeResources.BuiltIn();
        if (commonCrds)
        {
            resources.AddRange(FakeResources.CommonCrds());
        }
        var server = new FakeApiServer(app, resources);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>Writes a kubeconfig pointing at this fake (plain HTTP on loopback, no credentials) and returns its path.</summary>
    public string WriteKubeconfig(string path, string @namespace = "default")
    {
        var server = BaseUri.ToString().TrimEnd('/');
        File.WriteAllText(path, $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: flatracoon-fake
              cluster:
                server: {{server}}
            contexts:
            - name: flatracoon-fake
              context:
                cluster: flatracoon-fake
                user: flatracoon-fake
                namespace: {{@namespace}}
            current-context: flatracoon-fake
            users:
            - name: flatracoon-fake
              user: {}

            """);
        return path;
    }

    /// <summary>After <paramref name="writes"/> more persisted writes, every request's connection is dropped until <see cref="Recover"/>.</summary>
    public void CrashAfterWrites(int writes)
    {
        Interlocked.Exchange(ref _crashAfterWrites, Interlocked.Read(ref _writes) + writes);
    }

    /// <summary>Ends a simulated crash and clears injected faults.</summary>
    public void Recover()
    {
        Interlocked.Exchange(ref _crashAfterWrites, long.MaxValue);
        Faults.Clear();
    }

    /// <summary>Forgets the recorded requests.</summary>
    public void ResetCounters()
    {
        while (Requests.TryDequeue(out _))
        {
        }
    }

    // ------------------------------------------------------------------ inspection helpers for tests

    /// <summary>Every stored object as the API would return it, by <c>group/Kind/namespace/name</c>.</summary>
    public Dictionary<string, JsonObject> Snapshot()
    {
        RunNamespaceController();
        lock (_lock)
        {
            return _objects.Values.ToDictionary(s => FakeJson.Key(s.Object), View, StringComparer.Ordinal);
        }
    }

    /// <summary>The object as the API returns it, or null.</summary>
    public JsonObject? Find(string kind, string? ns, string name)
    {
        RunNamespaceController();
        lock (_lock)
        {
            var stored = _objects.Values.FirstOrDefault(s => FakeJson.Kind(s.Object) == kind && FakeJson.Namespace(s.Object) == ns && FakeJson.Name(s.Object) == name);
            return stored is null ? null : View(stored);
        }
    }

    /// <summary>Creates or applies <paramref name="obj"/> as <paramref name="manager"/> (server-side apply, force), as another tool would.</summary>
    public void ApplyAs(string manager, JsonObject obj)
    {
        FakeResource resource;
        lock (_lock)
        {
            resource = _resources.First(r => r.GroupVersion == FakeJson.ApiVersion(obj) && r.Kind == FakeJson.Kind(obj));
        }
        var (ns, name) = (FakeJson.Namespace(obj), FakeJson.Name(obj));
        if (PrepareApply(resource, ns, name, obj, out var applied) is { } rejection)
        {
            throw new InvalidOperationException(rejection.Body.ToJsonString());
        }
        lock (_lock)
        {
            var result = Apply(resource, ns, name, applied, manager, force: true, dryRun: false);
            if (result.Status >= 300)
            {
                throw new InvalidOperationException(result.Body.ToJsonString());
            }
        }
    }

    /// <summary>An Update-operation change of one field by <paramref name="manager"/> (as kubectl edit/scale): it becomes the field's sole owner.</summary>
    public void EditAs(string manager, string kind, string? ns, string name, string[] path, JsonNode value) => EditAs(manager, kind, ns, name, path, value, subresource: null);

    /// <summary>As <see cref="EditAs(string, string, string?, string, string[], JsonNode)"/>, through a subresource (<c>scale</c> as an HPA writes replicas, <c>status</c>).</summary>
    public void EditAs(string manager, string kind, string? ns, string name, string[] path, JsonNode value, string? subresource)
    {
        lock (_lock)
        {
            var stored = _objects.Values.First(s => FakeJson.Kind(s.Object) == kind && FakeJson.Namespace(s.Object) == ns && FakeJson.Name(s.Object) == name);
            var p = string.Join(StructuredMerge.Sep, path.Select(segment => "f:" + segment));
            StructuredMerge.Set(stored.Object, p, value.DeepClone());
            foreach (var m in stored.Managers.Values)
            {
                m.Fields.Remove(p);
            }
            if (!stored.Managers.TryGetValue(manager, out var entry))
            {
                entry = stored.Managers[manager] = new ManagerEntry { Name = manager, Operation = "Update", ApiVersion = FakeJson.ApiVersion(stored.Object), Subresource = subresource };
            }
            entry.Fields.Add(p);
            stored.Object["metadata"]!["resourceVersion"] = NextVersion();
            if (path[0] == "spec")
            {
                stored.Object["metadata"]!["generation"] = (L(stored.Object["metadata"]!["generation"]) ?? 0) + 1;
                stored.SpecChangedAt = DateTimeOffset.UtcNow;
            }
        }
    }

    // ------------------------------------------------------------------ HTTP

    private async Task HandleAsync(HttpContext ctx)
    {
        var request = new RecordedRequest(ctx.Request.Method, ctx.Request.Path.Value ?? "/", ctx.Request.QueryString.Value ?? "") { Accept = ctx.Request.Headers.Accept.ToString() };
        Requests.Enqueue(request);
        if (Interlocked.Read(ref _writes) >= Interlocked.Read(ref _crashAfterWrites))
        {
            ctx.Abort();
            return;
        }
        var fault = Faults.Match(request);
        if (fault is not null)
        {
            if (fault.Latency > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(fault.Latency, ctx.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            if (fault.Drop)
            {
                ctx.Abort();
                return;
            }
            if (fault.EchoInvalid)
            {
                var text = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
                await WriteAsync(ctx, 422, Status(422, "Invalid", $"object is invalid: data: Invalid value: {text}: illegal base64 data"));
                return;
            }
            if (fault.Status != 0)
            {
                if (fault.RetryAfterSeconds is { } seconds)
                {
                    ctx.Response.Headers["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture);
                }
                var reason = fault.Status switch { 429 => "TooManyRequests", 409 => "Conflict", 503 => "ServiceUnavailable", 504 => "Timeout", _ => "InternalError" };
                var status = Status(fault.Status, reason, fault.Status == 429 ? "the server has received too many requests and has asked us to try again later" : "injected failure");
                if (fault.Status == 409)
                {
                    status["message"] = "Apply failed with 1 conflict: conflict with \"injected\": .spec.replicas";
                    status["details"] = new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldManagerConflict", ["message"] = "conflict with \"injected\"", ["field"] = ".spec.replicas" }) };
                }
                await WriteAsync(ctx, fault.Status, status);
                return;
            }
        }

        if (ctx.Request.Method == "GET" && ctx.Request.Query["watch"].ToString() is "true" or "1")
        {
            await WatchAsync(ctx, request.Path);
            return;
        }
        var body = ctx.Request.ContentLength is > 0 || ctx.Request.Headers.ContainsKey("Transfer-Encoding")
            ? await new StreamReader(ctx.Request.Body).ReadToEndAsync()
            : "";
        (int Status, JsonObject Body) result;
        t_warnings = new List<string>();
        t_userAgent = ctx.Request.Headers.UserAgent.ToString();
        t_accept = ctx.Request.Headers.Accept.ToString();
        try
        {
            result = Route(ctx.Request.Method, request.Path, ctx.Request.Query, ctx.Request.ContentType, body);
            if (result.Status < 300 && ctx.Request.Method == "GET" && WantsTable(ctx.Request.Headers.Accept.ToString()))
            {
                result = (result.Status, Table(result.Body, ctx.Request.Query["includeObject"].ToString()));
            }
            else if (result.Status < 300 && ctx.Request.Method == "GET" && WantsMetadataOnly(ctx.Request.Headers.Accept.ToString()))
            {
                result = (result.Status, MetadataOnly(result.Body));
            }
        }
        catch (Patches.PatchException e)
        {
            result = (422, Status(422, "Invalid", e.Message));
        }
        catch (JsonException e)
        {
            result = (400, Status(400, "BadRequest", $"error decoding YAML/JSON: {e.Message}"));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or NullReferenceException or FormatException)
        {
            result = (500, Status(500, "InternalError", $"fake API server bug: {e.GetType().Name}: {e.Message} {e.StackTrace?.Split('\n').FirstOrDefault()}"));
        }
        foreach (var warning in t_warnings)
        {
            // RFC 7234 warning header, as the API server sends for dropped fields and deprecations.
            ctx.Response.Headers.Append("Warning", "299 - \"" + warning.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"");
        }
        t_warnings = null;
        await WriteAsync(ctx, result.Status, result.Body);
    }

    [ThreadStatic]
    private static List<string>? t_warnings;

    private static void Warn(string warning) => t_warnings?.Add(warning);

    /// <summary>
    /// Whether the client asked for metadata only (<c>Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1</c>,
    /// or <c>as=PartialObjectMetadata</c> for one object), as client-go's metadata client and kubectl's prune ask.
    /// </summary>
    private static bool WantsMetadataOnly(string accept) =>
        accept.Split(',').Any(part => part.Split(';').Select(p => p.Trim()) is var parameters
            && parameters.Contains("g=meta.k8s.io", StringComparer.Ordinal)
            && (parameters.Contains("as=PartialObjectMetadataList", StringComparer.Ordinal) || parameters.Contains("as=PartialObjectMetadata", StringComparer.Ordinal)));

    /// <summary>An object, or each item of a list, reduced to its metadata (<c>meta.k8s.io/v1</c> <c>PartialObjectMetadata</c>, <c>PartialObjectMetadataList</c>).</summary>
    private static JsonObject MetadataOnly(JsonObject body)
    {
        static JsonObject Partial(JsonNode? o) => new()
        {
            ["kind"] = "PartialObjectMetadata",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = o?["metadata"]?.DeepClone() ?? new JsonObject(),
        };
        return body["items"] is JsonArray items
            ? new JsonObject
            {
                ["kind"] = "PartialObjectMetadataList",
                ["apiVersion"] = "meta.k8s.io/v1",
                ["metadata"] = body["metadata"]?.DeepClone() ?? new JsonObject(),
                ["items"] = new JsonArray(items.Select(i => (JsonNode)Partial(i)).ToArray()),
            }
            : Partial(body);
    }

    private static async Task WriteAsync(HttpContext ctx, int status, JsonObject body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        // Straight into the response as UTF-8, the same bytes as ToJsonString(): no string in between
        // (a list of thousands of objects would be a large-object-heap string per request).
        using (var writer = new Utf8JsonWriter(ctx.Response.BodyWriter))
        {
            body.WriteTo(writer);
        }
        await ctx.Response.BodyWriter.FlushAsync();
    }

    private static JsonObject Status(int code, string reason, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = code < 300 ? "Success" : "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    };

    /// <summary>A Status naming the object, as the API server's errors do (details: name, group, kind as the resource).</summary>
    private static JsonObject Status(int code, string reason, string message, FakeResource resource, string name)
    {
        var status = Status(code, reason, message);
        var details = new JsonObject { ["name"] = name };
        if (resource.Group.Length > 0)
        {
            details["group"] = resource.Group;
        }
        details["kind"] = resource.Plural;
        status["details"] = details;
        return status;
    }

    /// <summary><c>deployments.apps</c>: how the API server names a resource in messages.</summary>
    private static string Qualified(FakeResource resource) => resource.Group.Length > 0 ? $"{resource.Plural}.{resource.Group}" : resource.Plural;

    private static string KeyText(FakeResource resource, string? ns, string name) => ns is null ? name : $"{ns}/{name}";

    private static (int, JsonObject) NotFound(FakeResource resource, string name) =>
        (404, Status(404, "NotFound", $"{Qualified(resource)} \"{name}\" not found", resource, name));

    private (int, JsonObject) NamespaceNotFound(string ns) =>
        NotFound(_resources.First(r => r.Kind == "Namespace" && r.Group.Length == 0), ns);

    private (int Status, JsonObject Body) Route(string method, string path, IQueryCollection query, string? contentType, string body)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        string group, version;
        string[] rest;
        if (method == "GET" && segments is ["version"])
        {
            return (200, VersionInfo());
        }
        if (method == "GET" && segments.Length >= 2 && segments[0] == "openapi")
        {
            return OpenApi(segments, t_accept ?? "");
        }
        RunNamespaceController();
        if (segments.Length >= 1 && segments[0] == "api")
        {
            if (segments.Length == 1)
            {
                return (200, new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1") });
            }
            (group, version, rest) = ("", segments[1], segments[2..]);
        }
        else if (segments.Length >= 1 && segments[0] == "apis")
        {
            if (segments.Length == 1)
            {
                return (200, GroupList());
            }
            if (segments.Length == 2)
            {
                var g = GroupList()["groups"]!.AsArray().FirstOrDefault(x => x!["name"]!.GetValue<string>() == segments[1]);
                return g is null ? (404, Status(404, "NotFound", "the server could not find the requested resource")) : (200, (JsonObject)g.DeepClone());
            }
            (group, version, rest) = (segments[1], segments[2], segments[3..]);
        }
        else
        {
            return (404, Status(404, "NotFound", "the server could not find the requested resource"));
        }

        List<FakeResource> served;
        lock (_lock)
        {
            served = _resources.Where(r => r.Group == group && r.Version == version).ToList();
        }
        if (served.Count == 0)
        {
            return (404, Status(404, "NotFound", "the server could not find the requested resource"));
        }
        if (rest.Length == 0)
        {
            if (method != "GET")
            {
                return (405, Status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource"));
            }
            return (200, ResourceList(group, version, served));
        }

        string? ns = null;
        string plural;
        string? name = null;
        string? subresource = null;
        if (rest[0] == "namespaces" && rest.Length >= 3)
        {
            ns = rest[1];
            plural = rest[2];
            name = rest.Length >= 4 ? rest[3] : null;
            if (plural == "services" && rest.Length >= 5 && rest[4] == "proxy" && method == "GET" && name is not null)
            {
                return ServiceProxy(ns, name, "/" + string.Join('/', rest[5..]));
            }
            if (rest.Length == 5 && rest[4] is "status" or "scale")
            {
                subresource = rest[4];
            }
            else if (rest.Length > 4)
            {
                return (404, Status(404, "NotFound", "the server could not find the requested resource (this subresource is not faked)"));
            }
        }
        else
        {
            plural = rest[0];
            name = rest.Length >= 2 ? rest[1] : null;
            if (rest.Length == 3 && rest[2] is "status" or "scale")
            {
                subresource = rest[2];
            }
            else if (rest.Length > 2)
            {
                return (404, Status(404, "NotFound", "the server could not find the requested resource (this subresource is not faked)"));
            }
        }
        var resource = served.FirstOrDefault(r => r.Plural == plural);
        if (resource is null || (ns is not null && !resource.Namespaced) || (subresource == "status" && !resource.HasStatus) || (subresource == "scale" && !HasScale(resource)))
        {
            return (404, Status(404, "NotFound", "the server could not find the requested resource"));
        }
        var isApply = string.Equals(contentType?.Split(';')[0].Trim(), "application/apply-patch+yaml", StringComparison.OrdinalIgnoreCase);
        if (subresource is not null)
        {
            lock (_lock)
            {
                if (method == "GET" && subresource == "scale")
                {
                    return _objects.TryGetValue(StoreKey(resource, ns, name!), out var scaled) ? (200, ScaleView(scaled)) : NotFound(resource, name!);
                }
                if (method is "PUT" or "PATCH" && !isApply)
                {
                    return Write(method, resource, ns, name, subresource, query, contentType, body);
                }
                if (subresource == "scale")
                {
                    return (415, Status(415, "UnsupportedMediaType", "the fake does not serve server-side apply on the scale subresource"));
                }
                return Status(method, resource, ns, name!, query, contentType, body);
            }
        }

        if (method == "PATCH" && name is not null && isApply)
        {
            return ServerSideApply(resource, ns, name, query, body);
        }
        lock (_lock)
        {
            switch (method)
            {
                case "GET" when name is null:
                    return List(resource, ns, query["labelSelector"].ToString(), query["fieldSelector"].ToString());
                case "GET":
                    return _objects.TryGetValue(StoreKey(resource, ns, name), out var found) ? (200, View(found)) : NotFound(resource, name);
                case "POST" when name is null:
                case "PUT" when name is not null:
                case "PATCH" when name is not null && !isApply:
                    return Write(method, resource, ns, name, null, query, contentType, body);
                case "DELETE" when name is not null:
                    return Delete(resource, ns, name, body);
                default:
                    return (405, Status(405, "MethodNotAllowed", $"{method} is not faked for {path}"));
            }
        }
    }

    /// <summary>The API server's service proxy: the module answers on its health path when its Service exists and it is healthy.</summary>
    private (int, JsonObject) ServiceProxy(string ns, string nameAndPort, string path)
    {
        var name = nameAndPort.Split(':')[0];
        lock (_lock)
        {
            if (!_objects.TryGetValue($"/services/{ns}/{name}", out var service))
            {
                return NotFound(_resources.First(r => r.Kind == "Service"), name);
            }
            HealthChecks.Enqueue($"{ns}/{nameAndPort}{path}");
            return Options.Unhealthy(View(service))
                ? (503, Status(503, "ServiceUnavailable", $"the health endpoint {path} answered 503: not healthy"))
                : (200, new JsonObject { ["status"] = "ok" });
        }
    }

    /// <summary>Health endpoints called through the service proxy (<c>ns/name:port/path</c>).</summary>
    public ConcurrentQueue<string> HealthChecks { get; } = new();

    private JsonObject GroupList()
    {
        lock (_lock)
        {
            return new JsonObject
            {
                ["kind"] = "APIGroupList",
                ["apiVersion"] = "v1",
                ["groups"] = new JsonArray(_resources.Where(r => r.Group.Length > 0).GroupBy(r => r.Group).Select(g => (JsonNode)new JsonObject
                {
                    ["name"] = g.Key,
                    ["versions"] = new JsonArray(g.Select(r => r.Version).Distinct().Select(v => (JsonNode)new JsonObject { ["groupVersion"] = $"{g.Key}/{v}", ["version"] = v }).ToArray()),
                    ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{g.Key}/{g.First().Version}", ["version"] = g.First().Version },
                }).ToArray()),
            };
        }
    }

    private static JsonObject ResourceList(string group, string version, List<FakeResource> served)
    {
        var items = new List<JsonNode>();
        foreach (var r in served)
        {
            items.Add(new JsonObject
            {
                ["name"] = r.Plural,
                ["singularName"] = r.Kind.ToLowerInvariant(),
                ["namespaced"] = r.Namespaced,
                ["kind"] = r.Kind,
                ["verbs"] = new JsonArray("create", "delete", "get", "list", "patch", "update", "watch"),
            });
            if (r.ShortNames is { Length: > 0 })
            {
                ((JsonObject)items[^1])["shortNames"] = new JsonArray(r.ShortNames.Select(n => (JsonNode)n).ToArray());
            }
            if (r.Categories is { Length: > 0 })
            {
                ((JsonObject)items[^1])["categories"] = new JsonArray(r.Categories.Select(n => (JsonNode)n).ToArray());
            }
            if (r.HasStatus)
            {
                items.Add(new JsonObject { ["name"] = r.Plural + "/status", ["singularName"] = "", ["namespaced"] = r.Namespaced, ["kind"] = r.Kind, ["verbs"] = new JsonArray("get", "patch", "update") });
            }
            if (HasScale(r))
            {
                items.Add(new JsonObject { ["name"] = r.Plural + "/scale", ["singularName"] = "", ["namespaced"] = r.Namespaced, ["group"] = "autoscaling", ["version"] = "v1", ["kind"] = "Scale", ["verbs"] = new JsonArray("get", "patch", "update") });
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = new JsonArray(items.ToArray()),
        };
    }

    private static string StoreKey(FakeResource r, string? ns, string name) => $"{r.Group}/{r.Plural}/{(r.Namespaced ? ns : null)}/{name}";

    private (int, JsonObject) List(FakeResource resource, string? ns, string selector, string fieldSelector)
    {
        var match = LabelSelector.Parse(selector);
        var fields = FieldSelector.Parse(fieldSelector, resource, out var unsupported);
        if (unsupported is not null)
        {
            return (400, Status(400, "BadRequest", $"field label not supported: {unsupported}"));
        }
        var items = _objects.InOrder(resource, ns)
            .Where(s => match(s.Object["metadata"]?["labels"] as JsonObject))
            .Where(s => fieldSelector.Length == 0 || fields(View(s)))
            .Select(s =>
            {
                var view = View(s);
                if (resource.Group.Length == 0 || !resource.Group.Contains('.') || resource.Group.EndsWith(".k8s.io", StringComparison.Ordinal))
                {
                    // Built-in types are listed without apiVersion/kind on the items.
                    view.Remove("apiVersion");
                    view.Remove("kind");
                }
                return (JsonNode)view;
            })
            .ToArray();
        return (200, new JsonObject
        {
            ["kind"] = resource.Kind + "List",
            ["apiVersion"] = resource.GroupVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = _resourceVersion.ToString(CultureInfo.InvariantCulture) },
            ["items"] = new JsonArray(items),
        });
    }

    private (int, JsonObject) Delete(FakeResource resource, string? ns, string name, string body)
    {
        var key = StoreKey(resource, ns, name);
        if (!_objects.TryGetValue(key, out var stored))
        {
            return NotFound(resource, name);
        }
        if (body.Length > 0 && JsonNode.Parse(body)?["preconditions"]?["uid"]?.GetValue<string>() is { } uid)
        {
            var actual = stored.Object["metadata"]!["uid"]!.GetValue<string>();
            if (uid != actual)
            {
                return (409, Status(409, "Conflict", $"Precondition failed: UID in precondition: {uid}, UID in object meta: {actual}"));
            }
        }
        Interlocked.Increment(ref _writes);
        var finalizers = resource.Kind == "Namespace" ? stored.Object["spec"]?["finalizers"] : stored.Object["metadata"]?["finalizers"];
        if (finalizers is JsonArray { Count: > 0 })
        {
            // Graceful deletion: the object stays, marked, until its finalizers are gone (a namespace's
            // "kubernetes" finalizer is removed by the namespace controller once its content is gone).
            stored.Object["metadata"]!["deletionTimestamp"] ??= DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            stored.Object["metadata"]!["resourceVersion"] = NextVersion();
            stored.DeletingSince ??= DateTimeOffset.UtcNow;
            if (resource.Kind == "Namespace")
            {
                _terminatingNamespaces.Add(stored);
            }
            return (200, View(stored));
        }
        _objects.Remove(key);
        var result = Status(200, "", "");
        result["details"] = new JsonObject { ["name"] = name, ["kind"] = resource.Plural, ["uid"] = stored.Object["metadata"]!["uid"]!.GetValue<string>() };
        return (200, result);
    }

    // ------------------------------------------------------------------ server-side apply

    private sealed class StoredObject
    {
        public required FakeResource Resource { get; init; }
        public required JsonObject Object { get; set; }
        public Dictionary<string, ManagerEntry> Managers { get; set; } = new(StringComparer.Ordinal);
        public DateTimeOffset SpecChangedAt { get; set; } = DateTimeOffset.UtcNow;
        public DateTimeOffset? DeletingSince { get; set; }
    }

    private sealed class ManagerEntry
    {
        /// <summary>The manager's name when the entry's key is not the name (Update operations: see <see cref="ManagerKey"/>).</summary>
        public string? Name { get; init; }
        public string Operation { get; init; } = "Apply";
        public string ApiVersion { get; set; } = "";
        public HashSet<string> Fields { get; set; } = new(StringComparer.Ordinal);
        public string Time { get; set; } = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        public string? Subresource { get; init; }
    }

    /// <summary>
    /// A server-side apply request. What depends only on the request (parsing, field validation,
    /// the applied configuration's checks and its field set) happens before the store's lock; the
    /// merge with the live object and the commit hold it. So concurrent applies overlap as they do
    /// on a real API server, and each object's writes stay serialized.
    /// </summary>
    private (int Status, JsonObject Body) ServerSideApply(FakeResource resource, string? ns, string name, IQueryCollection query, string body)
    {
        var manager = query["fieldManager"].ToString();
        if (manager.Length == 0)
        {
            return (400, Status(400, "BadRequest", "PATCH /apply requests require fieldManager to be set"));
        }
        var obj = JsonNode.Parse(body) as JsonObject ?? throw new JsonException("the body is not an object");
        var dryRun = query["dryRun"].ToString() == "All";
        var force = query["force"].ToString() == "true";
        if (FieldValidation(query, out var validation) is { } unsupported)
        {
            return unsupported;
        }
        // An apply: as structured-merge-diff reports fields its typed object does not have.
        if (DropUnknownFields(obj, resource, validation, unknown => $"failed to create typed patch object ({KeyText(resource, ns, name)}; {resource.GroupVersion}, Kind={resource.Kind}): "
            + string.Join(", ", unknown.Select(u => $"{u.MergePath}: field not declared in schema"))) is { } strict)
        {
            return strict;
        }
        if (PrepareApply(resource, ns, name, obj, out var prepared) is { } rejection)
        {
            return rejection;
        }
        lock (_lock)
        {
            return Apply(resource, ns, name, prepared, manager, force, dryRun);
        }
    }

    /// <summary>
    /// An applied configuration, checked and taken apart into its fields (their values are nodes of a copy
    /// of the request's object, this apply's alone), or why it cannot be, answered after the checks that need the store.
    /// </summary>
    private sealed record AppliedConfig(string? ExpectedVersion, Dictionary<string, JsonNode>? Fields, string? Invalid);

    /// <summary>The checks of an applied configuration that need nothing but the request, and its field set; the answer when it is refused.</summary>
    private static (int Status, JsonObject Body)? PrepareApply(FakeResource resource, string? ns, string name, JsonObject config, out AppliedConfig applied)
    {
        applied = null!;
        (int, JsonObject)? rejection = null;
        if (FakeJson.ApiVersion(config) != resource.GroupVersion || FakeJson.Kind(config) != resource.Kind)
        {
            rejection = (400, Status(400, "BadRequest", $"the API version in the data ({FakeJson.ApiVersion(config)}) and kind ({FakeJson.Kind(config)}) do not match the request ({resource.GroupVersion}, {resource.Kind})"));
        }
        else if (FakeJson.Name(config) != name)
        {
            rejection = (400, Status(400, "BadRequest", "the name of the object does not match the name on the URL"));
        }
        else if (config["metadata"]?["managedFields"] is not null)
        {
            rejection = (400, Status(400, "BadRequest", "metadata.managedFields must be nil"));
        }
        else if (resource.Namespaced && FakeJson.Namespace(config) is { } bodyNs && bodyNs != ns)
        {
            rejection = (400, Status(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request"));
        }
        if (rejection is not null)
        {
            return rejection;
        }
        config = (JsonObject)config.DeepClone();
        var metadataConfig = config["metadata"] as JsonObject ?? new JsonObject();
        var expectedVersion = metadataConfig["resourceVersion"]?.GetValue<string>();
        foreach (var key in new[] { "resourceVersion", "uid", "generation", "creationTimestamp", "selfLink" })
        {
            metadataConfig.Remove(key);
        }
        if (resource.HasStatus)
        {
            config.Remove("status"); // the status subresource ignores status in the main resource
        }
        var kindKey = MergeSchema.KindKey(resource.GroupVersion, resource.Kind);
        try
        {
            StructuredMerge.DefaultKeys(config, kindKey, MergeSchema.Instance);
            applied = new AppliedConfig(expectedVersion, StructuredMerge.Fields(config, kindKey, MergeSchema.Instance), null);
        }
        catch (StructuredMerge.InvalidObjectException e)
        {
            applied = new AppliedConfig(expectedVersion, null, e.Message);
        }
        return null;
    }

    private (int Status, JsonObject Body) Apply(FakeResource resource, string? ns, string name, AppliedConfig applied, string manager, bool force, bool dryRun)
    {
        if (resource.Namespaced)
        {
            if (!_objects.TryGetValue($"/namespaces//{ns}", out var nsObject))
            {
                return NamespaceNotFound(ns!);
            }
            if (nsObject.DeletingSince is not null && !_objects.ContainsKey(StoreKey(resource, ns, name)))
            {
                var forbidden = Status(403, "Forbidden", $"{Qualified(resource)} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated");
                forbidden["details"] = new JsonObject { ["name"] = name, ["kind"] = resource.Plural, ["causes"] = new JsonArray(new JsonObject { ["reason"] = "NamespaceTerminating", ["message"] = $"namespace {ns} is being terminated", ["field"] = "metadata.namespace" }) };
                return (403, forbidden);
            }
        }
        var key2 = StoreKey(resource, ns, name);
        _objects.TryGetValue(key2, out var existing);
        var live = existing is null
            ? new JsonObject { ["apiVersion"] = resource.GroupVersion, ["kind"] = resource.Kind, ["metadata"] = new JsonObject { ["name"] = name } }
            : (JsonObject)existing.Object.DeepClone();
        if (existing is null && resource.Namespaced)
        {
            live["metadata"]!["namespace"] = ns;
        }
        var managers = CopyManagers(existing);
        if (existing is not null && applied.ExpectedVersion is { } expectedVersion
            && expectedVersion != existing.Object["metadata"]?["resourceVersion"]?.GetValue<string>())
        {
            return (409, Status(409, "Conflict", $"Operation cannot be fulfilled on {resource.Plural}{(resource.Group.Length > 0 ? "." + resource.Group : "")} \"{name}\": the object has been modified; please apply your changes to the latest version and try again", resource, name));
        }
        if (applied.Fields is not { } fields)
        {
            return (500, Status(500, "InternalError", $"failed to create typed patch object ({KeyText(resource, ns, name)}; {resource.GroupVersion}, Kind={resource.Kind}): {applied.Invalid}"));
        }
        var conflicts = new List<(string Manager, string Path)>();
        foreach (var (other, entry) in managers.Where(m => m.Key != manager).OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            foreach (var p in entry.Fields.Where(fields.ContainsKey).OrderBy(p => p, StringComparer.Ordinal))
            {
                var value = fields[p];
                if (!ReferenceEquals(value, StructuredMerge.ItemMarker) && !JsonNode.DeepEquals(StructuredMerge.Get(live, p), value))
                {
                    conflicts.Add((other, p));
                }
            }
        }
        if (conflicts.Count > 0 && !force)
        {
            // As apimachinery's field manager (NewConflictError): one cause per field, reason FieldManagerConflict;
            // one conflict is one line, several are grouped by manager, managers in order.
            var message = conflicts.Count == 1
                ? $"Apply failed with 1 conflict: conflict with {PrintManager(managers[conflicts[0].Manager])}: {StructuredMerge.Dotted(conflicts[0].Path)}"
                : $"Apply failed with {conflicts.Count} conflicts: " + string.Join("\n", conflicts.GroupBy(c => c.Manager).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .SelectMany(g => new[] { $"conflicts with {PrintManager(managers[g.Key])}:" }.Concat(g.Select(c => "- " + StructuredMerge.Dotted(c.Path)))));
            var status = Status(409, "Conflict", message);
            status["details"] = new JsonObject
            {
                ["causes"] = new JsonArray(conflicts.Select(c => (JsonNode)new JsonObject
                {
                    ["reason"] = "FieldManagerConflict",
                    ["message"] = $"conflict with {PrintManager(managers[c.Manager])}",
                    ["field"] = StructuredMerge.Dotted(c.Path),
                }).ToArray()),
            };
            return (409, status);
        }
        foreach (var (other, p) in conflicts)
        {
            managers[other].Fields.Remove(p); // force: only the conflicting fields change hands
        }
        var previous = managers.TryGetValue(manager, out var mine) ? mine.Fields : new HashSet<string>(StringComparer.Ordinal);
        bool OwnedByOthers(string p) => managers.Any(m => m.Key != manager && m.Value.Fields.Contains(p));
        bool OwnedUnderByOthers(string p) => managers.Any(m => m.Key != manager && m.Value.Fields.Any(f => f == p || f.StartsWith(p + StructuredMerge.Sep, StringComparison.Ordinal)));
        // Fields this manager applied before and not any more, and nobody else owns: SSA removes them
        // (deepest first; an item goes only when nobody else owns anything inside it).
        foreach (var p in previous.Where(p => !fields.ContainsKey(p)).OrderBy(p => p.Length).ThenBy(p => p, StringComparer.Ordinal))
        {
            var elements = p.Split(StructuredMerge.Sep);
            var isItem = elements[^1][0] == 'k';
            var isKeyOfItem = elements.Length >= 2 && elements[^2][0] == 'k' && JsonNode.Parse(elements[^2][2..])!.AsObject().ContainsKey(elements[^1][2..]);
            if (isKeyOfItem)
            {
                continue; // a key field goes with its item, never alone
            }
            if (isItem ? !OwnedUnderByOthers(p) : !OwnedByOthers(p))
            {
                StructuredMerge.Remove(live, p, keep: q => fields.ContainsKey(q) || OwnedByOthers(q));
            }
        }
        foreach (var (p, value) in fields) // in the applied order: new list items land in the order applied
        {
            StructuredMerge.Set(live, p, value);
        }
        managers[manager] = new ManagerEntry { Name = manager, Operation = "Apply", ApiVersion = resource.GroupVersion, Fields = fields.Keys.ToHashSet(StringComparer.Ordinal) };
        foreach (var empty in managers.Where(m => m.Value.Fields.Count == 0).Select(m => m.Key).ToList())
        {
            managers.Remove(empty);
        }
        Default(resource, live);
        if (Validate(resource, name, live, existing is null) is { } invalid)
        {
            return (422, invalid);
        }

        var metadata = (JsonObject)live["metadata"]!;
        var changedSpec = StampMetadata(existing, live);
        var changed = existing is null || !JsonNode.DeepEquals(FakeJson.Comparable(existing.Object), FakeJson.Comparable(live))
            || !SameOwnership(existing.Managers, managers);
        if (changed)
        {
            metadata["resourceVersion"] = dryRun ? metadata["resourceVersion"]?.GetValue<string>() ?? "0" : NextVersion();
        }
        var created = existing is null;
        if (!dryRun && changed)
        {
            var view = Commit(resource, key2, existing, live, managers, changedSpec, View);
            return (created ? 201 : 200, view);
        }
        var preview = new StoredObject { Resource = resource, Object = live, Managers = managers, SpecChangedAt = existing?.SpecChangedAt ?? DateTimeOffset.UtcNow };
        if (!dryRun && existing is not null)
        {
            return (200, View(existing)); // a no-op apply writes nothing
        }
        return (created ? 201 : 200, View(preview));
    }

    /// <summary>
    /// As apimachinery's printManager names the other manager in a conflict: <c>"name"</c> for an applier;
    /// <c>"name" with subresource "scale" using apps/v1 at 2026-01-01T00:00:00Z</c> for an Update.
    /// </summary>
    private static string PrintManager(ManagerEntry entry)
    {
        var text = $"\"{entry.Name ?? ""}\"";
        if (entry.Subresource is { } subresource)
        {
            text += $" with subresource \"{subresource}\"";
        }
        return entry.Operation == "Update" ? $"{text} using {entry.ApiVersion} at {entry.Time}" : text;
    }

    private static bool SameOwnership(Dictionary<string, ManagerEntry> a, Dictionary<string, ManagerEntry> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var other) && p.Value.Fields.SetEquals(other.Fields));

    private static JsonObject WithoutMetadata(JsonObject o)
    {
        var copy = (JsonObject)o.DeepClone();
        copy.Remove("metadata");
        copy.Remove("status");
        return copy;
    }

    private static long? L(JsonNode? node) => node is null ? null : long.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);

    private string NextVersion() => Interlocked.Increment(ref _resourceVersion).ToString(CultureInfo.InvariantCulture);






    /// <summary>API defaulting: fields a real server fills in that nobody applied (and nobody owns).</summary>
    private void Default(FakeResource resource, JsonObject o)
    {
        var spec = o["spec"] as JsonObject;
        void Set(JsonObject target, string key, JsonNode value)
        {
            if (target[key] is null)
            {
                target[key] = value;
            }
        }
        switch (resource.Kind)
        {
            case "Namespace":
                o["spec"] ??= new JsonObject();
                Set((JsonObject)o["spec"]!, "finalizers", new JsonArray("kubernetes"));
                break;
            case "Deployment" when spec is not null:
                Set(spec, "replicas", 1);
                Set(spec, "revisionHistoryLimit", 10);
                Set(spec, "progressDeadlineSeconds", 600);
                Set(spec, "strategy", new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["maxSurge"] = "25%", ["maxUnavailable"] = "25%" } });
                break;
            case "StatefulSet" when spec is not null:
                Set(spec, "replicas", 1);
                Set(spec, "revisionHistoryLimit", 10);
                Set(spec, "podManagementPolicy", "OrderedReady");
                Set(spec, "updateStrategy", new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["partition"] = 0 } });
                break;
            case "DaemonSet" when spec is not null:
                Set(spec, "revisionHistoryLimit", 10);
                Set(spec, "updateStrategy", new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = 1, ["maxSurge"] = 0 } });
                break;
            case "Service" when spec is not null:
                Set(spec, "type", "ClusterIP");
                Set(spec, "sessionAffinity", "None");
                if (spec["clusterIP"] is null)
                {
                    var ip = $"fd00:10:96::{Interlocked.Increment(ref _clusterIps):x}";
                    spec["clusterIP"] = ip;
                    spec["clusterIPs"] = new JsonArray(ip);
                }
                break;
        }
    }

    /// <summary>The object as the API returns it: managedFields rendered, status from the simulated controllers.</summary>
    private JsonObject View(StoredObject stored)
    {
        var view = (JsonObject)stored.Object.DeepClone();
        var metadata = (JsonObject)view["metadata"]!;
        metadata["managedFields"] = new JsonArray(stored.Managers.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => (JsonNode)new JsonObject
        {
            ["manager"] = m.Value.Name ?? m.Key,
            ["operation"] = m.Value.Operation,
            ["apiVersion"] = m.Value.ApiVersion,
            ["time"] = m.Value.Time,
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = StructuredMerge.FieldsV1(m.Value.Fields),
        }).ToArray());
        foreach (var (entry, manager) in metadata["managedFields"]!.AsArray().Zip(stored.Managers.OrderBy(m => m.Key, StringComparer.Ordinal)))
        {
            if (manager.Value.Subresource is { } subresource)
            {
                entry!["subresource"] = subresource;
            }
        }
        var status = SimulateStatus(stored, view);
        if (status is not null)
        {
            view["status"] = status;
        }
        return view;
    }


    private JsonObject? SimulateStatus(StoredObject stored, JsonObject o)
    {
        var generation = L(o["metadata"]?["generation"]) ?? 1;
        var replicas = L(o["spec"]?["replicas"]) ?? 1;
        var elapsed = DateTimeOffset.UtcNow - stored.SpecChangedAt;
        var delay = Options.ReadyDelay;
        var never = Options.NeverReady(o);
        double fraction = never ? 0.5 : delay <= TimeSpan.Zero ? 1 : Math.Min(1, elapsed / delay);
        // The controller notices a new generation only after a moment.
        var observed = !never && fraction < 0.25 && generation > 1 ? generation - 1 : generation;
        long Ready(long of) => never ? Math.Max(0, of - 1) : (long)Math.Floor(of * fraction);
        switch (stored.Resource.Kind)
        {
            case "Namespace":
                return stored.DeletingSince is null
                    ? new JsonObject { ["phase"] = "Active" }
                    : new JsonObject
                    {
                        ["phase"] = "Terminating",
                        ["conditions"] = new JsonArray(new JsonObject { ["type"] = "NamespaceContentRemaining", ["status"] = "True", ["reason"] = "SomeResourcesRemain" }),
                    };
            case "Deployment":
            {
                var ready = Ready(replicas);
                return new JsonObject
                {
                    ["observedGeneration"] = observed,
                    ["replicas"] = replicas,
                    ["updatedReplicas"] = replicas,
                    ["readyReplicas"] = ready,
                    ["availableReplicas"] = ready,
                    ["conditions"] = new JsonArray(
                        new JsonObject { ["type"] = "Available", ["status"] = ready >= replicas ? "True" : "False", ["reason"] = ready >= replicas ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable" },
                        new JsonObject { ["type"] = "Progressing", ["status"] = "True", ["reason"] = ready >= replicas ? "NewReplicaSetAvailable" : "ReplicaSetUpdated" }),
                };
            }
            case "StatefulSet":
            {
                var ready = Ready(replicas);
                var revision = $"{FakeJson.Name(o)}-{generation}";
                return new JsonObject
                {
                    ["observedGeneration"] = observed,
                    ["replicas"] = replicas,
                    ["readyReplicas"] = ready,
                    ["currentReplicas"] = ready,
                    ["updatedReplicas"] = ready,
                    ["availableReplicas"] = ready,
                    ["currentRevision"] = ready >= replicas ? revision : $"{FakeJson.Name(o)}-{generation - 1}",
                    ["updateRevision"] = revision,
                };
            }
            case "DaemonSet":
            {
                var ready = Ready(Options.Nodes);
                return new JsonObject
                {
                    ["observedGeneration"] = observed,
                    ["desiredNumberScheduled"] = Options.Nodes,
                    ["currentNumberScheduled"] = Options.Nodes,
                    ["updatedNumberScheduled"] = Options.Nodes,
                    ["numberReady"] = ready,
                    ["numberAvailable"] = ready,
                };
            }
            case "Job":
                return never || fraction < 1
                    ? new JsonObject { ["active"] = 1 }
                    : new JsonObject { ["succeeded"] = 1, ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Complete", ["status"] = "True" }) };
            default:
                return (JsonObject?)o["status"]?.DeepClone();
        }
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FlatRacoon.Cli;
using FlatRacoon.Cli.Commands;
using FlatRacoon.Dashboard;
using FlatRacoon.Deployment;
using FlatRacoon.Modules.PolySecretMcp;
using FlatRacoon.Observability;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace FlatRacoon.Mcp;

/// <summary>
/// The tool sets of <c>mcp --tools</c>: <c>stack</c> (every tool, <see cref="StackMcpTools"/>; the
/// poly-k8s-mcp image), <c>observability</c> (the declaration tools and <c>module_status</c>; the
/// poly-observability-mcp image) and <c>secrets</c> (<c>secret_references</c> and
/// <c>secret_status</c>; the poly-secret-mcp image). Each in-cluster set reads only what its
/// module's rendered RBAC grants.
/// </summary>
internal static class McpToolSets
{
    /// <summary>The names <c>--tools</c> takes.</summary>
    public static readonly IReadOnlyList<string> Names = new[] { "stack", "observability", "secrets" };

    /// <summary>The declaration-only tools (no API access) every set may carry.</summary>
    private static readonly string[] DeclarationTools = { "validate", "graph", "explain", "get_object" };

    /// <summary>The tools of set <paramref name="set"/>.</summary>
    public static IReadOnlyList<McpServerTool> Create(string set, CommandContext outer, bool allowWrites)
    {
        var stack = new StackMcpTools(outer, allowWrites).Create();
        return set switch
        {
            "observability" => stack.Where(t => DeclarationTools.Contains(t.ProtocolTool.Name)).Append(ModuleStatus(outer)).ToList(),
            "secrets" => new[] { SecretReferences(outer), SecretStatus(outer) },
            _ => stack,
        };
    }

    /// <summary>What the server tells the agent about set <paramref name="set"/>.</summary>
    public static string Instructions(string set) => set switch
    {
        "observability" => "Observability tools of a FlatRacoon stack: module_status reads each module's workloads, health endpoint and warning events from the cluster; validate, graph, explain and get_object read the declaration. Nothing here writes, and no answer contains a secret value.",
        "secrets" => "Secret tools of a FlatRacoon stack: secret_references lists every Secret the stack materialises and the reference each key comes from; secret_status says whether each exists in the cluster, which keys it has and when it was last written or synced. Names, keys and times only: no answer ever contains a secret value.",
        _ => "Tools of a FlatRacoon stack program: validate, graph, explain and get_object read the declaration; plan, status and history read the cluster; apply and rollback change it and are refused unless the server runs with --allow-writes. No answer contains a secret value.",
    };

    private static McpServerTool Tool(string name, string description, Delegate body) =>
        McpServerTool.Create(body, new McpServerToolCreateOptions
        {
            Name = name,
            Description = description,
            ReadOnly = true,
            Destructive = false,
            Idempotent = true,
            OpenWorld = false,
        });

    private static CallToolResult Text(string text, bool error) => new()
    {
        Content = new List<ContentBlock> { new TextContentBlock { Text = text } },
        IsError = error,
    };

    private static KubeApiClient Connect(CommandContext outer) =>
        KubeconfigResolver.Connect(outer.Arguments.Value(ClusterCommandSupport.Kubeconfig.Name), outer.Arguments.Value(ClusterCommandSupport.Context.Name),
            new RetryPolicy { MaxAttempts = 1, RequestTimeout = TimeSpan.FromSeconds(5) });

    private static async Task<CallToolResult> WithClusterAsync(CommandContext outer, Func<KubeApiClient, DeploymentSet, Task<string>> body)
    {
        var set = ClusterCommandSupport.Render(outer);
        try
        {
            using var api = Connect(outer);
            return Text(set.Redactor.Redact(await body(api, set).ConfigureAwait(false)), error: false);
        }
        catch (Exception e) when (e is KubeconfigException or KubeApiException or k8s.Exceptions.KubeConfigException or k8s.Exceptions.KubernetesClientException or System.IO.IOException or HttpRequestException)
        {
            return Text($"cannot read the cluster: {set.Redactor.Redact(e.Message)}", error: true);
        }
    }

    private static McpServerTool ModuleStatus(CommandContext outer) => Tool("module_status",
        "Each module of the stack in the cluster: wave, layer, state, desired and ready replicas, its health endpoint's answer, recent warning events (the network dashboard's data, as JSON). Reads only.",
        (CancellationToken c) => WithClusterAsync(outer, async (api, set) =>
            SnapshotJson.Write(await new StackStatusReader(api, outer.Stack, set).ReadAsync(c).ConfigureAwait(false))));

    private static McpServerTool SecretReferences(CommandContext outer) => Tool("secret_references",
        "Every Secret the stack materialises from secret references: namespace, name, module, how it is made (apply-time or external-secret) and, per key, the reference or Vault location it comes from, with the module setting that names it. References only, never a value.",
        () =>
        {
            var set = ClusterCommandSupport.Render(outer);
            var inventory = PolySecretMcpRenderer.Inventory(outer.Stack);
            return Text(Json(w =>
            {
                w.WriteString("stack", outer.Stack.Name);
                w.WriteStartArray("secrets");
                foreach (var secret in MaterializedSecret.Of(set.Objects))
                {
                    w.WriteStartObject();
                    Identity(w, secret);
                    w.WriteStartArray("keys");
                    foreach (var (key, reference) in secret.Keys)
                    {
                        w.WriteStartObject();
                        w.WriteString("key", key);
                        w.WriteString("reference", reference);
                        var settings = inventory.Where(i => i.Module == secret.Module && i.Reference.ToString() == reference).Select(i => i.Setting).ToArray();
                        if (settings.Length > 0)
                        {
                            w.WriteString("setting", string.Join(", ", settings));
                        }
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    if (secret.RefreshInterval is { } refresh)
                    {
                        w.WriteString("refresh_interval", refresh);
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }), error: false);
        });

    private static McpServerTool SecretStatus(CommandContext outer) => Tool("secret_status",
        "Each materialised Secret in the cluster: present or not, the keys it holds and the keys it lacks, who last wrote it and when (rotation), and for Vault-backed ones the ExternalSecret's refresh interval, last sync and Ready condition. Names, keys and times only, never a value.",
        (CancellationToken c) => WithClusterAsync(outer, async (api, set) =>
        {
            var secrets = MaterializedSecret.Of(set.Objects);
            var live = new List<(MaterializedSecret Secret, JsonObject? Object, JsonObject? External)>();
            foreach (var secret in secrets)
            {
                var obj = await GetAsync(api, $"/api/v1/namespaces/{Uri.EscapeDataString(secret.Namespace)}/secrets/{Uri.EscapeDataString(secret.Name)}", $"read Secret {secret.Namespace}/{secret.Name}", c).ConfigureAwait(false);
                JsonObject? external = null;
                if (secret.ExternalSecret is { } es)
                {
                    external = await GetAsync(api, $"/apis/{es.ApiVersion}/namespaces/{Uri.EscapeDataString(secret.Namespace)}/externalsecrets/{Uri.EscapeDataString(es.Name)}", $"read ExternalSecret {secret.Namespace}/{es.Name}", c).ConfigureAwait(false);
                }
                live.Add((secret, obj is null ? null : Metadata(obj), external));
            }
            return Json(w =>
            {
                w.WriteString("stack", outer.Stack.Name);
                w.WriteStartArray("secrets");
                foreach (var (secret, obj, external) in live)
                {
                    w.WriteStartObject();
                    Identity(w, secret);
                    w.WriteBoolean("present", obj is not null);
                    if (obj is not null)
                    {
                        var held = (obj["keys"] as JsonArray)!.Select(k => k!.GetValue<string>()).ToArray();
                        Strings(w, "keys_present", held);
                        Strings(w, "keys_missing", secret.Keys.Select(k => k.Key).Where(k => !held.Contains(k, StringComparer.Ordinal)));
                        w.WriteString("created", obj["created"]?.GetValue<string>());
                        w.WriteStartArray("writes");
                        foreach (var write in (obj["writes"] as JsonArray)!.OfType<JsonObject>())
                        {
                            w.WriteStartObject();
                            w.WriteString("manager", write["manager"]?.GetValue<string>());
                            w.WriteString("time", write["time"]?.GetValue<string>());
                            w.WriteEndObject();
                        }
                        w.WriteEndArray();
                        w.WriteString("last_written", (obj["writes"] as JsonArray)!.Select(x => x?["time"]?.GetValue<string>()).Where(t => t is not null).Append(obj["created"]?.GetValue<string>()).Max(StringComparer.Ordinal));
                    }
                    if (secret.ExternalSecret is not null)
                    {
                        w.WriteStartObject("external_secret");
                        w.WriteBoolean("present", external is not null);
                        w.WriteString("refresh_interval", secret.RefreshInterval);
                        w.WriteString("last_sync", external?["status"]?["refreshTime"]?.GetValue<string>());
                        var ready = (external?["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(x => x["type"]?.GetValue<string>() == "Ready");
                        w.WriteString("ready", ready?["status"]?.GetValue<string>() ?? "unknown");
                        if (ready?["reason"]?.GetValue<string>() is { } reason)
                        {
                            w.WriteString("reason", reason);
                        }
                        w.WriteEndObject();
                    }
                    else
                    {
                        w.WriteString("rotation", "re-resolved and re-written by every apply of the stack");
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            });
        }));

    /// <summary>
    /// What is kept of a live Secret: key names, creation time and the managers' write times.
    /// The values are dropped here, as soon as the answer arrives, so nothing later can show them.
    /// </summary>
    private static JsonObject Metadata(JsonObject secret)
    {
        var keys = new JsonArray();
        foreach (var field in new[] { "data", "stringData" })
        {
            if (secret[field] is JsonObject values)
            {
                foreach (var key in values.Select(p => p.Key).OrderBy(k => k, StringComparer.Ordinal))
                {
                    keys.Add(key);
                }
            }
        }
        var writes = new JsonArray();
        foreach (var entry in (secret["metadata"]?["managedFields"] as JsonArray ?? new JsonArray()).OfType<JsonObject>()
            .OrderBy(e => e["manager"]?.GetValue<string>(), StringComparer.Ordinal))
        {
            writes.Add(new JsonObject { ["manager"] = entry["manager"]?.GetValue<string>(), ["time"] = entry["time"]?.GetValue<string>() });
        }
        return new JsonObject { ["keys"] = keys, ["created"] = secret["metadata"]?["creationTimestamp"]?.GetValue<string>(), ["writes"] = writes };
    }

    private static async Task<JsonObject?> GetAsync(KubeApiClient api, string path, string what, CancellationToken cancellation)
    {
        var answer = await api.SendAsync(HttpMethod.Get, path, what, cancellation: cancellation).ConfigureAwait(false);
        return answer.StatusCode == HttpStatusCode.NotFound ? null
            : answer.IsSuccess ? answer.Body
            : throw new KubeApiException($"{what}: {KubeApiClient.Describe(answer)}", answer.StatusCode, answer.StatusMessage ?? "");
    }

    private static void Identity(Utf8JsonWriter w, MaterializedSecret secret)
    {
        w.WriteString("namespace", secret.Namespace);
        w.WriteString("name", secret.Name);
        w.WriteString("module", secret.Module);
        w.WriteString("materialization", secret.Materialization);
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }
        w.WriteEndArray();
    }

    private static string Json(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan).Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}

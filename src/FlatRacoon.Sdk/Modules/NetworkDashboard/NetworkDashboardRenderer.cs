using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using FlatRacoon.Rendering;
using k8s.Models;

namespace FlatRacoon.Modules.NetworkDashboard;

/// <summary>
/// network-dashboard: the generic Deployment, Service and /healthz probes, plus <c>stack.json</c>
/// (the modules, their namespaces, layers and health endpoints) and the status endpoint it reads,
/// and a NetworkPolicy that lets it reach only that endpoint and DNS.
/// See docs/modules/network-dashboard.adoc.
/// </summary>
public sealed class NetworkDashboardRenderer : IModuleRenderer
{
    /// <summary>Module name.</summary>
    public const string ModuleName = "network-dashboard";

    /// <inheritdoc />
    public void Render(ModuleRenderContext context)
    {
        var baseline = Baseline.Render(context);
        var (status, statusModule) = StatusEndpoint(context);
        var stackJson = StackJson(context);
        context.AddArtifact("stack.json", stackJson);
        baseline.AddConfigFile("stack.json", stackJson);
        baseline.AddEnv(new V1EnvVar { Name = "FLATRACOON_STACK", Value = WorkloadRenderer.ConfigMountPath + "/stack.json" });
        baseline.AddEnv(new V1EnvVar { Name = "FLATRACOON_STATUS_ENDPOINT", Value = status });

        var port = Pods.Int(context, "port", 8080);
        var statusPort = Uri.TryCreate(status, UriKind.Absolute, out var uri) ? uri.Port : 8080;
        var selector = Labels.Sorted(context.SelectorLabels);
        var toStatus = new V1NetworkPolicyEgressRule { Ports = Pods.Tcp(statusPort) };
        if (statusModule is not null)
        {
            // The status endpoint is a module of the stack: only its namespace.
            toStatus.To = new List<V1NetworkPolicyPeer> { Pods.Namespace(statusModule.Namespace) };
        }
        context.Add(Pods.NetworkPolicy(context.Module.Name, selector,
            new List<V1NetworkPolicyIngressRule> { new() { Ports = Pods.Tcp(port) } },
            new List<V1NetworkPolicyEgressRule> { toStatus, Pods.DnsEgress() }));
    }

    /// <summary>
    /// The status endpoint as the dashboard's pods reach it: a host that names a module of the
    /// stack (<c>http://poly-observability-mcp:8080/status</c>) becomes that module's Service in its
    /// namespace (<c>poly-observability-mcp.poly-observability-mcp.svc</c>), since a bare name
    /// resolves only inside the dashboard's own namespace.
    /// </summary>
    public static (string Url, ModuleInstance? Module) StatusEndpoint(ModuleRenderContext context)
    {
        var configured = Pods.String(context, "status_endpoint", "http://poly-observability-mcp:8080/status");
        if (!Uri.TryCreate(configured, UriKind.Absolute, out var uri) || uri.Host.Contains('.', StringComparison.Ordinal)
            || context.Stack.Module(uri.Host) is not { } module)
        {
            return (configured, null);
        }
        var builder = new UriBuilder(uri) { Host = $"{module.Name}.{module.Namespace}.svc" };
        return (builder.Uri.ToString(), module);
    }

    private static string StackJson(ModuleRenderContext context)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("environment", context.Stack.Environment.Name);
            w.WriteStartArray("modules");
            foreach (var module in context.Stack.Modules.OrderBy(m => m.Name, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                if (module.Descriptor.HealthEndpoint is { } health)
                {
                    w.WriteString("health", $"http://{module.Name}.{module.Namespace}.svc:{Pods.Text(health.Port)}{health.Path}");
                }
                w.WriteString("layer", module.Descriptor.Layer.ToString().ToLowerInvariant());
                w.WriteString("name", module.Name);
                w.WriteString("namespace", module.Namespace);
                w.WriteString("version", module.Descriptor.Version);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("refresh_seconds", Pods.Int(context, "refresh_seconds", 30));
            w.WriteString("stack", context.Stack.Name);
            w.WriteString("status_endpoint", StatusEndpoint(context).Url);
            w.WriteString("title", Pods.String(context, "title", "FlatRacoon Network"));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }
}

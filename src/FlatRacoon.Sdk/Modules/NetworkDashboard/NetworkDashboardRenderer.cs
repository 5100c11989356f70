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
        var status = Pods.String(context, "status_endpoint", "http://poly-observability-mcp:8080/status");
        var stackJson = StackJson(context);
        context.AddArtifact("stack.json", stackJson);
        baseline.AddConfigFile("stack.json", stackJson);
        baseline.AddEnv(new V1EnvVar { Name = "FLATRACOON_STACK", Value = WorkloadRenderer.ConfigMountPath + "/stack.json" });
        baseline.AddEnv(new V1EnvVar { Name = "FLATRACOON_STATUS_ENDPOINT", Value = status });

        var port = Pods.Int(context, "port", 8080);
        var statusPort = Uri.TryCreate(status, UriKind.Absolute, out var uri) ? uri.Port : 8080;
        var selector = Labels.Sorted(context.SelectorLabels);
        context.Add(Pods.NetworkPolicy(context.Module.Name, selector,
            new List<V1NetworkPolicyIngressRule> { new() { Ports = Pods.Tcp(port) } },
            new List<V1NetworkPolicyEgressRule> { new() { Ports = Pods.Tcp(statusPort) }, Pods.DnsEgress() }));
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
            w.WriteString("status_endpoint", Pods.String(context, "status_endpoint", ""));
            w.WriteString("title", Pods.String(context, "title", "FlatRacoon Network"));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }
}

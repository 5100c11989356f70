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

    /// <summary>
    /// Sets the Service's IP families from <c>ip_family</c>: <c>ipv6</c> single-stack, <c>ipv4</c>
    /// single-stack, <c>dual-stack</c> PreferDualStack (IPv6 first). An IPv6-only stack takes only
    /// <c>ipv6</c> (the build reports FR1005; this refuses a stack rendered without validation).
    /// </summary>
    public static void ApplyIpFamily(Stack stack, V1Service service, string family)
    {
        if (stack.Environment.Ipv6Only && family != "ipv6")
        {
            throw new InvalidOperationException($"{ModuleName} ip_family '{family}' would expose IPv4 in the IPv6-only stack '{stack.Name}' (FR1005); use ipv6.");
        }
        service.Spec ??= new V1ServiceSpec();
        service.Spec.IpFamilyPolicy = family == "dual-stack" ? "PreferDualStack" : "SingleStack";
        service.Spec.IpFamilies = family switch
        {
            "ipv4" => new List<string> { "IPv4" },
            "dual-stack" => new List<string> { "IPv6", "IPv4" },
            _ => new List<string> { "IPv6" },
        };
    }

    /// <inheritdoc />
    public void Render(ModuleRenderContext context)
    {
        var baseline = Baseline.Render(context);
        var family = Pods.String(context, "ip_family", "ipv6");
        foreach (var service in context.Objects.OfType<V1Service>())
        {
            ApplyIpFamily(context.Stack, service, family);
        }
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

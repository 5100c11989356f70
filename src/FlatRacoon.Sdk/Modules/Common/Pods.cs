using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using FlatRacoon.Rendering;
using k8s.Models;

namespace FlatRacoon.Modules;

/// <summary>Building blocks the module renderers share: restricted security contexts, resources, policies.</summary>
internal static class Pods
{
    /// <summary>The container security context of the Pod Security "restricted" profile.</summary>
    public static V1SecurityContext Restricted(long user, long? group = null) => new()
    {
        AllowPrivilegeEscalation = false,
        ReadOnlyRootFilesystem = true,
        RunAsNonRoot = true,
        RunAsUser = user,
        RunAsGroup = group ?? user,
        Capabilities = new V1Capabilities { Drop = new List<string> { "ALL" } },
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };

    /// <summary>The pod security context of the "restricted" profile.</summary>
    public static V1PodSecurityContext RestrictedPod(long fsGroup) => new()
    {
        RunAsNonRoot = true,
        FsGroup = fsGroup,
        FsGroupChangePolicy = "OnRootMismatch",
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };

    /// <summary>Requests and limits from the module's <c>resources</c> setting.</summary>
    public static V1ResourceRequirements Resources(ModuleRenderContext context) => WorkloadRenderer.Resources(context);

    /// <summary>Fixed requests and limits (for helper containers).</summary>
    public static V1ResourceRequirements Resources(string cpuRequest, string memoryRequest, string cpuLimit, string memoryLimit) => new()
    {
        Requests = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["cpu"] = new(cpuRequest), ["memory"] = new(memoryRequest) },
        Limits = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["cpu"] = new(cpuLimit), ["memory"] = new(memoryLimit) },
    };

    /// <summary>The pod labels of a module: its selector plus module, layer and component (Loki stream labels).</summary>
    public static IDictionary<string, string> PodLabels(ModuleRenderContext context, string component, IDictionary<string, string>? extra = null)
    {
        var labels = Labels.Sorted(context.SelectorLabels);
        labels[Labels.Module] = context.Module.Name;
        labels[Labels.Layer] = context.Module.Descriptor.Layer.ToString().ToLowerInvariant();
        labels["app.kubernetes.io/component"] = component;
        if (extra is not null)
        {
            foreach (var pair in extra)
            {
                labels[pair.Key] = pair.Value;
            }
        }
        return labels;
    }

    /// <summary>A ServiceAccount without an automounted token.</summary>
    public static V1ServiceAccount ServiceAccount(string name) => new()
    {
        ApiVersion = "v1",
        Kind = "ServiceAccount",
        Metadata = new V1ObjectMeta { Name = name },
        AutomountServiceAccountToken = false,
    };

    /// <summary>A ConfigMap with data in ordinal key order.</summary>
    public static V1ConfigMap ConfigMap(string name, IDictionary<string, string> data) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = name },
        Data = Labels.Sorted(data),
    };

    /// <summary>A NetworkPolicy selecting <paramref name="podSelector"/>.</summary>
    public static V1NetworkPolicy NetworkPolicy(string name, IDictionary<string, string>? podSelector, IList<V1NetworkPolicyIngressRule>? ingress, IList<V1NetworkPolicyEgressRule>? egress) => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "NetworkPolicy",
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1NetworkPolicySpec
        {
            PodSelector = new V1LabelSelector { MatchLabels = podSelector is null ? null : Labels.Sorted(podSelector) },
            PolicyTypes = new List<string> { "Ingress", "Egress" },
            Ingress = ingress ?? new List<V1NetworkPolicyIngressRule>(),
            Egress = egress ?? new List<V1NetworkPolicyEgressRule>(),
        },
    };

    /// <summary>Egress to the cluster DNS (kube-system, UDP and TCP 53).</summary>
    public static V1NetworkPolicyEgressRule DnsEgress() => new()
    {
        To = new List<V1NetworkPolicyPeer>
        {
            new()
            {
                NamespaceSelector = new V1LabelSelector { MatchLabels = Labels.Sorted(new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "kube-system" }) },
            },
        },
        Ports = new List<V1NetworkPolicyPort>
        {
            new() { Protocol = "UDP", Port = 53 },
            new() { Protocol = "TCP", Port = 53 },
        },
    };

    /// <summary>A peer: every pod of namespace <paramref name="namespace"/>.</summary>
    public static V1NetworkPolicyPeer Namespace(string @namespace) => new()
    {
        NamespaceSelector = new V1LabelSelector { MatchLabels = Labels.Sorted(new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = @namespace }) },
    };

    /// <summary>TCP ports of a rule.</summary>
    public static List<V1NetworkPolicyPort> Tcp(params int[] ports) =>
        ports.Select(p => new V1NetworkPolicyPort { Protocol = "TCP", Port = p }).ToList();

    /// <summary>The namespace Prometheus runs in: the host of poly-observability-mcp's <c>prometheus_url</c> (<c>svc.ns.svc</c>), else <c>monitoring</c>.</summary>
    public static string PrometheusNamespace(Stack stack)
    {
        var observability = stack.Modules.FirstOrDefault(m => m.Descriptor.Provides.Contains("metrics"));
        if (observability is not null
            && ConfigJson.ToElement(observability.Config).TryGetProperty("prometheus_url", out var url)
            && url.ValueKind == JsonValueKind.String
            && Uri.TryCreate(url.GetString(), UriKind.Absolute, out var uri))
        {
            var parts = uri.Host.Split('.');
            if (parts.Length >= 2)
            {
                return parts[1];
            }
        }
        return "monitoring";
    }

    /// <summary>A string setting, or <paramref name="fallback"/>.</summary>
    public static string String(ModuleRenderContext context, string path, string fallback) =>
        context.Setting(path) is { ValueKind: JsonValueKind.String } s ? s.GetString()! : fallback;

    /// <summary>An optional string setting.</summary>
    public static string? OptionalString(ModuleRenderContext context, string path) =>
        context.Setting(path) is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;

    /// <summary>An integer setting, or <paramref name="fallback"/>.</summary>
    public static int Int(ModuleRenderContext context, string path, int fallback) =>
        context.Setting(path) is { ValueKind: JsonValueKind.Number } n && n.TryGetInt32(out var v) ? v : fallback;

    /// <summary>A boolean setting, or <paramref name="fallback"/>.</summary>
    public static bool Bool(ModuleRenderContext context, string path, bool fallback) =>
        context.Setting(path) is { ValueKind: JsonValueKind.True or JsonValueKind.False } b ? b.GetBoolean() : fallback;

    /// <summary>Invariant text of an integer.</summary>
    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The image of the module: <paramref name="overrideImage"/>, else the manifest's, else the module's own registry path.</summary>
    public static string Image(ModuleRenderContext context, ImageReference? overrideImage) =>
        (overrideImage ?? context.Module.Descriptor.Image)?.ToString() ?? $"ghcr.io/flatracoon/{context.Module.Name}:{context.Module.Descriptor.Version}";
}

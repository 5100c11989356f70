using System.Collections.Generic;
using System.Text.Json.Serialization;
using k8s.Models;

namespace FlatRacoon.Rendering.CustomResources;

/// <summary>Prometheus Operator <c>ServiceMonitor</c> (monitoring.coreos.com/v1).</summary>
public sealed class ServiceMonitor : CustomResource<ServiceMonitorSpec>
{
    /// <summary>Creates an empty ServiceMonitor.</summary>
    public ServiceMonitor() : base("monitoring.coreos.com/v1", "ServiceMonitor") { }
}

/// <summary>Spec of a <see cref="ServiceMonitor"/>.</summary>
public sealed class ServiceMonitorSpec
{
    /// <summary>Endpoints to scrape.</summary>
    [JsonPropertyName("endpoints")]
    public IList<MonitorEndpoint> Endpoints { get; set; } = new List<MonitorEndpoint>();
    /// <summary>Target label taken from the Service's <c>app.kubernetes.io/name</c>.</summary>
    [JsonPropertyName("jobLabel")]
    public string? JobLabel { get; set; }
    /// <summary>Namespaces of the Services.</summary>
    [JsonPropertyName("namespaceSelector")]
    public NamespaceSelector? NamespaceSelector { get; set; }
    /// <summary>Selects the Services.</summary>
    [JsonPropertyName("selector")]
    public V1LabelSelector Selector { get; set; } = new();
}

/// <summary>Prometheus Operator <c>PodMonitor</c> (monitoring.coreos.com/v1).</summary>
public sealed class PodMonitor : CustomResource<PodMonitorSpec>
{
    /// <summary>Creates an empty PodMonitor.</summary>
    public PodMonitor() : base("monitoring.coreos.com/v1", "PodMonitor") { }
}

/// <summary>Spec of a <see cref="PodMonitor"/>.</summary>
public sealed class PodMonitorSpec
{
    /// <summary>Target label taken from the pod's <c>app.kubernetes.io/name</c>.</summary>
    [JsonPropertyName("jobLabel")]
    public string? JobLabel { get; set; }
    /// <summary>Namespaces of the pods.</summary>
    [JsonPropertyName("namespaceSelector")]
    public NamespaceSelector? NamespaceSelector { get; set; }
    /// <summary>Endpoints to scrape.</summary>
    [JsonPropertyName("podMetricsEndpoints")]
    public IList<MonitorEndpoint> PodMetricsEndpoints { get; set; } = new List<MonitorEndpoint>();
    /// <summary>Selects the pods.</summary>
    [JsonPropertyName("selector")]
    public V1LabelSelector Selector { get; set; } = new();
}

/// <summary>A scrape endpoint of a ServiceMonitor or PodMonitor.</summary>
public sealed class MonitorEndpoint
{
    /// <summary>Scrape interval (Prometheus duration).</summary>
    [JsonPropertyName("interval")]
    public string? Interval { get; set; }
    /// <summary>HTTP path.</summary>
    [JsonPropertyName("path")]
    public string? Path { get; set; }
    /// <summary>Name of the Service or container port.</summary>
    [JsonPropertyName("port")]
    public string? Port { get; set; }
    /// <summary>http or https.</summary>
    [JsonPropertyName("scheme")]
    public string? Scheme { get; set; }
}

/// <summary>Prometheus Operator <c>PrometheusRule</c> (monitoring.coreos.com/v1).</summary>
public sealed class PrometheusRule : CustomResource<PrometheusRuleSpec>
{
    /// <summary>Creates an empty PrometheusRule.</summary>
    public PrometheusRule() : base("monitoring.coreos.com/v1", "PrometheusRule") { }
}

/// <summary>Spec of a <see cref="PrometheusRule"/>.</summary>
public sealed class PrometheusRuleSpec
{
    /// <summary>Rule groups.</summary>
    [JsonPropertyName("groups")]
    public IList<PrometheusRuleGroup> Groups { get; set; } = new List<PrometheusRuleGroup>();
}

/// <summary>A group of alerting rules.</summary>
public sealed class PrometheusRuleGroup
{
    /// <summary>Group name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";
    /// <summary>The rules.</summary>
    [JsonPropertyName("rules")]
    public IList<PrometheusAlertRule> Rules { get; set; } = new List<PrometheusAlertRule>();
}

/// <summary>An alerting rule.</summary>
public sealed class PrometheusAlertRule
{
    /// <summary>Alert name.</summary>
    [JsonPropertyName("alert")]
    public string Alert { get; set; } = "";
    /// <summary>Annotations (summary, description) in ordinal key order.</summary>
    [JsonPropertyName("annotations")]
    public IDictionary<string, string>? Annotations { get; set; }
    /// <summary>PromQL expression.</summary>
    [JsonPropertyName("expr")]
    public string Expr { get; set; } = "";
    /// <summary>How long the expression must hold.</summary>
    [JsonPropertyName("for")]
    public string? For { get; set; }
    /// <summary>Labels (severity, module) in ordinal key order.</summary>
    [JsonPropertyName("labels")]
    public IDictionary<string, string>? Labels { get; set; }
}

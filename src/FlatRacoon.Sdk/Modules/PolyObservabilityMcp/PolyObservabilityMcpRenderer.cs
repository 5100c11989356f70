using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using FlatRacoon.Rendering;
using FlatRacoon.Rendering.CustomResources;
using k8s.Models;

namespace FlatRacoon.Modules.PolyObservabilityMcp;

/// <summary>
/// poly-observability-mcp: its server (the generic workload) plus the stack's monitoring: a
/// PodMonitor for every module that exposes metrics (modules that render their own monitor are
/// skipped), a PrometheusRule with health alerts for every module, and a Grafana dashboard
/// ConfigMap (Grafana's sidecar picks it up by label). Pods carry Loki-friendly labels.
/// See docs/modules/poly-observability-mcp.adoc.
/// </summary>
public sealed class PolyObservabilityMcpRenderer : IModuleRenderer
{
    /// <summary>Module name.</summary>
    public const string ModuleName = "poly-observability-mcp";
    /// <summary>Modules whose renderer renders their own ServiceMonitor.</summary>
    public static readonly IReadOnlySet<string> OwnMonitors = new SortedSet<string>(StringComparer.Ordinal) { "twingate-helm-deploy" };

    /// <summary>What Prometheus scrapes of a module: the container port name and path.</summary>
    public static (string Port, string Path)? MetricsTarget(ModuleInstance module)
    {
        if (module.Descriptor.MetricsEndpoint is not { } metrics)
        {
            return null;
        }
        var port = module.Name switch
        {
            // kubo serves its metrics on the RPC API port.
            "ipfs-overlay" => "api",
            "twingate-helm-deploy" => "metrics",
            // The generic workload names the port "http" when health and metrics share it.
            _ => module.Descriptor.HealthEndpoint is { } health && health.Port == metrics.Port ? "http" : "metrics",
        };
        return (port, metrics.Path);
    }

    /// <inheritdoc />
    public void Render(ModuleRenderContext context)
    {
        var baseline = Baseline.Render(context);
        if (ModuleSecrets.Reference(context, "grafana_token") is { } token)
        {
            var secretName = context.Module.Name + "-grafana";
            ModuleSecrets.Render(context, new[] { new SecretMaterialization(secretName, new[] { new SecretKeyReference("token", token) }) });
            baseline.AddEnv(new V1EnvVar
            {
                Name = "GRAFANA_TOKEN",
                ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secretName, Key = "token" } },
            });
        }
        var interval = Pods.String(context, "scrape_interval", "30s");
        var modules = context.Stack.Modules.OrderBy(m => m.Name, StringComparer.Ordinal).ToList();

        foreach (var module in modules)
        {
            if (OwnMonitors.Contains(module.Name) || MetricsTarget(module) is not { } target)
            {
                continue;
            }
            context.Add(new PodMonitor
            {
                Metadata = new V1ObjectMeta { Name = module.Name },
                Spec = new PodMonitorSpec
                {
                    JobLabel = Labels.Name,
                    NamespaceSelector = new NamespaceSelector { MatchNames = new List<string> { module.Namespace } },
                    Selector = new V1LabelSelector
                    {
                        MatchLabels = Labels.Sorted(new Dictionary<string, string> { [Labels.Name] = module.Name, [Labels.PartOf] = context.Stack.Name }),
                    },
                    PodMetricsEndpoints = new List<MonitorEndpoint> { new() { Port = target.Port, Path = target.Path, Interval = interval, Scheme = "http" } },
                },
            });
        }

        context.Add(new PrometheusRule
        {
            Metadata = new V1ObjectMeta { Name = context.Stack.Name + "-health" },
            Spec = new PrometheusRuleSpec { Groups = modules.Select(m => Alerts(context.Stack, m)).ToList() },
        });

        var dashboard = Dashboard(context.Stack, modules);
        context.AddArtifact("grafana-dashboard.json", dashboard);
        var configMap = Pods.ConfigMap(context.Stack.Name + "-dashboard", new Dictionary<string, string> { [context.Stack.Name + ".json"] = dashboard });
        // Grafana's dashboard sidecar loads ConfigMaps with this label.
        configMap.Metadata.Labels = Labels.Sorted(new Dictionary<string, string> { ["grafana_dashboard"] = "1" });
        configMap.Metadata.Annotations = Labels.Sorted(new Dictionary<string, string> { ["grafana_folder"] = "FlatRacoon" });
        context.Add(configMap);
    }

    private static PrometheusRuleGroup Alerts(Stack stack, ModuleInstance module)
    {
        var ns = module.Namespace;
        var name = module.Name;
        var rules = new List<PrometheusAlertRule>();
        PrometheusAlertRule Rule(string alert, string expr, string @for, string severity, string summary) => new()
        {
            Alert = alert,
            Expr = expr,
            For = @for,
            Labels = Labels.Sorted(new Dictionary<string, string> { ["flatracoon_module"] = name, ["severity"] = severity, ["stack"] = stack.Name }),
            Annotations = Labels.Sorted(new Dictionary<string, string>
            {
                // The module's page in the stack's repository (docs/modules/<module>.adoc) says how it is checked.
                ["runbook"] = $"docs/modules/{name}.adoc",
                ["summary"] = summary,
            }),
        };
        if (MetricsTarget(module) is not null)
        {
            rules.Add(Rule("FlatRacoonModuleMetricsDown", $"absent(up{{job=\"{name}\",namespace=\"{ns}\"}} == 1)", "5m", "critical",
                $"No {name} metrics target is up."));
        }
        var workload = $"\"{name}(-.*)?\"";
        rules.Add(module.Descriptor.Workload switch
        {
            WorkloadKind.StatefulSet => Rule("FlatRacoonModuleReplicasUnavailable",
                $"kube_statefulset_status_replicas_ready{{namespace=\"{ns}\",statefulset=~{workload}}} < kube_statefulset_replicas{{namespace=\"{ns}\",statefulset=~{workload}}}",
                "10m", "warning", $"{name} has StatefulSet replicas that are not ready."),
            WorkloadKind.DaemonSet => Rule("FlatRacoonModuleReplicasUnavailable",
                $"kube_daemonset_status_number_unavailable{{namespace=\"{ns}\",daemonset=~{workload}}} > 0",
                "10m", "warning", $"{name} is unavailable on some nodes."),
            _ => Rule("FlatRacoonModuleReplicasUnavailable",
                $"kube_deployment_status_replicas_available{{namespace=\"{ns}\",deployment=~{workload}}} < kube_deployment_spec_replicas{{namespace=\"{ns}\",deployment=~{workload}}}",
                "10m", "warning", $"{name} has Deployment replicas that are not available."),
        });
        rules.Add(Rule("FlatRacoonModuleRestarting",
            $"increase(kube_pod_container_status_restarts_total{{namespace=\"{ns}\"}}[15m]) > 3",
            "0m", "warning", $"A container of {name} restarted more than three times in 15 minutes."));
        return new PrometheusRuleGroup { Name = $"flatracoon.{name}", Rules = rules };
    }

    private static string Dashboard(Stack stack, IReadOnlyList<ModuleInstance> modules)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteBoolean("editable", false);
            w.WriteStartArray("panels");
            var id = 1;
            var y = 0;
            foreach (var module in modules)
            {
                // Row per module: target up (when it has metrics), workload availability, logs.
                w.WriteStartObject();
                w.WriteStartObject("gridPos");
                w.WriteNumber("h", 1);
                w.WriteNumber("w", 24);
                w.WriteNumber("x", 0);
                w.WriteNumber("y", y);
                w.WriteEndObject();
                w.WriteNumber("id", id++);
                w.WriteString("title", $"{module.Name} ({module.Descriptor.Layer.ToString().ToLowerInvariant()})");
                w.WriteString("type", "row");
                w.WriteEndObject();
                y += 1;
                var x = 0;
                if (MetricsTarget(module) is not null)
                {
                    Panel(w, id++, x, y, 6, "stat", "Metrics targets up", "prometheus", $"sum(up{{job=\"{module.Name}\",namespace=\"{module.Namespace}\"}})");
                    x += 6;
                }
                Panel(w, id++, x, y, 8, "timeseries", "Container restarts (15m)", "prometheus",
                    $"sum(increase(kube_pod_container_status_restarts_total{{namespace=\"{module.Namespace}\"}}[15m]))");
                x += 8;
                Panel(w, id++, x, y, 24 - x, "logs", "Logs", "loki",
                    $"{{namespace=\"{module.Namespace}\", app_kubernetes_io_name=\"{module.Name}\"}}");
                y += 6;
            }
            w.WriteEndArray();
            w.WriteNumber("schemaVersion", 39);
            w.WriteStartArray("tags");
            w.WriteStringValue("flatracoon");
            w.WriteStringValue(stack.Name);
            w.WriteEndArray();
            w.WriteStartObject("time");
            w.WriteString("from", "now-6h");
            w.WriteString("to", "now");
            w.WriteEndObject();
            w.WriteString("title", $"FlatRacoon stack {stack.Name} ({stack.Environment.Name})");
            w.WriteString("uid", ("flatracoon-" + stack.Name).Length > 40 ? ("flatracoon-" + stack.Name)[..40] : "flatracoon-" + stack.Name);
            w.WriteNumber("version", 1);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    private static void Panel(Utf8JsonWriter w, int id, int x, int y, int width, string type, string title, string datasource, string expr)
    {
        w.WriteStartObject();
        w.WriteStartObject("datasource");
        w.WriteString("type", datasource);
        w.WriteString("uid", datasource);
        w.WriteEndObject();
        w.WriteStartObject("gridPos");
        w.WriteNumber("h", 6);
        w.WriteNumber("w", width);
        w.WriteNumber("x", x);
        w.WriteNumber("y", y);
        w.WriteEndObject();
        w.WriteNumber("id", id);
        w.WriteStartArray("targets");
        w.WriteStartObject();
        w.WriteString("expr", expr);
        w.WriteString("refId", "A");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteString("title", title);
        w.WriteString("type", type);
        w.WriteEndObject();
    }
}

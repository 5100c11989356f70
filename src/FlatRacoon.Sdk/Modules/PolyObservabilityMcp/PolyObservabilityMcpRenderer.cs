using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlatRacoon.Deployment;
using FlatRacoon.Observability;
using FlatRacoon.Rendering;
using FlatRacoon.Rendering.CustomResources;
using k8s.Models;

namespace FlatRacoon.Modules.PolyObservabilityMcp;

/// <summary>
/// poly-observability-mcp: its server (the generic workload) plus the stack's monitoring: a
/// PodMonitor for every module that exposes metrics (modules that render their own monitor are
/// skipped), a PrometheusRule with health alerts for every module, and a Grafana dashboard
/// ConfigMap (Grafana's sidecar picks it up by label). Pods carry Loki-friendly labels. Its
/// server (the stack program's <c>mcp --http --tools observability</c>) reads the stack's
/// workloads, health endpoints and warning events: the renderer grants exactly those reads
/// (<see cref="StatusReads"/>), by object name, in the access pass (<see cref="IAccessRenderer"/>).
/// See docs/modules/poly-observability-mcp.adoc.
/// </summary>
public sealed class PolyObservabilityMcpRenderer : IModuleRenderer, IAccessRenderer
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
        baseline.Template.Spec.AutomountServiceAccountToken = true;
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

    /// <summary>Name of the Roles, ClusterRole and bindings that grant the server's reads.</summary>
    internal static string ReaderRoleName(string module) => module + "-status-reader";

    /// <summary>
    /// Grants the server's service account what <see cref="StackStatusReader"/> reads and nothing
    /// else: <c>get</c> on each object it reads, by name (a Role per namespace; a ClusterRole for
    /// cluster-scoped objects); <c>get</c> on <c>services/proxy</c> for each health endpoint, by the
    /// <c>name:port</c> the API authorizes it by; <c>list</c> on events in each module's namespace.
    /// No Secret (revisions included: the status shows no revision rather than read Secrets) and
    /// no write.
    /// </summary>
    void IAccessRenderer.RenderAccess(ModuleRenderContext context)
    {
        var stack = context.Stack;
        var own = context.Module;
        var ownObjects = context.Objects.Select(o => DeploymentSet.ToJson(o)).ToArray();
        var ownName = own.Name;
        // Namespaces are placed with the first module of each namespace, in wave order.
        var namespaceOwner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var module in stack.Waves.SelectMany(w => w))
        {
            namespaceOwner.TryAdd(module.Namespace, module.Name);
        }
        // (namespace or "" for cluster scope) -> (group, resource) -> names
        var grants = new SortedDictionary<string, SortedDictionary<(string Group, string Resource), SortedSet<string>>>(StringComparer.Ordinal);
        void Grant(string? ns, string group, string resource, string name)
        {
            if (!grants.TryGetValue(ns ?? "", out var byResource))
            {
                grants[ns ?? ""] = byResource = new SortedDictionary<(string, string), SortedSet<string>>();
            }
            if (!byResource.TryGetValue((group, resource), out var names))
            {
                byResource[(group, resource)] = names = new SortedSet<string>(StringComparer.Ordinal);
            }
            names.Add(name);
        }
        var eventNamespaces = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var module in stack.Modules)
        {
            var objects = (module.Name == ownName
                    ? ownObjects
                    : context.StackObjects.Where(o => o.Module == module.Name).Select(o => DeploymentSet.ToJson(o.Object)))
                .ToList();
            if (namespaceOwner.TryGetValue(module.Namespace, out var owner) && owner == module.Name)
            {
                objects.Add(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = module.Namespace } });
            }
            foreach (var read in StatusReads.ObjectsRead(objects))
            {
                var kind = KubeObject.Kind(read);
                Grant(ModuleRenderContext.IsClusterScoped(kind) ? null : KubeObject.Namespace(read) ?? module.Namespace,
                    StatusReads.Group(KubeObject.ApiVersion(read)), StatusReads.Resource(kind), KubeObject.Name(read));
            }
            foreach (var workload in objects.Where(o => StatusReads.IsWorkload(KubeObject.Kind(o))))
            {
                if (StatusReads.Health(workload, objects) is { } health)
                {
                    Grant(health.Namespace, "", "services/proxy", health.ProxyName);
                    break;
                }
            }
            eventNamespaces.Add(module.Namespace);
        }

        var name = ReaderRoleName(own.Name);
        var subjects = new List<Rbacv1Subject> { new() { Kind = "ServiceAccount", Name = own.Name, NamespaceProperty = own.Namespace } };
        List<V1PolicyRule> Rules(string ns)
        {
            var rules = grants.TryGetValue(ns, out var byResource)
                ? byResource.Select(g => new V1PolicyRule
                {
                    ApiGroups = new List<string> { g.Key.Group },
                    Resources = new List<string> { g.Key.Resource },
                    ResourceNames = g.Value.ToList(),
                    Verbs = new List<string> { "get" },
                }).ToList()
                : new List<V1PolicyRule>();
            if (ns.Length > 0 && eventNamespaces.Contains(ns))
            {
                rules.Add(new V1PolicyRule { ApiGroups = new List<string> { "" }, Resources = new List<string> { "events" }, Verbs = new List<string> { "list" } });
            }
            return rules;
        }
        foreach (var ns in grants.Keys.Where(k => k.Length > 0).Union(eventNamespaces).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal))
        {
            context.Add(new V1Role
            {
                ApiVersion = "rbac.authorization.k8s.io/v1",
                Kind = "Role",
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
                Rules = Rules(ns),
            });
            context.Add(new V1RoleBinding
            {
                ApiVersion = "rbac.authorization.k8s.io/v1",
                Kind = "RoleBinding",
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = name },
                Subjects = subjects,
            });
        }
        if (grants.ContainsKey(""))
        {
            context.Add(new V1ClusterRole
            {
                ApiVersion = "rbac.authorization.k8s.io/v1",
                Kind = "ClusterRole",
                Metadata = new V1ObjectMeta { Name = name },
                Rules = Rules(""),
            });
            context.Add(new V1ClusterRoleBinding
            {
                ApiVersion = "rbac.authorization.k8s.io/v1",
                Kind = "ClusterRoleBinding",
                Metadata = new V1ObjectMeta { Name = name },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = name },
                Subjects = subjects,
            });
        }
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

using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using k8s.Models;

namespace FlatRacoon.Rendering;

/// <summary>
/// Renders a module's baseline from its manifest alone: ServiceAccount, a ConfigMap with the
/// module's configuration (<c>config.json</c>; no artifact, the ConfigMap shows it), the main workload (Deployment,
/// StatefulSet or DaemonSet) with its health and metrics ports and probes, and a Service.
/// Pods meet the Pod Security "restricted" profile; every container has requests and limits.
/// Module-specific renderers build on this or replace it.
/// </summary>
public sealed class WorkloadRenderer : IModuleRenderer
{
    /// <summary>ConfigMap key (and file name in the container) of the module's configuration.</summary>
    public const string ConfigFileName = "config.json";
    /// <summary>Where the configuration is mounted in the container.</summary>
    public const string ConfigMountPath = "/etc/flatracoon";
    /// <summary>The non-root user the baseline runs as.</summary>
    public const long NonRootUser = 65532;

    /// <inheritdoc />
    public void Render(ModuleRenderContext context)
    {
        var module = context.Module;
        var descriptor = module.Descriptor;
        var configText = context.ConfigText;

        context.Add(new V1ServiceAccount
        {
            ApiVersion = "v1",
            Kind = "ServiceAccount",
            Metadata = new V1ObjectMeta { Name = module.Name },
            AutomountServiceAccountToken = false,
        });
        context.Add(new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta { Name = module.Name + "-config" },
            Data = Labels.Sorted(new Dictionary<string, string> { [ConfigFileName] = configText }),
        });

        var ports = Ports(descriptor);
        var template = PodTemplate(context, ports, Rendering.ConfigJson.Sha256(configText));
        var selector = new V1LabelSelector { MatchLabels = context.SelectorLabels };
        switch (descriptor.Workload)
        {
            case WorkloadKind.StatefulSet:
                context.Add(new V1StatefulSet
                {
                    ApiVersion = "apps/v1",
                    Kind = "StatefulSet",
                    Metadata = new V1ObjectMeta { Name = module.Name },
                    Spec = new V1StatefulSetSpec
                    {
                        ServiceName = module.Name,
                        Replicas = Replicas(context),
                        Selector = selector,
                        Template = template,
                        PodManagementPolicy = "OrderedReady",
                        VolumeClaimTemplates = new List<V1PersistentVolumeClaim>
                        {
                            new()
                            {
                                Metadata = new V1ObjectMeta { Name = "data" },
                                Spec = new V1PersistentVolumeClaimSpec
                                {
                                    AccessModes = new List<string> { "ReadWriteOnce" },
                                    Resources = new V1VolumeResourceRequirements
                                    {
                                        Requests = new Dictionary<string, ResourceQuantity>
                                        {
                                            ["storage"] = new(StringSetting(context, "storage_size") ?? "1Gi"),
                                        },
                                    },
                                },
                            },
                        },
                    },
                });
                template.Spec.Containers[0].VolumeMounts.Add(new V1VolumeMount { Name = "data", MountPath = "/data" });
                break;
            case WorkloadKind.DaemonSet:
                context.Add(new V1DaemonSet
                {
                    ApiVersion = "apps/v1",
                    Kind = "DaemonSet",
                    Metadata = new V1ObjectMeta { Name = module.Name },
                    Spec = new V1DaemonSetSpec { Selector = selector, Template = template },
                });
                break;
            default:
                context.Add(new V1Deployment
                {
                    ApiVersion = "apps/v1",
                    Kind = "Deployment",
                    Metadata = new V1ObjectMeta { Name = module.Name },
                    Spec = new V1DeploymentSpec { Replicas = Replicas(context), Selector = selector, Template = template },
                });
                break;
        }

        if (ports.Count > 0)
        {
            context.Add(new V1Service
            {
                ApiVersion = "v1",
                Kind = "Service",
                Metadata = new V1ObjectMeta { Name = module.Name },
                Spec = new V1ServiceSpec
                {
                    // A StatefulSet's governing Service is headless: stable per-pod DNS names.
                    ClusterIP = descriptor.Workload == WorkloadKind.StatefulSet ? "None" : null,
                    Selector = context.SelectorLabels,
                    IpFamilyPolicy = context.Stack.Environment.Ipv6Only ? "SingleStack" : null,
                    IpFamilies = context.Stack.Environment.Ipv6Only ? new List<string> { "IPv6" } : null,
                    Ports = ports.Select(p => new V1ServicePort
                    {
                        Name = p.Name,
                        Port = p.Port,
                        TargetPort = p.Name,
                        Protocol = "TCP",
                    }).ToList(),
                },
            });
        }
    }

    private static List<(string Name, int Port)> Ports(ModuleDescriptor descriptor)
    {
        var ports = new List<(string Name, int Port)>();
        if (descriptor.HealthEndpoint is { } health && descriptor.MetricsEndpoint is { } sameMetrics && sameMetrics.Port == health.Port)
        {
            ports.Add(("http", health.Port));
            return ports;
        }
        if (descriptor.HealthEndpoint is { } h)
        {
            ports.Add(("health", h.Port));
        }
        if (descriptor.MetricsEndpoint is { } m)
        {
            ports.Add(("metrics", m.Port));
        }
        return ports;
    }

    private static V1PodTemplateSpec PodTemplate(ModuleRenderContext context, List<(string Name, int Port)> ports, string configHash)
    {
        var module = context.Module;
        var descriptor = module.Descriptor;
        var healthPortName = ports.FirstOrDefault(p => p.Name is "health" or "http").Name;
        V1Probe? Probe(int period, int failures) => descriptor.HealthEndpoint is { } health
            ? new V1Probe
            {
                HttpGet = new V1HTTPGetAction { Path = health.Path, Port = healthPortName },
                PeriodSeconds = period,
                TimeoutSeconds = 5,
                FailureThreshold = failures,
            }
            : null;

        var container = new V1Container
        {
            Name = module.Name,
            Image = descriptor.Image?.ToString() ?? $"ghcr.io/flatracoon/{module.Name}:{descriptor.Version}",
            ImagePullPolicy = "IfNotPresent",
            Env = new List<V1EnvVar>
            {
                new() { Name = "FLATRACOON_CONFIG", Value = $"{ConfigMountPath}/{ConfigFileName}" },
                new() { Name = "FLATRACOON_ENVIRONMENT", Value = context.Stack.Environment.Name },
                new() { Name = "FLATRACOON_MODULE", Value = module.Name },
            },
            Ports = ports.Count == 0 ? null : ports.Select(p => new V1ContainerPort { Name = p.Name, ContainerPort = p.Port, Protocol = "TCP" }).ToList(),
            ReadinessProbe = Probe(10, 3),
            LivenessProbe = Probe(20, 6),
            Resources = Resources(context),
            SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                ReadOnlyRootFilesystem = true,
                RunAsNonRoot = true,
                RunAsUser = NonRootUser,
                RunAsGroup = NonRootUser,
                Capabilities = new V1Capabilities { Drop = new List<string> { "ALL" } },
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
            VolumeMounts = new List<V1VolumeMount>
            {
                new() { Name = "config", MountPath = ConfigMountPath, ReadOnlyProperty = true },
                new() { Name = "tmp", MountPath = "/tmp" },
            },
        };

        return new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta
            {
                Labels = context.SelectorLabels,
                // A changed configuration changes this hash, which rolls the pods.
                Annotations = Labels.Sorted(new Dictionary<string, string> { ["flatracoon.io/config-sha256"] = configHash }),
            },
            Spec = new V1PodSpec
            {
                ServiceAccountName = module.Name,
                AutomountServiceAccountToken = false,
                EnableServiceLinks = false,
                SecurityContext = new V1PodSecurityContext
                {
                    RunAsNonRoot = true,
                    FsGroup = NonRootUser,
                    SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                },
                Containers = new List<V1Container> { container },
                Volumes = new List<V1Volume>
                {
                    new() { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = module.Name + "-config" } },
                    new() { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("64Mi") } },
                },
            },
        };
    }

    private static int Replicas(ModuleRenderContext context) =>
        context.Setting("replicas") is { ValueKind: JsonValueKind.Number } r && r.TryGetInt32(out var n) ? n : 1;

    private static string? StringSetting(ModuleRenderContext context, string path) =>
        context.Setting(path) is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;

    /// <summary>
    /// Requests and limits from the module's <c>resources</c> setting
    /// (<c>{requests: {cpu, memory}, limits: {cpu, memory}}</c>), with small defaults for what it leaves out.
    /// </summary>
    internal static V1ResourceRequirements Resources(ModuleRenderContext context)
    {
        string Pick(string kind, string resource, string fallback) =>
            StringSetting(context, $"resources.{kind}.{resource}")
            ?? StringSetting(context, $"resources.{resource}_{kind.TrimEnd('s')}")
            ?? fallback;

        return new V1ResourceRequirements
        {
            Requests = new SortedDictionary<string, ResourceQuantity>(System.StringComparer.Ordinal)
            {
                ["cpu"] = new(Pick("requests", "cpu", "50m")),
                ["memory"] = new(Pick("requests", "memory", "64Mi")),
            },
            Limits = new SortedDictionary<string, ResourceQuantity>(System.StringComparer.Ordinal)
            {
                ["cpu"] = new(Pick("limits", "cpu", "500m")),
                ["memory"] = new(Pick("limits", "memory", "256Mi")),
            },
        };
    }
}

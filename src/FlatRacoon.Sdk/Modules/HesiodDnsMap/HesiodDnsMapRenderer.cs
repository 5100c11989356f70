using System;
using System.Collections.Generic;
using System.Linq;
using FlatRacoon.Rendering;
using k8s.Models;

namespace FlatRacoon.Modules.HesiodDnsMap;

/// <summary>
/// Renders hesiod-dns-map: the Hesiod zone generated from the stack itself (a
/// <c>&lt;module&gt;.service</c> record for every port of every module's Service, plus the
/// configured passwd, group, filsys and services maps), named.conf with an HS and an IN view,
/// hesiod.conf for clients, and a BIND Deployment with a bind_exporter sidecar behind an IPv6 Service.
/// </summary>
public sealed class HesiodDnsMapRenderer : IStackWideRenderer
{
    /// <summary>The module name.</summary>
    public const string ModuleName = "hesiod-dns-map";
    /// <summary>Where named.conf and the zones are mounted.</summary>
    public const string ConfigPath = "/etc/bind/hesiod";
    /// <summary>The port BIND listens on in the pod (unprivileged; the Service maps 53 to it).</summary>
    public const int PodDnsPort = 5353;
    /// <summary>The cluster DNS domain used in service host names.</summary>
    public const string ClusterDomain = "cluster.local";

    /// <summary>The zone of <paramref name="context"/>'s stack.</summary>
    public static HesiodZone Zone(ModuleRenderContext context)
    {
        var services = ServiceEndpoints(context.StackObjects, context.Module);
        return HesiodZone.Build(context.Config, $"{context.Module.Name}.{context.Module.Namespace}.svc.{ClusterDomain}.", services);
    }

    /// <summary>The pod's listening values.</summary>
    public static BindListen PodListen { get; } = new(PodDnsPort, Array.Empty<string>(), new[] { "any" }, ConfigPath, "/var/cache/bind", null, 8053);

    /// <summary>
    /// Every Service port among <paramref name="stackObjects"/> (what the stack rendered), plus this
    /// module's own Service: the zone always names the Services that really exist. Runs as a
    /// stack-wide renderer, so custom renderers' Services are seen too.
    /// </summary>
    public static IReadOnlyList<HesiodServiceEndpoint> ServiceEndpoints(IEnumerable<RenderedObject> stackObjects, ModuleInstance self)
    {
        var services = stackObjects
            .Where(o => o.Module != self.Name && o.Object is V1Service)
            .Select(o => (Module: o.Module, Service: (V1Service)o.Object))
            .Append((Module: self.Name, Service: OwnService(self)));
        var endpoints = new List<HesiodServiceEndpoint>();
        foreach (var (module, service) in services
            .OrderBy(s => s.Module, StringComparer.Ordinal)
            .ThenBy(s => s.Service.Metadata.Name, StringComparer.Ordinal))
        {
            var ns = service.Metadata.NamespaceProperty;
            foreach (var port in service.Spec?.Ports ?? new List<V1ServicePort>())
            {
                endpoints.Add(new HesiodServiceEndpoint(module, $"{service.Metadata.Name}.{ns}.svc.{ClusterDomain}", port.Port, (port.Protocol ?? "TCP").ToLowerInvariant()));
            }
        }
        return endpoints;
    }

    private static V1Service OwnService(ModuleInstance module) => new()
    {
        Metadata = new V1ObjectMeta { Name = module.Name, NamespaceProperty = module.Namespace },
        Spec = new V1ServiceSpec { Ports = OwnPorts(module) },
    };

    private static List<V1ServicePort> OwnPorts(ModuleInstance module)
    {
        var ports = new List<V1ServicePort>
        {
            new() { Name = "dns", Port = 53, TargetPort = "dns", Protocol = "UDP" },
            new() { Name = "dns-tcp", Port = 53, TargetPort = "dns-tcp", Protocol = "TCP" },
        };
        if (module.Descriptor.MetricsEndpoint is { } metrics)
        {
            ports.Add(new V1ServicePort { Name = "metrics", Port = metrics.Port, TargetPort = "metrics", Protocol = "TCP" });
        }
        return ports;
    }

    /// <inheritdoc />
    public void Render(ModuleRenderContext context)
    {
        var module = context.Module;
        var zone = Zone(context);
        context.Add(NetworkObjects.ServiceAccount(module.Name));
        var configMap = NetworkObjects.ConfigMapWithArtifacts(context, module.Name + "-config", new[]
        {
            ("named.conf", zone.NamedConf(PodListen)),
            (zone.ZoneFileName("HS"), zone.ZoneFile("HS")),
            (zone.ZoneFileName("IN"), zone.ZoneFile("IN")),
            ("hesiod.conf", zone.HesiodConf()),
        }, withSettings: true);
        var metricsPort = module.Descriptor.MetricsEndpoint?.Port ?? 9119;
        var probe = new V1Probe
        {
            Exec = new V1ExecAction { Command = new List<string> { "dig", "-p", PodDnsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "@::1", zone.Domain, "SOA", "+short" } },
            PeriodSeconds = 10,
            TimeoutSeconds = 5,
        };
        context.Add(new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = module.Name },
            Spec = new V1DeploymentSpec
            {
                Replicas = 2,
                Selector = new V1LabelSelector { MatchLabels = context.SelectorLabels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = context.SelectorLabels,
                        Annotations = Labels.Sorted(new Dictionary<string, string>
                        {
                            ["flatracoon.io/config-sha256"] = ConfigJson.Sha256(string.Concat(configMap.Data.Select(kv => kv.Key + "\n" + kv.Value))),
                        }),
                    },
                    Spec = new V1PodSpec
                    {
                        ServiceAccountName = module.Name,
                        AutomountServiceAccountToken = false,
                        EnableServiceLinks = false,
                        SecurityContext = new V1PodSecurityContext
                        {
                            RunAsNonRoot = true,
                            FsGroup = WorkloadRenderer.NonRootUser,
                            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                        },
                        Containers = new List<V1Container>
                        {
                            new()
                            {
                                Name = "named",
                                Image = module.Descriptor.Image?.ToString() ?? "docker.io/internetsystemsconsortium/bind9:9.18",
                                ImagePullPolicy = "IfNotPresent",
                                Command = new List<string> { "named", "-g", "-c", $"{ConfigPath}/named.conf" },
                                Ports = new List<V1ContainerPort>
                                {
                                    new() { Name = "dns", ContainerPort = PodDnsPort, Protocol = "UDP" },
                                    new() { Name = "dns-tcp", ContainerPort = PodDnsPort, Protocol = "TCP" },
                                },
                                ReadinessProbe = probe,
                                LivenessProbe = probe,
                                Resources = WorkloadRenderer.Resources(context),
                                SecurityContext = NetworkObjects.RestrictedContainer(WorkloadRenderer.NonRootUser),
                                VolumeMounts = new List<V1VolumeMount>
                                {
                                    new() { Name = "config", MountPath = ConfigPath, ReadOnlyProperty = true },
                                    new() { Name = "cache", MountPath = PodListen.WorkingDirectory },
                                },
                            },
                            new()
                            {
                                Name = "bind-exporter",
                                Image = "docker.io/prometheuscommunity/bind-exporter:v0.7.0",
                                ImagePullPolicy = "IfNotPresent",
                                Args = new List<string> { $"--bind.stats-url=http://[::1]:{PodListen.StatisticsPort}/", $"--web.listen-address=:{metricsPort}" },
                                Ports = new List<V1ContainerPort> { new() { Name = "metrics", ContainerPort = metricsPort, Protocol = "TCP" } },
                                Resources = new V1ResourceRequirements
                                {
                                    Requests = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["cpu"] = new("10m"), ["memory"] = new("16Mi") },
                                    Limits = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["cpu"] = new("100m"), ["memory"] = new("64Mi") },
                                },
                                SecurityContext = NetworkObjects.RestrictedContainer(WorkloadRenderer.NonRootUser),
                            },
                        },
                        Volumes = new List<V1Volume>
                        {
                            new() { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = configMap.Metadata.Name } },
                            new() { Name = "cache", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("64Mi") } },
                        },
                    },
                },
            },
        });
        context.Add(NetworkObjects.Service(context, module.Name, OwnPorts(module)));
    }
}

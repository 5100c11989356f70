using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlatRacoon.Rendering;
using FlatRacoon.Rendering.CustomResources;
using k8s.Models;
using Scriban;

namespace FlatRacoon.Modules.TwingateHelmDeploy;

/// <summary>
/// twingate-helm-deploy: one connector Deployment per configured connector (a Twingate token pair
/// belongs to exactly one connector), spread over nodes by pod anti-affinity; tokens from secret
/// references; an egress-only NetworkPolicy (HTTPS and DNS); a metrics Service and ServiceMonitor;
/// probes on the metrics listener. The upstream chart's values.yaml is rendered per connector as
/// an alternative. See docs/modules/twingate-helm-deploy.adoc.
/// </summary>
public sealed class TwingateHelmDeployRenderer : IModuleRenderer
{
    /// <summary>Module name.</summary>
    public const string ModuleName = "twingate-helm-deploy";
    /// <summary>Key of the access token in each connector's Secret (the chart's env name).</summary>
    public const string AccessTokenKey = "TWINGATE_ACCESS_TOKEN";
    /// <summary>Key of the refresh token in each connector's Secret.</summary>
    public const string RefreshTokenKey = "TWINGATE_REFRESH_TOKEN";
    /// <summary>The connector image's non-root user (the chart's runAsUser).</summary>
    public const long ConnectorUser = 65532;

    private static readonly Lazy<Template> ValuesTemplate = new(() =>
    {
        using var stream = typeof(TwingateHelmDeployRenderer).Assembly.GetManifestResourceStream("FlatRacoon.Modules.TwingateHelmDeploy.values.yaml.scriban")
            ?? throw new InvalidOperationException("The values.yaml template is not embedded.");
        using var reader = new StreamReader(stream);
        var template = Template.Parse(reader.ReadToEnd());
        return template.HasErrors ? throw new InvalidOperationException(string.Join("; ", template.Messages)) : template;
    });

    /// <summary>The connector image; null takes the manifest's.</summary>
    public ImageReference? Image { get; init; }

    /// <summary>The secret reference of connector <paramref name="index"/> of <paramref name="count"/>: suffixed with its index when there is more than one.</summary>
    public static SecretReference ForConnector(SecretReference reference, int index, int count)
    {
        if (count <= 1)
        {
            return reference;
        }
        var suffix = "-" + Pods.Text(index);
        return reference.Source switch
        {
            SecretSource.Vault => SecretReference.Vault(ModuleSecrets.VaultLocation(reference).Path, reference.Key + suffix, ModuleSecrets.VaultLocation(reference).Mount),
            SecretSource.Sops => SecretReference.Sops(reference.Location, reference.Key + suffix),
            SecretSource.Environment => SecretReference.Environment(reference.Location + "_" + Pods.Text(index)),
            _ => SecretReference.File(reference.Location + suffix),
        };
    }

    /// <inheritdoc />
    public void Render(ModuleRenderContext context)
    {
        var module = context.Module;
        var count = Pods.Int(context, "replicas", 1);
        var network = Pods.String(context, "network", "flatracoon");
        var domain = Pods.String(context, "domain", "twingate.com");
        var logLevel = Pods.String(context, "log_level", "error");
        var dnsServer = Pods.OptionalString(context, "dns_server");
        var icmp = Pods.Bool(context, "icmp_support", false);
        var analytics = Pods.Bool(context, "log_analytics", false);
        var metricsPort = module.Descriptor.MetricsEndpoint?.Port ?? 9999;
        var access = ModuleSecrets.Reference(context, "access_token") ?? throw new InvalidOperationException($"{ModuleName} needs access_token.");
        var refresh = ModuleSecrets.Reference(context, "refresh_token") ?? throw new InvalidOperationException($"{ModuleName} needs refresh_token.");
        var image = Image ?? module.Descriptor.Image ?? new ImageReference("docker.io/twingate/connector", "1");
        var resources = Pods.Resources(context);

        context.Add(Pods.ServiceAccount(module.Name));
        ModuleSecrets.Render(context, Enumerable.Range(0, count).Select(i => new SecretMaterialization(SecretName(module, i), new[]
        {
            new SecretKeyReference(AccessTokenKey, ForConnector(access, i, count)),
            new SecretKeyReference(RefreshTokenKey, ForConnector(refresh, i, count)),
        })));

        var common = Labels.Sorted(context.SelectorLabels);
        common["app.kubernetes.io/component"] = "connector";
        for (var i = 0; i < count; i++)
        {
            var name = $"{module.Name}-{Pods.Text(i)}";
            var selector = Labels.Sorted(common);
            selector["flatracoon.io/connector"] = Pods.Text(i);
            var env = new List<V1EnvVar>
            {
                new() { Name = "TWINGATE_LABEL_DEPLOYED_BY", Value = "flatracoon" },
                new() { Name = "TWINGATE_LABEL_STACK", Value = context.Stack.Name },
                new() { Name = "TWINGATE_LOG_LEVEL", Value = LogLevel(logLevel) },
                new() { Name = "TWINGATE_METRICS_PORT", Value = Pods.Text(metricsPort) },
                new() { Name = "TWINGATE_URL", Value = $"https://{network}.{domain}" },
            };
            if (analytics)
            {
                env.Add(new V1EnvVar { Name = "TWINGATE_LOG_ANALYTICS", Value = "v2" });
            }
            if (dnsServer is not null)
            {
                env.Add(new V1EnvVar { Name = "TWINGATE_DNS", Value = dnsServer });
            }
            env = env.OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
            foreach (var key in new[] { AccessTokenKey, RefreshTokenKey })
            {
                env.Add(new V1EnvVar { Name = key, ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = SecretName(module, i), Key = key } } });
            }

            var probe = (int period, int failures) => new V1Probe
            {
                HttpGet = new V1HTTPGetAction { Path = module.Descriptor.MetricsEndpoint?.Path ?? "/metrics", Port = "metrics" },
                PeriodSeconds = period,
                TimeoutSeconds = 5,
                FailureThreshold = failures,
            };
            context.Add(new V1Deployment
            {
                ApiVersion = "apps/v1",
                Kind = "Deployment",
                Metadata = new V1ObjectMeta { Name = name },
                Spec = new V1DeploymentSpec
                {
                    Replicas = 1,
                    // Never two pods with one connector's tokens: the old pod stops before the new one starts.
                    Strategy = new V1DeploymentStrategy { Type = "Recreate" },
                    Selector = new V1LabelSelector { MatchLabels = selector },
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta { Labels = Pods.PodLabels(context, "connector", new Dictionary<string, string> { ["flatracoon.io/connector"] = Pods.Text(i) }) },
                        Spec = new V1PodSpec
                        {
                            ServiceAccountName = module.Name,
                            AutomountServiceAccountToken = false,
                            EnableServiceLinks = false,
                            SecurityContext = new V1PodSecurityContext
                            {
                                RunAsNonRoot = true,
                                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                                // ping_group_range is a "safe" sysctl: allowed by the restricted profile.
                                Sysctls = icmp ? new List<V1Sysctl> { new() { Name = "net.ipv4.ping_group_range", Value = "0 2147483647" } } : null,
                            },
                            Affinity = new V1Affinity
                            {
                                PodAntiAffinity = new V1PodAntiAffinity
                                {
                                    PreferredDuringSchedulingIgnoredDuringExecution = new List<V1WeightedPodAffinityTerm>
                                    {
                                        new()
                                        {
                                            Weight = 100,
                                            PodAffinityTerm = new V1PodAffinityTerm
                                            {
                                                TopologyKey = "kubernetes.io/hostname",
                                                LabelSelector = new V1LabelSelector { MatchLabels = Labels.Sorted(common) },
                                            },
                                        },
                                    },
                                },
                            },
                            Containers = new List<V1Container>
                            {
                                new()
                                {
                                    Name = module.Name,
                                    Image = image.ToString(),
                                    ImagePullPolicy = "IfNotPresent",
                                    Env = env,
                                    Ports = new List<V1ContainerPort> { new() { Name = "metrics", ContainerPort = metricsPort, Protocol = "TCP" } },
                                    Resources = resources,
                                    StartupProbe = probe(5, 24),
                                    LivenessProbe = probe(20, 3),
                                    ReadinessProbe = probe(10, 3),
                                    SecurityContext = Pods.Restricted(ConnectorUser),
                                    VolumeMounts = new List<V1VolumeMount> { new() { Name = "tmp", MountPath = "/tmp" } },
                                },
                            },
                            Volumes = new List<V1Volume> { new() { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("64Mi") } } },
                        },
                    },
                },
            });

            // A Service per connector, named like its Deployment: the metrics endpoint for the
            // ServiceMonitor (which selects all of them) and the health endpoint the deployer
            // checks through the API server's service proxy.
            context.Add(new V1Service
            {
                ApiVersion = "v1",
                Kind = "Service",
                Metadata = new V1ObjectMeta { Name = name, Labels = Labels.Sorted(common) },
                Spec = new V1ServiceSpec
                {
                    Type = "ClusterIP",
                    Selector = selector,
                    IpFamilyPolicy = context.Stack.Environment.Ipv6Only ? "SingleStack" : null,
                    IpFamilies = context.Stack.Environment.Ipv6Only ? new List<string> { "IPv6" } : null,
                    Ports = new List<V1ServicePort> { new() { Name = "metrics", Port = metricsPort, TargetPort = "metrics", Protocol = "TCP" } },
                },
            });

            var file = $"values-{Pods.Text(i)}.yaml";
            context.AddArtifact(file, ValuesTemplate.Value.Render(new
            {
                index = i,
                count,
                release = name,
                @namespace = module.Namespace,
                file,
                secret = SecretName(module, i),
                network,
                domain,
                log_level = logLevel,
                log_analytics = analytics,
                dns_server = dnsServer,
                image_repository = image.Repository,
                image_tag = image.Digest is null ? image.Tag : $"{image.Tag}@{image.Digest}",
                icmp_support = icmp ? "true" : "false",
                cpu_request = resources.Requests["cpu"].ToString(),
                memory_request = resources.Requests["memory"].ToString(),
                cpu_limit = resources.Limits["cpu"].ToString(),
                memory_limit = resources.Limits["memory"].ToString(),
                metrics_port = metricsPort,
            }, member => member.Name).Replace("\r\n", "\n", StringComparison.Ordinal));
        }

        context.Add(new ServiceMonitor
        {
            Metadata = new V1ObjectMeta { Name = module.Name },
            Spec = new ServiceMonitorSpec
            {
                JobLabel = Labels.Name,
                Selector = new V1LabelSelector { MatchLabels = Labels.Sorted(common) },
                NamespaceSelector = new NamespaceSelector { MatchNames = new List<string> { module.Namespace } },
                Endpoints = new List<MonitorEndpoint>
                {
                    new() { Port = "metrics", Path = module.Descriptor.MetricsEndpoint?.Path ?? "/metrics", Interval = "30s", Scheme = "http" },
                },
            },
        });

        // Connectors only dial out: the Twingate controller and relays over HTTPS, and DNS.
        // Ingress: only the metrics port, from inside the cluster (Prometheus, and the deployer's
        // health check, which the API server proxies from a control-plane address).
        context.Add(Pods.NetworkPolicy(module.Name, common,
            new List<V1NetworkPolicyIngressRule>
            {
                new() { Ports = Pods.Tcp(metricsPort) },
            },
            new List<V1NetworkPolicyEgressRule> { new() { Ports = Pods.Tcp(443) }, Pods.DnsEgress() }));
    }

    /// <summary>The Secret of connector <paramref name="index"/>.</summary>
    public static string SecretName(ModuleInstance module, int index) => $"{module.Name}-connector-{Pods.Text(index)}";

    private static string LogLevel(string level) => level switch
    {
        "warning" => "4",
        "info" => "6",
        "debug" => "7",
        _ => "3",
    };
}

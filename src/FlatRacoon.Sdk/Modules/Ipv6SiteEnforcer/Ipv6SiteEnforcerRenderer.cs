using System;
using System.Collections.Generic;
using System.Linq;
using FlatRacoon.Rendering;
using k8s.Models;

namespace FlatRacoon.Modules.Ipv6SiteEnforcer;

/// <summary>
/// Renders ipv6-site-enforcer: the baseline Deployment of the enforcer with two more containers in
/// its pod, the NAT64 gateway (tayga) and the DNS64 resolver (BIND), their configurations as
/// artifacts and a ConfigMap, a DNS64 Service, and, in an IPv6-only stack, a NetworkPolicy in every
/// module namespace without an ingress policy of its own, admitting ingress only from the site,
/// cluster and ingress IPv6 prefixes. It is a stack-wide renderer: it must see the other modules'
/// policies, because NetworkPolicies add up and this one would widen a stricter one. The enforcer
/// program reads Services, Pods and Ingresses of every module namespace and reports IPv4 in Warning
/// Events: a Role per namespace grants exactly that (list, create events), nothing more.
/// </summary>
public sealed class Ipv6SiteEnforcerRenderer : IStackWideRenderer
{
    /// <summary>The module name.</summary>
    public const string ModuleName = "ipv6-site-enforcer";
    /// <summary>Name of the NetworkPolicy rendered into every module namespace without an ingress policy of its own.</summary>
    public const string PolicyName = "ipv6-ingress-only";
    /// <summary>Port the DNS64 resolver listens on in the pod (the Service maps 53 to it).</summary>
    public const int Dns64Port = 5353;
    /// <summary>Where the NAT64 and DNS64 files are mounted.</summary>
    public const string ConfigPath = "/etc/nat64";
    /// <summary>Name of the Role and RoleBinding in each module namespace that let the enforcer read and report.</summary>
    public const string WatcherRoleName = ModuleName + "-watcher";
    /// <summary>Environment variable with the namespaces the enforcer watches (comma-separated).</summary>
    public const string NamespacesVariable = "FLATRACOON_NAMESPACES";

    /// <inheritdoc />
    public void Render(ModuleRenderContext context)
    {
        new WorkloadRenderer().Render(context);
        var module = context.Module;
        var environment = context.Stack.Environment;
        var engine = ConfigReader.String(context.Config, "nat64_engine") ?? "tayga";
        if (engine != "tayga")
        {
            throw new InvalidOperationException($"ipv6-site-enforcer: nat64_engine '{engine}' is not rendered; FlatRacoon renders tayga (see docs/modules/ipv6-site-enforcer.adoc for why).");
        }
        var nat64Prefix = ConfigReader.String(context.Config, "nat64_prefix") ?? environment.Nat64Prefix ?? "64:ff9b:1::/96";
        var clients = ClientPrefixes(context);
        var resolvers = ConfigReader.Strings(context.Config, "resolvers");
        var dns64 = ConfigReader.Bool(context.Config, "dns64") ?? true;

        var files = new List<(string, string)>
        {
            ("tayga.conf", Nat64Dns64.TaygaConf(nat64Prefix)),
            ("nat64-up.sh", Nat64Dns64.UpScript(nat64Prefix)),
        };
        if (dns64)
        {
            files.Add(("dns64-named.conf", Nat64Dns64.Dns64NamedConf(nat64Prefix, clients, resolvers, Dns64Port, "/var/cache/bind")));
        }
        var configMap = NetworkObjects.ConfigMapWithArtifacts(context, module.Name + "-nat64", files);

        // tayga needs NET_ADMIN and /dev/net/tun, which only the privileged Pod Security level allows.
        context.PodSecurityLevel = "privileged";
        var deployment = context.Objects.OfType<V1Deployment>().Single();
        var pod = deployment.Spec.Template.Spec;
        pod.SecurityContext.RunAsNonRoot = null;
        if (environment.Ipv6Only && (ConfigReader.Bool(context.Config, "enforce_ipv6_only") ?? true))
        {
            // The enforcer reads the stack's Services, Pods and Ingresses and writes Events through
            // the API; without namespaces to watch it only checks NAT64 and DNS64 (no token, no RBAC).
            pod.AutomountServiceAccountToken = true;
            var namespaces = context.Stack.Modules.Select(m => m.Namespace).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).ToList();
            var enforcer = pod.Containers[0];
            enforcer.Env.Add(new V1EnvVar { Name = NamespacesVariable, Value = string.Join(",", namespaces) });
            enforcer.Env = enforcer.Env.OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
            RenderWatcherAccess(context, namespaces);
        }
        pod.Containers.Add(new V1Container
        {
            Name = "nat64",
            Image = "ghcr.io/flatracoon/tayga:0.9.2",
            ImagePullPolicy = "IfNotPresent",
            Command = new List<string> { "/bin/sh", $"{ConfigPath}/nat64-up.sh", $"{ConfigPath}/tayga.conf" },
            Resources = WorkloadRenderer.Resources(context),
            SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                ReadOnlyRootFilesystem = true,
                RunAsUser = 0,
                Capabilities = new V1Capabilities { Drop = new List<string> { "ALL" }, Add = new List<string> { "NET_ADMIN" } },
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
            VolumeMounts = new List<V1VolumeMount>
            {
                new() { Name = "nat64", MountPath = ConfigPath, ReadOnlyProperty = true },
                new() { Name = "tun", MountPath = "/dev/net/tun" },
            },
        });
        pod.Volumes.Add(new V1Volume { Name = "nat64", ConfigMap = new V1ConfigMapVolumeSource { Name = configMap.Metadata.Name } });
        pod.Volumes.Add(new V1Volume { Name = "tun", HostPath = new V1HostPathVolumeSource { Path = "/dev/net/tun", Type = "CharDevice" } });
        if (dns64)
        {
            pod.Containers.Add(new V1Container
            {
                Name = "dns64",
                Image = "docker.io/internetsystemsconsortium/bind9:9.18",
                ImagePullPolicy = "IfNotPresent",
                Command = new List<string> { "named", "-g", "-c", $"{ConfigPath}/dns64-named.conf" },
                Ports = new List<V1ContainerPort>
                {
                    new() { Name = "dns", ContainerPort = Dns64Port, Protocol = "UDP" },
                    new() { Name = "dns-tcp", ContainerPort = Dns64Port, Protocol = "TCP" },
                },
                Resources = WorkloadRenderer.Resources(context),
                SecurityContext = NetworkObjects.RestrictedContainer(WorkloadRenderer.NonRootUser),
                VolumeMounts = new List<V1VolumeMount>
                {
                    new() { Name = "nat64", MountPath = ConfigPath, ReadOnlyProperty = true },
                    new() { Name = "dns64-cache", MountPath = "/var/cache/bind" },
                },
            });
            pod.Volumes.Add(new V1Volume { Name = "dns64-cache", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("128Mi") } });
            context.Add(NetworkObjects.Service(context, module.Name + "-dns64", new[]
            {
                new V1ServicePort { Name = "dns", Port = 53, TargetPort = "dns", Protocol = "UDP" },
                new V1ServicePort { Name = "dns-tcp", Port = 53, TargetPort = "dns-tcp", Protocol = "TCP" },
            }));
        }
        foreach (var service in context.Objects.OfType<V1Service>())
        {
            Ipv6Services.Enforce(context.Stack, service);
        }

        if (environment.Ipv6Only && (ConfigReader.Bool(context.Config, "enforce_ipv6_only") ?? true))
        {
            var peers = clients.Select(c => new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = c } }).ToList();
            // NetworkPolicies add up: in a namespace whose module already restricts ingress, an
            // "admit the site on every port" policy would widen it. Cover only the others.
            var restricted = context.StackObjects
                .Select(o => o.Object)
                .OfType<V1NetworkPolicy>()
                .Where(p => p.Spec?.PolicyTypes?.Contains("Ingress") == true)
                .Select(p => p.Metadata.NamespaceProperty)
                .ToHashSet(StringComparer.Ordinal);
            foreach (var ns in context.Stack.Modules.Select(m => m.Namespace).Distinct(StringComparer.Ordinal)
                .Where(n => !restricted.Contains(n))
                .OrderBy(n => n, StringComparer.Ordinal))
            {
                context.Add(new V1NetworkPolicy
                {
                    ApiVersion = "networking.k8s.io/v1",
                    Kind = "NetworkPolicy",
                    Metadata = new V1ObjectMeta { Name = PolicyName, NamespaceProperty = ns },
                    Spec = new V1NetworkPolicySpec
                    {
                        PodSelector = new V1LabelSelector(),
                        PolicyTypes = new List<string> { "Ingress" },
                        // Only IPv6 blocks: no IPv4 source is ever admitted.
                        Ingress = new List<V1NetworkPolicyIngressRule> { new() { FromProperty = peers } },
                    },
                });
            }
        }
    }

    /// <summary>
    /// A Role and RoleBinding in each of <paramref name="namespaces"/>: list Services, Pods and
    /// Ingresses (the enforcer lists them every resync interval; it does not watch), create Events.
    /// Read-only on workloads: the enforcer reports, the NetworkPolicies and admission enforce.
    /// </summary>
    private static void RenderWatcherAccess(ModuleRenderContext context, IReadOnlyList<string> namespaces)
    {
        var module = context.Module;
        foreach (var ns in namespaces)
        {
            context.Add(new V1Role
            {
                ApiVersion = "rbac.authorization.k8s.io/v1",
                Kind = "Role",
                Metadata = new V1ObjectMeta { Name = WatcherRoleName, NamespaceProperty = ns },
                Rules = new List<V1PolicyRule>
                {
                    new() { ApiGroups = new List<string> { "" }, Resources = new List<string> { "pods", "services" }, Verbs = new List<string> { "list" } },
                    new() { ApiGroups = new List<string> { "networking.k8s.io" }, Resources = new List<string> { "ingresses" }, Verbs = new List<string> { "list" } },
                    new() { ApiGroups = new List<string> { "" }, Resources = new List<string> { "events" }, Verbs = new List<string> { "create" } },
                },
            });
            context.Add(new V1RoleBinding
            {
                ApiVersion = "rbac.authorization.k8s.io/v1",
                Kind = "RoleBinding",
                Metadata = new V1ObjectMeta { Name = WatcherRoleName, NamespaceProperty = ns },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = WatcherRoleName },
                Subjects = new List<Rbacv1Subject> { new() { Kind = "ServiceAccount", Name = module.Name, NamespaceProperty = module.Namespace } },
            });
        }
    }

    /// <summary>The prefixes admitted: site, cluster and ingress (IPv6 only), deduplicated, in that order.</summary>
    public static IReadOnlyList<string> ClientPrefixes(ModuleRenderContext context)
    {
        var environment = context.Stack.Environment;
        return new[]
            {
                ConfigReader.String(context.Config, "site_prefix") ?? environment.SitePrefix,
                environment.ClusterPrefix,
                ConfigReader.String(context.Config, "ingress_prefix"),
            }
            .Where(p => p is not null && p.Contains(':'))
            .Select(p => p!)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
    }
}

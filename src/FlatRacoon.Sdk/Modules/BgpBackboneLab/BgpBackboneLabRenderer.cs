using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using FlatRacoon.Rendering;
using k8s.Models;

namespace FlatRacoon.Modules.BgpBackboneLab;

/// <summary>
/// Renders bgp-backbone-lab: for every router a BIRD 2 and an FRR configuration, the expected
/// routes per router derived from the policies, and the lab in the cluster: a StatefulSet with a
/// pod per router (ordinal i runs router i) and a headless IPv6 Service for the sessions. In a
/// pod, each link of the topology is an ip6ip6 tunnel to the peer pod, named as in the configs.
/// </summary>
public sealed class BgpBackboneLabRenderer : IModuleRenderer
{
    /// <summary>The BIRD image used when the topology's daemon is <c>bird</c>.</summary>
    public const string BirdImage = "ghcr.io/flatracoon/bird:2.0.12";
    /// <summary>Where the router configurations are mounted.</summary>
    public const string ConfigPath = "/etc/bgp-lab";

    /// <inheritdoc />
    public void Render(ModuleRenderContext context)
    {
        var module = context.Module;
        var topology = BgpTopology.FromConfig(context.Config);
        var expected = BgpExpectedRoutes.Derive(topology);
        // The routers add their addresses and tunnels to their own pod network namespace (NET_ADMIN),
        // which the baseline and restricted Pod Security levels forbid.
        context.PodSecurityLevel = "privileged";

        var files = new List<(string, string)>
        {
            ("expected-routes.json", expected.ToJson()),
            ("expected-routes.txt", expected.ToText()),
            ("routers.txt", RoutersTable(topology)),
            ("start.sh", StartScript(topology)),
        };
        foreach (var router in topology.Routers)
        {
            files.Add(($"{router.Name}.bird.conf", BirdConfigWriter.Write(topology, router)));
            files.Add(($"{router.Name}.frr.conf", FrrConfigWriter.Write(topology, router)));
        }
        context.Add(NetworkObjects.ServiceAccount(module.Name));
        var configMap = NetworkObjects.ConfigMapWithArtifacts(context, module.Name + "-config", files, withSettings: true);

        var image = topology.Daemon == "bird" ? BirdImage : module.Descriptor.Image?.ToString() ?? BirdImage;
        context.Add(new V1StatefulSet
        {
            ApiVersion = "apps/v1",
            Kind = "StatefulSet",
            Metadata = new V1ObjectMeta { Name = module.Name },
            Spec = new V1StatefulSetSpec
            {
                ServiceName = module.Name,
                Replicas = topology.Routers.Length,
                PodManagementPolicy = "Parallel",
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
                        Containers = new List<V1Container>
                        {
                            new()
                            {
                                Name = "router",
                                Image = image,
                                ImagePullPolicy = "IfNotPresent",
                                Command = new List<string> { "/bin/sh", $"{ConfigPath}/start.sh", topology.Daemon },
                                Env = new List<V1EnvVar>
                                {
                                    new() { Name = "POD_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
                                    new() { Name = "POD_IP", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "status.podIP" } } },
                                    new() { Name = "LAB_SERVICE", Value = $"{module.Name}.{module.Namespace}.svc.cluster.local" },
                                },
                                Ports = new List<V1ContainerPort> { new() { Name = "bgp", ContainerPort = 179, Protocol = "TCP" } },
                                ReadinessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = "bgp" }, PeriodSeconds = 10 },
                                Resources = WorkloadRenderer.Resources(context),
                                SecurityContext = new V1SecurityContext
                                {
                                    AllowPrivilegeEscalation = false,
                                    ReadOnlyRootFilesystem = false,
                                    Capabilities = new V1Capabilities { Drop = new List<string> { "ALL" }, Add = new List<string> { "NET_ADMIN", "NET_BIND_SERVICE", "NET_RAW" } },
                                    SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                                },
                                VolumeMounts = new List<V1VolumeMount> { new() { Name = "config", MountPath = ConfigPath, ReadOnlyProperty = true } },
                            },
                        },
                        Volumes = new List<V1Volume>
                        {
                            new() { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = configMap.Metadata.Name } },
                        },
                    },
                },
            },
        });
        context.Add(NetworkObjects.Service(context, module.Name,
            new[] { new V1ServicePort { Name = "bgp", Port = 179, TargetPort = "bgp", Protocol = "TCP" } }, headless: true));
    }

    /// <summary>One line per router, in StatefulSet ordinal order: ordinal, name, address.</summary>
    private static string RoutersTable(BgpTopology topology)
    {
        var text = new StringBuilder();
        for (var i = 0; i < topology.Routers.Length; i++)
        {
            var router = topology.Routers[i];
            text.Append($"{i.ToString(CultureInfo.InvariantCulture)} {router.Name} {router.Address}\n");
        }
        return text.ToString();
    }

    /// <summary>
    /// The pod's entry point: picks its router by ordinal, puts the router's address on its links
    /// (ip6ip6 tunnels to the peer pods, named as in the configs) and runs the daemon in the foreground.
    /// </summary>
    private static string StartScript(BgpTopology topology)
    {
        var text = new StringBuilder();
        text.Append("#!/bin/sh\n");
        text.Append("# Entry point of a bgp-backbone-lab pod. Rendered by FlatRacoon; do not edit.\n");
        text.Append("set -eu\n");
        text.Append("daemon=\"$1\"\n");
        text.Append("ordinal=\"${POD_NAME##*-}\"\n");
        text.Append($"router=$(awk -v o=\"$ordinal\" '$1 == o {{ print $2 }}' {ConfigPath}/routers.txt)\n");
        text.Append($"address=$(awk -v o=\"$ordinal\" '$1 == o {{ print $3 }}' {ConfigPath}/routers.txt)\n");
        text.Append("peer_ip() { getent ahostsv6 \"${POD_NAME%-*}-$1.$LAB_SERVICE\" | awk 'NR == 1 { print $1 }'; }\n");
        text.Append("link() { # interface peer-ordinal peer-address\n");
        text.Append("  until remote=$(peer_ip \"$2\") && [ -n \"$remote\" ]; do sleep 1; done\n");
        text.Append("  ip -6 tunnel add \"$1\" mode ip6ip6 local \"$POD_IP\" remote \"$remote\"\n");
        text.Append("  ip link set \"$1\" up\n");
        text.Append("  ip -6 addr add \"$address/128\" dev \"$1\" nodad\n");
        text.Append("  ip -6 route add \"$3/128\" dev \"$1\"\n");
        text.Append("}\n");
        text.Append("case \"$router\" in\n");
        foreach (var router in topology.Routers)
        {
            text.Append($"  {router.Name})\n");
            foreach (var (peer, session) in topology.Peers(router.Name))
            {
                var ordinal = topology.Routers.IndexOf(peer).ToString(CultureInfo.InvariantCulture);
                text.Append($"    link {BgpTopology.InterfaceName(peer, session)} {ordinal} {peer.Address}\n");
            }
            text.Append("    ;;\n");
        }
        text.Append("  *) echo \"no router for ordinal $ordinal\" >&2; exit 1 ;;\n");
        text.Append("esac\n");
        text.Append("if [ \"$daemon\" = bird ]; then\n");
        text.Append($"  exec bird -f -c \"{ConfigPath}/$router.bird.conf\" -s /tmp/bird.ctl\n");
        text.Append("fi\n");
        text.Append($"cp \"{ConfigPath}/$router.frr.conf\" /etc/frr/frr.conf\n");
        text.Append("exec /usr/lib/frr/docker-start\n");
        return text.ToString();
    }
}

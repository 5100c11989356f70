using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using FlatRacoon.Modules.ZerotierK8sLink;
using FlatRacoon.Rendering;
using k8s.Models;

namespace FlatRacoon.Modules.IpfsOverlay;

/// <summary>
/// ipfs-overlay: a private kubo swarm reachable only on the ZeroTier overlay. A StatefulSet of
/// kubo peers (repository PVC each) with an ipfs-cluster sidecar (state PVC each); the swarm
/// listens on and announces only the pod's overlay address (a Multus attachment of the bound
/// overlay), filters every other address, has no bootstrap peers, no MDNS and private routing;
/// swarm.key and the cluster secret come from secret references; the RPC API is reachable only
/// inside the namespace; the gateway is optional and only ever on the overlay.
/// See docs/modules/ipfs-overlay.adoc.
/// </summary>
public sealed class IpfsOverlayRenderer : IModuleRenderer
{
    /// <summary>Module name.</summary>
    public const string ModuleName = "ipfs-overlay";
    /// <summary>Where the repository volume is mounted (fsGroup makes it writable; no subPath, whose directory the kubelet would create root-owned).</summary>
    public const string DataPath = "/data";
    /// <summary>The kubo repository path (created by <c>ipfs init</c> inside the volume).</summary>
    public const string RepoPath = "/data/ipfs";
    /// <summary>The ipfs-cluster state path.</summary>
    public const string ClusterPath = "/data/ipfs-cluster";
    /// <summary>UID of the ipfs user in the kubo and ipfs-cluster images.</summary>
    public const long IpfsUser = 1000;
    /// <summary>GID of the users group in those images.</summary>
    public const long IpfsGroup = 100;

    /// <summary>The ipfs-cluster REST API port (pod address; namespace only).</summary>
    public const int ClusterApiPort = 9094;

    /// <summary>The kubo image; null takes the manifest's.</summary>
    public ImageReference? Image { get; init; }
    /// <summary>The ipfs-cluster image.</summary>
    public ImageReference ClusterImage { get; init; } = new("docker.io/ipfs/ipfs-cluster", "v1.1.2");
    /// <summary>Size of each peer's ipfs-cluster state volume.</summary>
    public string ClusterStateSize { get; init; } = "1Gi";

    private static string[] Strings(ModuleRenderContext context, string path) =>
        context.Setting(path) is { ValueKind: System.Text.Json.JsonValueKind.Array } array
            ? array.EnumerateArray().Where(e => e.ValueKind == System.Text.Json.JsonValueKind.String).Select(e => e.GetString()!).ToArray()
            : Array.Empty<string>();

    /// <inheritdoc />
    public void Render(ModuleRenderContext context)
    {
        var module = context.Module;
        var overlay = ZerotierK8sLinkRenderer.Overlay(context.Stack.BoundTo(module, ModuleInstance.OverlayRole))
            ?? throw new InvalidOperationException(
                $"{ModuleName} must be bound to the overlay it lives on: call .WithOverlay(zerotier) on it (the stack rule is 'IPFS only on the ZeroTier overlay').");

        var storage = Pods.String(context, "storage_size", "100Gi");
        var settings = new KuboConfig.Settings(
            overlay,
            Pods.String(context, "routing", "none"),
            Pods.Bool(context, "gateway_enabled", false),
            Pods.Int(context, "connection_manager.low_water", 32),
            Pods.Int(context, "connection_manager.high_water", 96),
            Pods.String(context, "connection_manager.grace_period", "20s"),
            StorageMax(storage),
            Strings(context, "listen_addresses"),
            Strings(context, "announce_addresses"),
            Strings(context, "bootstrap_peers"),
            Pods.OptionalString(context, "gateway_address"));
        var kuboConfig = KuboConfig.Render(settings);
        var startScript = StartScript(overlay, module.Name);
        context.AddArtifact("kubo-config.json", kuboConfig);
        context.AddArtifact("kubo-start.sh", startScript);

        var swarmKey = ModuleSecrets.Reference(context, "swarm_key") ?? throw new InvalidOperationException($"{ModuleName} needs swarm_key.");
        var clusterSecret = ModuleSecrets.Reference(context, "cluster_secret") ?? throw new InvalidOperationException($"{ModuleName} needs cluster_secret.");
        ModuleSecrets.Render(context, new[]
        {
            new SecretMaterialization(module.Name + "-swarm-key", new[] { new SecretKeyReference("swarm.key", swarmKey) }),
            new SecretMaterialization(module.Name + "-cluster-secret", new[] { new SecretKeyReference("cluster_secret", clusterSecret) }),
        });

        context.Add(Pods.ServiceAccount(module.Name));
        var configMap = context.Add(Pods.ConfigMap(module.Name + "-kubo", new Dictionary<string, string>
        {
            ["config.json"] = kuboConfig,
            ["start.sh"] = startScript,
        }));
        var hash = ConfigJson.Sha256(kuboConfig + startScript);

        var selector = Labels.Sorted(context.SelectorLabels);
        selector["app.kubernetes.io/component"] = "peer";
        var replicas = Pods.Int(context, "replicas", 1);
        context.Add(new V1StatefulSet
        {
            ApiVersion = "apps/v1",
            Kind = "StatefulSet",
            Metadata = new V1ObjectMeta { Name = module.Name },
            Spec = new V1StatefulSetSpec
            {
                ServiceName = module.Name,
                Replicas = replicas,
                // OrderedReady: peers 0..k-1 are ready (and resolvable) when peer k configures itself.
                PodManagementPolicy = "OrderedReady",
                Selector = new V1LabelSelector { MatchLabels = selector },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = Pods.PodLabels(context, "peer"),
                        Annotations = Labels.Sorted(new Dictionary<string, string>
                        {
                            ["flatracoon.io/config-sha256"] = hash,
                            // The overlay attachment: the pod's only address inside the overlay prefix.
                            ["k8s.v1.cni.cncf.io/networks"] = overlay.PodAnnotation,
                        }),
                    },
                    Spec = PodSpec(context, overlay, configMap.Metadata.Name, settings.Gateway),
                },
                VolumeClaimTemplates = new List<V1PersistentVolumeClaim>
                {
                    Claim("data", storage, Pods.OptionalString(context, "storage_class")),
                    Claim("cluster", ClusterStateSize, Pods.OptionalString(context, "storage_class")),
                },
            },
        });

        if (replicas > 1)
        {
            // Voluntary disruptions (drains, OS updates) take one peer at a time.
            context.Add(new V1PodDisruptionBudget
            {
                ApiVersion = "policy/v1",
                Kind = "PodDisruptionBudget",
                Metadata = new V1ObjectMeta { Name = module.Name },
                Spec = new V1PodDisruptionBudgetSpec { MaxUnavailable = 1, Selector = new V1LabelSelector { MatchLabels = selector } },
            });
        }

        var ipv6 = context.Stack.Environment.Ipv6Only;
        // Governing Service: stable per-peer DNS names; the API port only (the swarm is not on the pod network).
        context.Add(Service(module.Name, clusterIp: "None", selector, ipv6));
        context.Add(Service(module.Name + "-api", clusterIp: null, selector, ipv6));

        // Default deny, then: the RPC API from this namespace and from Prometheus (metrics are on
        // the API port in kubo); DNS out. Overlay traffic uses the Multus interface, which
        // NetworkPolicy does not govern: the swarm key, AddrFilters and ZeroTier membership do.
        context.Add(Pods.NetworkPolicy(module.Name + "-default-deny", null, null, null));
        context.Add(Pods.NetworkPolicy(module.Name + "-api", selector,
            new List<V1NetworkPolicyIngressRule>
            {
                new()
                {
                    FromProperty = new List<V1NetworkPolicyPeer> { new() { PodSelector = new V1LabelSelector() } },
                    Ports = Pods.Tcp(KuboConfig.ApiPort, ClusterApiPort),
                },
                new()
                {
                    FromProperty = new List<V1NetworkPolicyPeer> { Pods.Namespace(Pods.PrometheusNamespace(context.Stack)) },
                    Ports = Pods.Tcp(KuboConfig.ApiPort),
                },
            },
            new List<V1NetworkPolicyEgressRule>
            {
                new() { To = new List<V1NetworkPolicyPeer> { new() { PodSelector = new V1LabelSelector() } }, Ports = Pods.Tcp(KuboConfig.ApiPort, ClusterApiPort) },
                Pods.DnsEgress(),
            }));
    }

    private V1PodSpec PodSpec(ModuleRenderContext context, OverlayNetwork overlay, string configMap, bool gateway)
    {
        var module = context.Module;
        var kuboImage = Pods.Image(context, Image);
        var ipfsEnv = new List<V1EnvVar>
        {
            new() { Name = "IPFS_PATH", Value = RepoPath },
            // Refuse to start without swarm.key: the peer never joins the public network.
            new() { Name = "LIBP2P_FORCE_PNET", Value = "1" },
            new() { Name = "POD_IP", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "status.podIP" } } },
        };
        var api = $"/ip6/::1/tcp/{KuboConfig.ApiPort}";
        return new V1PodSpec
        {
            ServiceAccountName = module.Name,
            AutomountServiceAccountToken = false,
            EnableServiceLinks = false,
            SecurityContext = Pods.RestrictedPod(IpfsGroup),
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
                                LabelSelector = new V1LabelSelector { MatchLabels = Labels.Sorted(context.SelectorLabels) },
                            },
                        },
                    },
                },
            },
            InitContainers = new List<V1Container>
            {
                new()
                {
                    Name = "configure",
                    Image = kuboImage,
                    ImagePullPolicy = "IfNotPresent",
                    Command = new List<string> { "/bin/sh", "/etc/kubo/start.sh" },
                    Env = ipfsEnv,
                    Resources = Pods.Resources("50m", "64Mi", "500m", "256Mi"),
                    SecurityContext = Pods.Restricted(IpfsUser, IpfsGroup),
                    VolumeMounts = new List<V1VolumeMount>
                    {
                        new() { Name = "data", MountPath = DataPath },
                        new() { Name = "kubo-config", MountPath = "/etc/kubo", ReadOnlyProperty = true },
                        new() { Name = "swarm-key", MountPath = "/etc/kubo/swarm", ReadOnlyProperty = true },
                        new() { Name = "tmp", MountPath = "/tmp" },
                    },
                },
            },
            Containers = new List<V1Container>
            {
                new()
                {
                    // The main container carries the module's name, like every module's (the deployer and plans address it so).
                    Name = module.Name,
                    Image = kuboImage,
                    ImagePullPolicy = "IfNotPresent",
                    Command = new List<string> { "ipfs", "daemon", "--migrate=false", "--enable-gc" },
                    Env = ipfsEnv,
                    Ports = new List<V1ContainerPort> { new() { Name = "api", ContainerPort = KuboConfig.ApiPort, Protocol = "TCP" } },
                    Resources = Pods.Resources(context),
                    // kubo's RPC API accepts only POST, so no HTTP GET probe: the startup and
                    // liveness probes check the API socket, readiness asks the daemon itself (`ipfs id`
                    // POSTs to /api/v0/id).
                    StartupProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = "api" }, PeriodSeconds = 5, FailureThreshold = 60 },
                    LivenessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = "api" }, PeriodSeconds = 20, TimeoutSeconds = 5, FailureThreshold = 6 },
                    ReadinessProbe = new V1Probe
                    {
                        Exec = new V1ExecAction { Command = new List<string> { "ipfs", $"--api={api}", "--timeout=8s", "id" } },
                        PeriodSeconds = 15,
                        TimeoutSeconds = 10,
                        FailureThreshold = 3,
                    },
                    SecurityContext = Pods.Restricted(IpfsUser, IpfsGroup),
                    VolumeMounts = new List<V1VolumeMount>
                    {
                        new() { Name = "data", MountPath = DataPath },
                        new() { Name = "tmp", MountPath = "/tmp" },
                    },
                },
                new()
                {
                    Name = "cluster",
                    Image = ClusterImage.ToString(),
                    ImagePullPolicy = "IfNotPresent",
                    Command = new List<string> { "/bin/sh", "-ec", ClusterScript(overlay, module.Name) },
                    Env = new List<V1EnvVar>
                    {
                        new() { Name = "CLUSTER_CRDT_TRUSTEDPEERS", Value = "*" },
                        new() { Name = "CLUSTER_IPFSHTTP_NODEMULTIADDRESS", Value = api },
                        new() { Name = "CLUSTER_IPFSPROXY_LISTENMULTIADDRESS", Value = "/ip6/::1/tcp/9095" },
                        new() { Name = "CLUSTER_MONITORPINGINTERVAL", Value = "15s" },
                        new() { Name = "CLUSTER_PEERNAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
                        new() { Name = "CLUSTER_PINSVCAPI_HTTPLISTENMULTIADDRESS", Value = "/ip6/::1/tcp/9097" },
                        new() { Name = "CLUSTER_REPLICATIONFACTORMAX", Value = Pods.Text(Pods.Int(context, "cluster_replication_max", -1)) },
                        new() { Name = "CLUSTER_REPLICATIONFACTORMIN", Value = Pods.Text(Pods.Int(context, "cluster_replication_min", -1)) },
                        new() { Name = "CLUSTER_SECRET", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = module.Name + "-cluster-secret", Key = "cluster_secret" } } },
                        new() { Name = "IPFS_CLUSTER_PATH", Value = ClusterPath },
                        new() { Name = "POD_IP", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "status.podIP" } } },
                    },
                    Resources = Pods.Resources("50m", "64Mi", "500m", "512Mi"),
                    LivenessProbe = new V1Probe
                    {
                        Exec = new V1ExecAction { Command = new List<string> { "/bin/sh", "-c", "ipfs-cluster-ctl --host \"/ip6/$POD_IP/tcp/9094\" id" } },
                        InitialDelaySeconds = 30,
                        PeriodSeconds = 30,
                        TimeoutSeconds = 10,
                        FailureThreshold = 4,
                    },
                    SecurityContext = Pods.Restricted(IpfsUser, IpfsGroup),
                    VolumeMounts = new List<V1VolumeMount>
                    {
                        new() { Name = "cluster", MountPath = ClusterPath },
                        new() { Name = "tmp", MountPath = "/tmp" },
                    },
                },
            },
            Volumes = new List<V1Volume>
            {
                new() { Name = "kubo-config", ConfigMap = new V1ConfigMapVolumeSource { Name = configMap } },
                new()
                {
                    Name = "swarm-key",
                    Secret = new V1SecretVolumeSource { SecretName = module.Name + "-swarm-key", DefaultMode = 0x120 /* 0440: readable by the fsGroup */ },
                },
                new() { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("256Mi") } },
            },
        };
    }

    /// <summary>The start script of the configure step (also written as the kubo-start.sh artifact).</summary>
    public static string StartScript(OverlayNetwork overlay, string statefulSet) =>
        "#!/bin/sh\n" +
        "# Prepares the kubo repository: the identity (first start only), the rendered configuration\n" +
        "# with this pod's addresses filled in, and the private network key. It refuses to start a\n" +
        "# peer that has no address inside the overlay: there is no fallback to other interfaces.\n" +
        "set -eu\n" +
        $"overlay_prefix='{overlay.Prefix}'\n" +
        "addr=''\n" +
        "tries=0\n" +
        "while [ -z \"$addr\" ] && [ \"$tries\" -lt 30 ]; do\n" +
        $"  addr=$(ip -6 -o addr show dev {overlay.PodInterface} scope global to \"$overlay_prefix\" 2>/dev/null | awk '{{print $4}}' | cut -d/ -f1 | head -n 1)\n" +
        "  [ -n \"$addr\" ] || { tries=$((tries + 1)); sleep 2; }\n" +
        "done\n" +
        $"[ -n \"$addr\" ] || {{ echo \"no address inside $overlay_prefix on {overlay.PodInterface}: is the pod attached to {overlay.AttachmentNamespace}/{overlay.AttachmentName}?\" >&2; exit 1; }}\n" +
        "case \"${POD_IP:?}\" in *:*) ;; *) echo \"pod address $POD_IP is not IPv6\" >&2; exit 1 ;; esac\n" +
        "repo=\"${IPFS_PATH:?}\"\n" +
        "etc=\"${KUBO_CONFIG_DIR:-/etc/kubo}\"\n" +
        "tmp=\"${TMPDIR:-/tmp}\"\n" +
        "[ -f \"$repo/config\" ] || ipfs init --empty-repo --profile=server >/dev/null\n" +
        "peer=$(ipfs config Identity.PeerID)\n" +
        $"sed -e \"s|{KuboConfig.OverlayAddress}|$addr|g\" -e \"s|{KuboConfig.PodAddress}|$POD_IP|g\" -e \"s|{KuboConfig.PeerId}|$peer|g\" \"$etc/config.json\" > \"$tmp/kubo-config.json\"\n" +
        "ipfs config replace \"$tmp/kubo-config.json\"\n" +
        "rm -f \"$tmp/kubo-config.json\"\n" +
        "# Peer with every earlier peer (0..k-1) at the addresses it announces (overlay only): with no\n" +
        "# bootstrap, no MDNS and private routing, this is how the swarm members find each other.\n" +
        "# kubo keeps peering connections up and reconnects them.\n" +
        "ordinal=${HOSTNAME##*-}\n" +
        "peers=''\n" +
        "j=0\n" +
        "while [ \"$j\" -lt \"$ordinal\" ]; do\n" +
        $"  info=$(ipfs --api=\"/dns6/{statefulSet}-$j.{statefulSet}/tcp/{KuboConfig.ApiPort}\" --timeout=10s id --enc=json 2>/dev/null || true)\n" +
        "  id=$(echo \"$info\" | grep -o '\"ID\": *\"[^\"]*\"' | head -n 1 | sed 's/.*\"\\([^\"]*\\)\"$/\\1/')\n" +
        $"  addrs=$(echo \"$info\" | grep -o '\"/ip6/[^\"]*/p2p/' | sed 's|/p2p/$|\"|' | sort -u | paste -s -d, -)\n" +
        "  if [ -n \"$id\" ] && [ -n \"$addrs\" ]; then\n" +
        "    peers=\"${peers:+$peers,}{\\\"ID\\\":\\\"$id\\\",\\\"Addrs\\\":[$addrs]}\"\n" +
        "  else\n" +
        $"    echo \"peer {statefulSet}-$j did not answer; continuing without it\" >&2\n" +
        "  fi\n" +
        "  j=$((j + 1))\n" +
        "done\n" +
        "ipfs config --json Peering.Peers \"[$peers]\"\n" +
        "install -m 0400 \"$etc/swarm/swarm.key\" \"$repo/swarm.key\"\n" +
        "echo \"kubo $peer: swarm and announce on /ip6/$addr only (overlay $overlay_prefix); RPC API on /ip6/$POD_IP\"\n";

    /// <summary>The start command of the ipfs-cluster sidecar.</summary>
    public static string ClusterScript(OverlayNetwork overlay, string statefulSet) =>
        $"addr=$(ip -6 -o addr show dev {overlay.PodInterface} scope global to '{overlay.Prefix}' | awk '{{print $4}}' | cut -d/ -f1 | head -n 1)\n" +
        "[ -n \"$addr\" ] || { echo 'no overlay address' >&2; exit 1; }\n" +
        // The cluster's libp2p host listens on the overlay only, like kubo's swarm.
        "export CLUSTER_LISTENMULTIADDRESS=\"/ip6/$addr/tcp/9096\"\n" +
        // The REST API on the pod address (the NetworkPolicy keeps it inside the namespace): later
        // peers read the first peer's id from it to bootstrap.
        "export CLUSTER_RESTAPI_HTTPLISTENMULTIADDRESS=\"/ip6/${POD_IP:?}/tcp/9094\"\n" +
        "[ -f \"${IPFS_CLUSTER_PATH:?}/service.json\" ] || ipfs-cluster-service init --consensus crdt\n" +
        "set --\n" +
        "if [ \"${HOSTNAME##*-}\" != 0 ]; then\n" +
        $"  first=$(ipfs-cluster-ctl --enc=json --host /dns6/{statefulSet}-0.{statefulSet}/tcp/9094 id 2>/dev/null | grep -o '\"/ip6/[^\"]*/tcp/9096/p2p/[^\"]*\"' | head -n 1 | tr -d '\"')\n" +
        "  [ -n \"$first\" ] && set -- --bootstrap \"$first\"\n" +
        "fi\n" +
        "exec ipfs-cluster-service daemon \"$@\"\n";

    private static V1PersistentVolumeClaim Claim(string name, string size, string? storageClass) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = new List<string> { "ReadWriteOnce" },
            StorageClassName = storageClass,
            Resources = new V1VolumeResourceRequirements
            {
                Requests = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["storage"] = new(size) },
            },
        },
    };

    private static V1Service Service(string name, string? clusterIp, IDictionary<string, string> selector, bool ipv6Only) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            ClusterIP = clusterIp,
            Selector = Labels.Sorted(selector),
            IpFamilyPolicy = ipv6Only ? "SingleStack" : null,
            IpFamilies = ipv6Only ? new List<string> { "IPv6" } : null,
            Ports = new List<V1ServicePort> { new() { Name = "api", Port = KuboConfig.ApiPort, TargetPort = "api", Protocol = "TCP" } },
        },
    };

    /// <summary>kubo's Datastore.StorageMax: 90% of the volume, in MiB.</summary>
    internal static string StorageMax(string size)
    {
        var match = Regex.Match(size, "^([0-9]+)(Ki|Mi|Gi|Ti|Pi)?$");
        if (!match.Success)
        {
            return "10GB";
        }
        var value = decimal.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var mib = match.Groups[2].Value switch
        {
            "Ki" => value / 1024m,
            "Mi" => value,
            "Gi" => value * 1024m,
            "Ti" => value * 1024m * 1024m,
            "Pi" => value * 1024m * 1024m * 1024m,
            _ => value / (1024m * 1024m),
        };
        return Math.Floor(mib * 0.9m).ToString(CultureInfo.InvariantCulture) + "MiB";
    }
}

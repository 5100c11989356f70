using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using FlatRacoon.Rendering;
using FlatRacoon.Rendering.CustomResources;
using k8s.Models;

namespace FlatRacoon.Modules.ZerotierK8sLink;

/// <summary>What dependent modules learn about the overlay (see <see cref="ZerotierK8sLinkRenderer.Overlay"/>).</summary>
/// <param name="NetworkId">The ZeroTier network id (16 hex digits).</param>
/// <param name="Prefix">The overlay's IPv6 prefix.</param>
/// <param name="NodePool">Lower half: addresses ZeroTier assigns to nodes.</param>
/// <param name="PodPool">Upper half: addresses pods get on the overlay attachment.</param>
/// <param name="InterfaceName">Name of the ZeroTier interface on every node.</param>
/// <param name="AttachmentNamespace">Namespace of the NetworkAttachmentDefinition.</param>
/// <param name="AttachmentName">Name of the NetworkAttachmentDefinition pods request.</param>
/// <param name="PodInterface">Name of the overlay interface inside a pod.</param>
public sealed record OverlayNetwork(
    string NetworkId, Ipv6Network Prefix, Ipv6Network NodePool, Ipv6Network PodPool,
    string InterfaceName, string AttachmentNamespace, string AttachmentName, string PodInterface)
{
    /// <summary>The Multus annotation value that attaches a pod to the overlay.</summary>
    public string PodAnnotation =>
        $"[{{\"interface\":\"{PodInterface}\",\"name\":\"{AttachmentName}\",\"namespace\":\"{AttachmentNamespace}\"}}]";
}

/// <summary>
/// zerotier-k8s-link: a ZeroTier member on every node (DaemonSet, host network, NET_ADMIN and
/// /dev/net/tun only), the network join from the validated id, a Job that configures the network
/// and authorizes the nodes through the controller API with a token from a secret reference, a
/// NetworkPolicy for UDP 9993, and a Multus attachment that gives dependent pods (IPFS) an
/// address inside the overlay. See docs/modules/zerotier-k8s-link.adoc.
/// </summary>
public sealed class ZerotierK8sLinkRenderer : IModuleRenderer
{
    /// <summary>Module name.</summary>
    public const string ModuleName = "zerotier-k8s-link";
    /// <summary>Name of the ZeroTier interface on every node (set through ZeroTier's devicemap).</summary>
    public const string InterfaceName = "ztflatracoon";
    /// <summary>Name of the overlay NetworkAttachmentDefinition.</summary>
    public const string AttachmentName = "zerotier-overlay";
    /// <summary>ZeroTier's state directory on the node (keeps the node identity across restarts).</summary>
    public const string StateDirectory = "/var/lib/zerotier-one";

    /// <summary>The ZeroTier image; null takes the manifest's.</summary>
    public ImageReference? Image { get; init; }
    /// <summary>Image of the authorization Job (needs sh and curl).</summary>
    public ImageReference JobImage { get; init; } = new("docker.io/curlimages/curl", "8.11.1");

    /// <summary>The overlay a zerotier-k8s-link module provides, or null when <paramref name="module"/> is not one.</summary>
    public static OverlayNetwork? Overlay(ModuleInstance? module)
    {
        if (module is null)
        {
            return null;
        }
        var config = ConfigJson.ToElement(module.Config);
        if (!config.TryGetProperty("overlay_prefix", out var prefixElement) || prefixElement.ValueKind != JsonValueKind.String
            || !config.TryGetProperty("network_id", out var idElement) || idElement.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        var prefix = Ipv6Network.Parse(prefixElement.GetString()!);
        var (lower, upper) = prefix.Halves();
        return new OverlayNetwork(idElement.GetString()!, prefix, lower, upper, InterfaceName, module.Namespace, AttachmentName, "net1");
    }

    /// <inheritdoc />
    public void Render(ModuleRenderContext context)
    {
        var module = context.Module;
        var overlay = Overlay(module) ?? throw new InvalidOperationException($"{ModuleName} needs network_id and overlay_prefix.");
        // Host network, NET_ADMIN and hostPath volumes are beyond "baseline": the namespace holds
        // only this DaemonSet and the (restricted) authorization Job. Documented in the module page.
        context.PodSecurityLevel = "privileged";

        var port = Pods.Int(context, "port", 9993);
        var files = StateFiles(context, overlay, port);
        var networkConfig = NetworkConfig(context, overlay);
        context.AddArtifact("zerotier-local.conf", files["local.conf"]);
        context.AddArtifact("zerotier-network.json", networkConfig);

        context.Add(Pods.ServiceAccount(module.Name));
        var stateConfig = context.Add(Pods.ConfigMap(module.Name + "-state", files));
        var hash = ConfigJson.Sha256(string.Join("\n", stateConfig.Data.Select(d => d.Key + "=" + d.Value)));

        var selector = Labels.Sorted(context.SelectorLabels);
        selector["app.kubernetes.io/component"] = "member";
        var image = Pods.Image(context, Image);
        var checkNetwork = $"[ \"$(zerotier-cli -D{StateDirectory} get {overlay.NetworkId} status)\" = OK ]";
        context.Add(new V1DaemonSet
        {
            ApiVersion = "apps/v1",
            Kind = "DaemonSet",
            Metadata = new V1ObjectMeta { Name = module.Name },
            Spec = new V1DaemonSetSpec
            {
                Selector = new V1LabelSelector { MatchLabels = selector },
                UpdateStrategy = new V1DaemonSetUpdateStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateDaemonSet { MaxUnavailable = 1 } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = Pods.PodLabels(context, "member"),
                        Annotations = Labels.Sorted(new Dictionary<string, string> { ["flatracoon.io/config-sha256"] = hash }),
                    },
                    Spec = new V1PodSpec
                    {
                        ServiceAccountName = module.Name,
                        AutomountServiceAccountToken = false,
                        EnableServiceLinks = false,
                        // Exception: the ZeroTier interface must live in the node's network namespace so
                        // the node (and the Multus attachments of dependent pods) can use the overlay.
                        HostNetwork = true,
                        DnsPolicy = "ClusterFirstWithHostNet",
                        Tolerations = new List<V1Toleration> { new() { OperatorProperty = "Exists" } },
                        SecurityContext = new V1PodSecurityContext { SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } },
                        InitContainers = new List<V1Container>
                        {
                            new()
                            {
                                Name = "join",
                                Image = image,
                                ImagePullPolicy = "IfNotPresent",
                                Command = new List<string> { "/bin/sh", "-ec" },
                                Args = new List<string> { JoinScript(overlay) },
                                Resources = Pods.Resources("10m", "16Mi", "100m", "64Mi"),
                                // Root without capabilities: it only writes root-owned files in the state directory.
                                SecurityContext = new V1SecurityContext
                                {
                                    AllowPrivilegeEscalation = false,
                                    ReadOnlyRootFilesystem = true,
                                    RunAsUser = 0,
                                    RunAsNonRoot = false,
                                    Capabilities = new V1Capabilities { Drop = new List<string> { "ALL" } },
                                    SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                                },
                                VolumeMounts = new List<V1VolumeMount>
                                {
                                    new() { Name = "state", MountPath = StateDirectory },
                                    new() { Name = "state-config", MountPath = "/etc/flatracoon/zerotier", ReadOnlyProperty = true },
                                },
                            },
                        },
                        Containers = new List<V1Container>
                        {
                            new()
                            {
                                Name = module.Name,
                                Image = image,
                                ImagePullPolicy = "IfNotPresent",
                                Command = new List<string> { "zerotier-one" },
                                Args = new List<string> { StateDirectory },
                                Ports = new List<V1ContainerPort> { new() { Name = "zerotier", ContainerPort = port, HostPort = port, Protocol = "UDP" } },
                                Resources = Pods.Resources(context),
                                // Liveness: the daemon answers its local control API.
                                LivenessProbe = new V1Probe
                                {
                                    Exec = new V1ExecAction { Command = new List<string> { "zerotier-cli", $"-D{StateDirectory}", "info" } },
                                    InitialDelaySeconds = 10,
                                    PeriodSeconds = 30,
                                    TimeoutSeconds = 5,
                                    FailureThreshold = 4,
                                },
                                // Readiness: the node is an authorized member with its managed addresses.
                                ReadinessProbe = new V1Probe
                                {
                                    Exec = new V1ExecAction { Command = new List<string> { "/bin/sh", "-c", checkNetwork } },
                                    PeriodSeconds = 15,
                                    TimeoutSeconds = 5,
                                    FailureThreshold = 3,
                                },
                                SecurityContext = new V1SecurityContext
                                {
                                    AllowPrivilegeEscalation = false,
                                    ReadOnlyRootFilesystem = true,
                                    // Exception: root, because Kubernetes grants added capabilities only to root processes.
                                    RunAsUser = 0,
                                    RunAsNonRoot = false,
                                    Privileged = false,
                                    // Exception: NET_ADMIN to create the tap device and set its addresses and routes. Nothing else.
                                    Capabilities = new V1Capabilities { Drop = new List<string> { "ALL" }, Add = new List<string> { "NET_ADMIN" } },
                                    SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                                },
                                VolumeMounts = new List<V1VolumeMount>
                                {
                                    new() { Name = "state", MountPath = StateDirectory },
                                    new() { Name = "tun", MountPath = "/dev/net/tun" },
                                    new() { Name = "tmp", MountPath = "/tmp" },
                                },
                            },
                        },
                        Volumes = new List<V1Volume>
                        {
                            // Exception: hostPath for the node identity (authorization survives restarts) and the tun device.
                            new() { Name = "state", HostPath = new V1HostPathVolumeSource { Path = StateDirectory, Type = "DirectoryOrCreate" } },
                            new() { Name = "tun", HostPath = new V1HostPathVolumeSource { Path = "/dev/net/tun", Type = "CharDevice" } },
                            new() { Name = "state-config", ConfigMap = new V1ConfigMapVolumeSource { Name = module.Name + "-state" } },
                            new() { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("16Mi") } },
                        },
                    },
                },
            },
        });

        // ZeroTier peers reach each other on UDP 9993 (and the configured port). Most CNIs do not
        // enforce policies on host-network pods, so flatracoon-os also opens the port on the host.
        context.Add(Pods.NetworkPolicy(module.Name + "-udp", selector,
            new List<V1NetworkPolicyIngressRule> { new() { Ports = new List<V1NetworkPolicyPort> { new() { Protocol = "UDP", Port = port } } } },
            new List<V1NetworkPolicyEgressRule>
            {
                new() { Ports = Distinct(port, 9993).Select(p => new V1NetworkPolicyPort { Protocol = "UDP", Port = p }).ToList() },
                Pods.DnsEgress(),
            }));

        context.Add(new NetworkAttachmentDefinition
        {
            Metadata = new V1ObjectMeta { Name = AttachmentName },
            Spec = new NetworkAttachmentDefinitionSpec { Config = AttachmentConfig(overlay) },
        });

        if (Pods.Bool(context, "auto_authorize", true))
        {
            RenderAuthorization(context, overlay, networkConfig);
        }
    }

    private static IEnumerable<int> Distinct(params int[] ports) => ports.Distinct().OrderBy(p => p);

    /// <summary>The join step's script (paths overridable through ZEROTIER_HOME and STATE_CONFIG_DIR).</summary>
    public static string JoinScript(OverlayNetwork overlay) =>
        $"home=\"${{ZEROTIER_HOME:-{StateDirectory}}}\"\n" +
        "conf=\"${STATE_CONFIG_DIR:-/etc/flatracoon/zerotier}\"\n" +
        "mkdir -p \"$home/networks.d\"\n" +
        "cp \"$conf/local.conf\" \"$home/local.conf\"\n" +
        "cp \"$conf/devicemap\" \"$home/devicemap\"\n" +
        $"cp \"$conf/network.local.conf\" \"$home/networks.d/{overlay.NetworkId}.local.conf\"\n" +
        // An empty <id>.conf is how zerotier-one is told to join a network at start; an existing
        // one holds the cached network configuration and is kept.
        $"[ -f \"$home/networks.d/{overlay.NetworkId}.conf\" ] || : > \"$home/networks.d/{overlay.NetworkId}.conf\"\n" +
        // Generate the identity now so the node id can be published before the daemon runs.
        "[ -f \"$home/identity.secret\" ] || zerotier-idtool generate \"$home/identity.secret\" \"$home/identity.public\" >/dev/null\n" +
        "echo \"zerotier-node-id=$(cut -c1-10 \"$home/identity.public\")\"\n";

    /// <summary>The files the join step writes into ZeroTier's state directory (also used by flatracoon-os' Ignition).</summary>
    public static SortedDictionary<string, string> StateFiles(ModuleRenderContext context, OverlayNetwork overlay, int port)
    {
        var local = new StringBuilder();
        local.Append("{\n  \"settings\": {\n");
        local.Append("    \"primaryPort\": ").Append(Pods.Text(port)).Append(",\n");
        local.Append("    \"allowTcpFallbackRelay\": false,\n");
        // Only the primary port: no random secondary port and no UPnP/NAT-PMP mapping, so UDP
        // 9993 (or the configured port) is the only port the policy and host firewall must open.
        local.Append("    \"allowSecondaryPort\": false,\n");
        local.Append("    \"portMappingEnabled\": false,\n");
        // Never run ZeroTier over pod or CNI interfaces.
        local.Append("    \"interfacePrefixBlacklist\": [\"cali\", \"cilium\", \"cni\", \"docker\", \"flannel\", \"lxc\", \"veth\", \"zt\"]\n");
        local.Append("  }\n}\n");
        var network = new StringBuilder();
        network.Append("allowManaged=").Append(Pods.Bool(context, "allow_managed", true) ? '1' : '0').Append('\n');
        network.Append("allowGlobal=").Append(Pods.Bool(context, "allow_global", false) ? '1' : '0').Append('\n');
        network.Append("allowDefault=").Append(Pods.Bool(context, "allow_default", false) ? '1' : '0').Append('\n');
        network.Append("allowDNS=").Append(Pods.Bool(context, "allow_dns", false) ? '1' : '0').Append('\n');
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["devicemap"] = $"{overlay.NetworkId}={InterfaceName}\n",
            ["local.conf"] = local.ToString(),
            ["network.local.conf"] = network.ToString(),
        };
    }

    /// <summary>The network configuration the Job posts to the controller (Central API <c>POST /network/{id}</c>).</summary>
    private static string NetworkConfig(ModuleRenderContext context, OverlayNetwork overlay)
    {
        var modes = context.Setting("ipv6_assign_modes") is { ValueKind: JsonValueKind.Array } m
            ? m.EnumerateArray().Select(e => e.GetString()).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string?>(StringComparer.Ordinal) { "zt" };
        var routes = new List<string> { overlay.Prefix.ToString() };
        if (context.Setting("routes") is { ValueKind: JsonValueKind.Array } r)
        {
            routes.AddRange(r.EnumerateArray().Select(e => e.GetString()!).Where(e => !routes.Contains(e)));
        }
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartObject("config");
            w.WriteStartArray("ipAssignmentPools");
            w.WriteStartObject();
            // Nodes take the lower half; the upper half belongs to pod attachments (whereabouts).
            w.WriteString("ipRangeStart", Ipv6Network.ToAddress(overlay.NodePool.Network + 1).ToString());
            w.WriteString("ipRangeEnd", overlay.NodePool.Last.ToString());
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteNumber("mtu", Pods.Int(context, "mtu", 2800));
            w.WriteBoolean("private", true);
            w.WriteStartArray("routes");
            foreach (var route in routes)
            {
                w.WriteStartObject();
                w.WriteString("target", route);
                w.WriteNull("via");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("v6AssignMode");
            w.WriteBoolean("6plane", modes.Contains("6plane"));
            w.WriteBoolean("rfc4193", modes.Contains("rfc4193"));
            w.WriteBoolean("zt", modes.Contains("zt"));
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    private static string AttachmentConfig(OverlayNetwork overlay)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("cniVersion", "0.3.1");
            w.WriteString("name", AttachmentName);
            // ipvlan L2 shares the node's ZeroTier MAC, which the ZeroTier network accepts without bridging.
            w.WriteString("type", "ipvlan");
            w.WriteString("master", InterfaceName);
            w.WriteString("mode", "l2");
            w.WriteStartObject("ipam");
            w.WriteString("type", "whereabouts");
            w.WriteString("range", overlay.PodPool.ToString());
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void RenderAuthorization(ModuleRenderContext context, OverlayNetwork overlay, string networkConfig)
    {
        var module = context.Module;
        var name = module.Name + "-authorize";
        var token = ModuleSecrets.Reference(context, "controller_token")
            ?? throw new InvalidOperationException($"{ModuleName}: auto_authorize needs controller_token.");
        ModuleSecrets.Render(context, new[]
        {
            new SecretMaterialization(module.Name + "-controller", new[] { new SecretKeyReference("api_token", token) }),
        });

        context.Add(new V1ServiceAccount { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = new V1ObjectMeta { Name = name }, AutomountServiceAccountToken = false });
        // The Job reads the node ids the members print at start: pods and their logs, this namespace only.
        context.Add(new V1Role
        {
            ApiVersion = "rbac.authorization.k8s.io/v1",
            Kind = "Role",
            Metadata = new V1ObjectMeta { Name = name },
            Rules = new List<V1PolicyRule>
            {
                new() { ApiGroups = new List<string> { "" }, Resources = new List<string> { "pods" }, Verbs = new List<string> { "get", "list" } },
                new() { ApiGroups = new List<string> { "" }, Resources = new List<string> { "pods/log" }, Verbs = new List<string> { "get" } },
            },
        });
        context.Add(new V1RoleBinding
        {
            ApiVersion = "rbac.authorization.k8s.io/v1",
            Kind = "RoleBinding",
            Metadata = new V1ObjectMeta { Name = name },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = name },
            Subjects = new List<Rbacv1Subject> { new() { Kind = "ServiceAccount", Name = name, NamespaceProperty = module.Namespace } },
        });
        context.Add(Pods.ConfigMap(name, new Dictionary<string, string>
        {
            ["authorize.sh"] = AuthorizeScript(context, overlay),
            ["network.json"] = networkConfig,
        }));

        var jobLabels = Pods.PodLabels(context, "authorize");
        context.Add(new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1JobSpec
            {
                BackoffLimit = 10,
                TtlSecondsAfterFinished = 3600,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = jobLabels },
                    Spec = new V1PodSpec
                    {
                        ServiceAccountName = name,
                        // The Job talks to the Kubernetes API (pods, logs), so it needs its token.
                        AutomountServiceAccountToken = true,
                        EnableServiceLinks = false,
                        RestartPolicy = "OnFailure",
                        SecurityContext = Pods.RestrictedPod(65532),
                        Containers = new List<V1Container>
                        {
                            new()
                            {
                                Name = "authorize",
                                Image = JobImage.ToString(),
                                ImagePullPolicy = "IfNotPresent",
                                Command = new List<string> { "/bin/sh", "/etc/flatracoon/authorize/authorize.sh" },
                                Env = new List<V1EnvVar>
                                {
                                    new() { Name = "CONTROLLER_URL", Value = Pods.String(context, "controller_url", "https://api.zerotier.com/api/v1").TrimEnd('/') },
                                    new() { Name = "NAMESPACE", Value = module.Namespace },
                                    new() { Name = "NETWORK_ID", Value = overlay.NetworkId },
                                    new()
                                    {
                                        Name = "ZEROTIER_API_TOKEN",
                                        ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = module.Name + "-controller", Key = "api_token" } },
                                    },
                                },
                                Resources = Pods.Resources("10m", "16Mi", "200m", "64Mi"),
                                SecurityContext = Pods.Restricted(65532),
                                VolumeMounts = new List<V1VolumeMount> { new() { Name = "script", MountPath = "/etc/flatracoon/authorize", ReadOnlyProperty = true } },
                            },
                        },
                        Volumes = new List<V1Volume> { new() { Name = "script", ConfigMap = new V1ConfigMapVolumeSource { Name = name } } },
                    },
                },
            },
        });
        context.Add(Pods.NetworkPolicy(name, new Dictionary<string, string>
        {
            [Labels.Name] = module.Name,
            ["app.kubernetes.io/component"] = "authorize",
        }, null, new List<V1NetworkPolicyEgressRule>
        {
            // The controller API (HTTPS) and the Kubernetes API (443 or 6443 behind the Service).
            new() { Ports = Pods.Tcp(443, 6443) },
            Pods.DnsEgress(),
        }));
    }

    private static string AuthorizeScript(ModuleRenderContext context, OverlayNetwork overlay)
    {
        var selector = $"{Labels.Name}%3D{context.Module.Name},app.kubernetes.io%2Fcomponent%3Dmember";
        return
            "#!/bin/sh\n" +
            "# Configures the ZeroTier network and authorizes every cluster node that runs a member.\n" +
            "# Node ids come from the members' own logs (printed by their join step), never from a guess.\n" +
            "set -eu\n" +
            "sa=\"${SERVICE_ACCOUNT_DIR:-/var/run/secrets/kubernetes.io/serviceaccount}\"\n" +
            "here=\"${AUTHORIZE_DIR:-/etc/flatracoon/authorize}\"\n" +
            "kube() { curl -fsS --cacert \"$sa/ca.crt\" -H \"Authorization: Bearer $(cat \"$sa/token\")\" \"$@\"; }\n" +
            "zt() { curl -fsS -H \"Authorization: token $ZEROTIER_API_TOKEN\" -H 'Content-Type: application/json' \"$@\"; }\n" +
            "zt -X POST --data \"@$here/network.json\" \"$CONTROLLER_URL/network/$NETWORK_ID\" >/dev/null\n" +
            // Metadata only (PartialObjectMetadataList): the only "name" fields are then pod names,
            // owner references and nothing from the pod spec (volumes, ConfigMaps, containers).
            $"pods=$(kube -H 'Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1' \"https://kubernetes.default.svc/api/v1/namespaces/$NAMESPACE/pods?labelSelector={selector}\" | grep -o '\"name\":\"{context.Module.Name}-[a-z0-9]*\"' | cut -d'\"' -f4 | sort -u)\n" +
            "[ -n \"$pods\" ] || { echo 'no ZeroTier member pods yet'; exit 1; }\n" +
            "for pod in $pods; do\n" +
            "  id=$(kube \"https://kubernetes.default.svc/api/v1/namespaces/$NAMESPACE/pods/$pod/log?container=join\" | sed -n 's/^zerotier-node-id=\\([0-9a-f]\\{10\\}\\)$/\\1/p' | tail -n 1)\n" +
            "  [ -n \"$id\" ] || { echo \"$pod has not published its node id yet\"; exit 1; }\n" +
            "  zt -X POST --data \"{\\\"name\\\":\\\"$pod\\\",\\\"config\\\":{\\\"authorized\\\":true}}\" \"$CONTROLLER_URL/network/$NETWORK_ID/member/$id\" >/dev/null\n" +
            "  echo \"authorized $id ($pod)\"\n" +
            "done\n";
    }
}

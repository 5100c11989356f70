using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using FlatRacoon.Modules.ZerotierK8sLink;
using FlatRacoon.Rendering;
using k8s.Models;

namespace FlatRacoon.Modules.FlatracoonOs;

/// <summary>
/// flatracoon-os: the node agent (the generic DaemonSet, allowed to label and taint nodes), the
/// RuntimeClass workloads select to run on FlatRacoon OS hosts, and an Ignition (spec v3) config
/// per node role as an artifact: IPv6 forwarding sysctls, the ZeroTier join of the stack's
/// overlay, the node role with its labels and taints, and the update strategy and window.
/// See docs/modules/flatracoon-os.adoc.
/// </summary>
public sealed class FlatracoonOsRenderer : IModuleRenderer
{
    /// <summary>Module name.</summary>
    public const string ModuleName = "flatracoon-os";
    /// <summary>Label every FlatRacoon OS host carries; the RuntimeClass schedules onto it.</summary>
    public const string OsLabel = "flatracoon.io/os";
    /// <summary>Label that puts a node into a role.</summary>
    public const string RoleLabel = "flatracoon.io/role";
    /// <summary>Where the module's Ignition writes the node role on the host.</summary>
    public const string HostRoleFile = "/etc/flatracoon/node-role.json";
    /// <summary>Where the agent sees the host's <c>/etc/flatracoon</c> (read-only; its own config is at /etc/flatracoon).</summary>
    public const string AgentRoleDirectory = "/host/etc/flatracoon";
    /// <summary>Environment variable with the path of the node role file inside the agent's container.</summary>
    public const string RoleFileVariable = "FLATRACOON_NODE_ROLE_FILE";

    /// <inheritdoc />
    public void Render(ModuleRenderContext context)
    {
        var module = context.Module;
        var baseline = Baseline.Render(context);
        // The agent patches its own node's labels and taints through the API.
        baseline.Template.Spec.AutomountServiceAccountToken = true;
        baseline.Template.Spec.Tolerations = new List<V1Toleration> { new() { OperatorProperty = "Exists" } };
        baseline.AddEnv(new V1EnvVar { Name = "NODE_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "spec.nodeName" } } });
        // The node role the Ignition wrote on the host, read-only. A hostPath volume is refused by
        // the baseline and restricted Pod Security levels, so this namespace (the agent alone) is
        // privileged; the container itself stays non-root with every capability dropped.
        var hostDirectory = System.IO.Path.GetDirectoryName(HostRoleFile)!;
        baseline.AddEnv(new V1EnvVar { Name = RoleFileVariable, Value = AgentRoleDirectory + "/" + System.IO.Path.GetFileName(HostRoleFile) });
        baseline.Template.Spec.Volumes.Add(new V1Volume { Name = "host-flatracoon", HostPath = new V1HostPathVolumeSource { Path = hostDirectory, Type = "Directory" } });
        baseline.Container.VolumeMounts.Add(new V1VolumeMount { Name = "host-flatracoon", MountPath = AgentRoleDirectory, ReadOnlyProperty = true });
        context.PodSecurityLevel = "privileged";

        var roleName = module.Name + "-node-agent";
        context.Add(new V1ClusterRole
        {
            ApiVersion = "rbac.authorization.k8s.io/v1",
            Kind = "ClusterRole",
            Metadata = new V1ObjectMeta { Name = roleName },
            Rules = new List<V1PolicyRule>
            {
                new() { ApiGroups = new List<string> { "" }, Resources = new List<string> { "nodes" }, Verbs = new List<string> { "get", "list", "patch", "watch" } },
            },
        });
        context.Add(new V1ClusterRoleBinding
        {
            ApiVersion = "rbac.authorization.k8s.io/v1",
            Kind = "ClusterRoleBinding",
            Metadata = new V1ObjectMeta { Name = roleName },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = roleName },
            Subjects = new List<Rbacv1Subject> { new() { Kind = "ServiceAccount", Name = module.Name, NamespaceProperty = module.Namespace } },
        });
        context.Add(new V1RuntimeClass
        {
            ApiVersion = "node.k8s.io/v1",
            Kind = "RuntimeClass",
            Metadata = new V1ObjectMeta { Name = ModuleName },
            Handler = "runc",
            Scheduling = new V1Scheduling { NodeSelector = Labels.Sorted(new Dictionary<string, string> { [OsLabel] = "true" }) },
        });

        var overlayModule = context.Stack.Modules.FirstOrDefault(m => m.Descriptor.Provides.Contains("overlay-network"));
        var overlay = ZerotierK8sLinkRenderer.Overlay(overlayModule);
        foreach (var role in Roles(context))
        {
            context.AddArtifact($"ignition-{role.Name}.json", Ignition(context, role, overlay, overlayModule));
        }
    }

    /// <summary>A node role of the configuration.</summary>
    public sealed record NodeRole(string Name, IReadOnlyList<KeyValuePair<string, string>> Labels, IReadOnlyList<(string Key, string Value, string Effect)> Taints);

    private static IReadOnlyList<NodeRole> Roles(ModuleRenderContext context)
    {
        if (context.Setting("node_roles") is not { ValueKind: JsonValueKind.Array } roles)
        {
            return Array.Empty<NodeRole>();
        }
        return roles.EnumerateArray().Select(r => new NodeRole(
            r.GetProperty("name").GetString()!,
            r.TryGetProperty("labels", out var l) && l.ValueKind == JsonValueKind.Object
                ? l.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString() ?? "")).OrderBy(p => p.Key, StringComparer.Ordinal).ToList()
                : new List<KeyValuePair<string, string>>(),
            r.TryGetProperty("taints", out var t) && t.ValueKind == JsonValueKind.Array
                ? t.EnumerateArray().Select(x => (
                    x.GetProperty("key").GetString()!,
                    x.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "",
                    x.TryGetProperty("effect", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : "NoSchedule")).ToList()
                : new List<(string, string, string)>())).ToList();
    }

    private static string Ignition(ModuleRenderContext context, NodeRole role, OverlayNetwork? overlay, ModuleInstance? overlayModule)
    {
        var version = Pods.String(context, "ignition_version", "3.4.0");
        var files = new SortedDictionary<string, (string Content, int Mode)>(StringComparer.Ordinal)
        {
            ["/etc/sysctl.d/90-flatracoon-ipv6.conf"] = (
                "# FlatRacoon: hosts route the overlay and the cluster's IPv6 prefixes.\n" +
                "net.ipv6.conf.all.forwarding = 1\n" +
                "net.ipv6.conf.default.forwarding = 1\n" +
                // Forwarding turns router advertisements off unless accept_ra is 2.
                "net.ipv6.conf.all.accept_ra = 2\n" +
                "net.ipv6.conf.default.accept_ra = 2\n", 420),
            ["/etc/flatracoon/node-role.json"] = (NodeRoleJson(role), 420),
            ["/etc/zincati/config.d/55-flatracoon-updates.toml"] = (Zincati(context), 420),
        };
        if (overlay is not null && overlayModule is not null)
        {
            // Pre-join the overlay: the same state files the zerotier-k8s-link DaemonSet keeps.
            var state = ZerotierK8sLinkRenderer.StateFiles(context, overlay, ConfigJson.ToElement(overlayModule.Config).TryGetProperty("port", out var p) && p.TryGetInt32(out var port) ? port : 9993);
            var dir = ZerotierK8sLinkRenderer.StateDirectory;
            files[$"{dir}/devicemap"] = (state["devicemap"], 384);
            files[$"{dir}/local.conf"] = (state["local.conf"], 384);
            files[$"{dir}/networks.d/{overlay.NetworkId}.conf"] = ("", 384);
            files[$"{dir}/networks.d/{overlay.NetworkId}.local.conf"] = (OverlayLocalConf(overlayModule), 384);
        }
        var kernelArgs = context.Setting("kernel_args") is { ValueKind: JsonValueKind.Array } k
            ? k.EnumerateArray().Select(a => a.GetString()!).ToList()
            : new List<string>();

        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartObject("ignition");
            w.WriteString("version", version);
            w.WriteEndObject();
            if (kernelArgs.Count > 0 && string.CompareOrdinal(version, "3.3.0") >= 0)
            {
                w.WriteStartObject("kernelArguments");
                w.WriteStartArray("shouldExist");
                foreach (var arg in kernelArgs)
                {
                    w.WriteStringValue(arg);
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteStartObject("storage");
            w.WriteStartArray("files");
            foreach (var (path, (content, mode)) in files)
            {
                w.WriteStartObject();
                w.WriteStartObject("contents");
                w.WriteString("source", "data:," + Uri.EscapeDataString(content));
                w.WriteEndObject();
                w.WriteNumber("mode", mode);
                w.WriteBoolean("overwrite", true);
                w.WriteString("path", path);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject("systemd");
            w.WriteStartArray("units");
            w.WriteStartObject();
            w.WriteBoolean("enabled", true);
            w.WriteString("name", "zincati.service");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    private static string OverlayLocalConf(ModuleInstance overlayModule)
    {
        var config = ConfigJson.ToElement(overlayModule.Config);
        char Flag(string name, bool fallback) =>
            (config.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : fallback) ? '1' : '0';
        return $"allowManaged={Flag("allow_managed", true)}\nallowGlobal={Flag("allow_global", false)}\nallowDefault={Flag("allow_default", false)}\nallowDNS={Flag("allow_dns", false)}\n";
    }

    private static string NodeRoleJson(NodeRole role)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartObject("labels");
            w.WriteString(OsLabel, "true");
            w.WriteString(RoleLabel, role.Name);
            foreach (var (key, value) in role.Labels.Where(l => l.Key != OsLabel && l.Key != RoleLabel))
            {
                w.WriteString(key, value);
            }
            w.WriteEndObject();
            w.WriteString("role", role.Name);
            w.WriteStartArray("taints");
            foreach (var (key, value, effect) in role.Taints)
            {
                w.WriteStartObject();
                w.WriteString("effect", effect);
                w.WriteString("key", key);
                w.WriteString("value", value);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    private static string Zincati(ModuleRenderContext context)
    {
        var strategy = Pods.String(context, "update_strategy", "reboot");
        if (strategy != "reboot")
        {
            // manual: updates are only staged by hand; live: the flatracoon-os agent applies them
            // without a reboot, so Zincati must not reboot the node itself.
            return $"# update_strategy = {strategy}: Zincati does not update or reboot this host.\n[updates]\nenabled = false\n";
        }
        var days = context.Setting("update_window.days") is { ValueKind: JsonValueKind.Array } d
            ? d.EnumerateArray().Select(x => x.GetString()!).Select(x => char.ToUpperInvariant(x[0]) + x[1..]).ToList()
            : new List<string> { "Sat", "Sun" };
        var start = Pods.String(context, "update_window.start", "03:00");
        var minutes = Pods.Int(context, "update_window.duration_minutes", 120);
        var text = new StringBuilder();
        text.Append("# update_strategy = reboot: stage and reboot only inside the maintenance window (node local time).\n");
        text.Append("[updates]\nstrategy = \"periodic\"\n\n[[updates.periodic.window]]\n");
        text.Append("days = [ ").Append(string.Join(", ", days.Select(x => $"\"{x}\""))).Append(" ]\n");
        text.Append("start_time = \"").Append(start).Append("\"\n");
        text.Append("length_minutes = ").Append(Pods.Text(minutes)).Append('\n');
        return text.ToString();
    }
}

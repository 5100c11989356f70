using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json;
using FlatRacoon.Modules;
using FlatRacoon.Modules.IpfsOverlay;
using FlatRacoon.Rendering;
using FlatRacoon.Rendering.CustomResources;
using k8s.Models;
using Xunit;

namespace FlatRacoon.Samples.Tests;

/// <summary>The security facts of the sample render, module by module.</summary>
public class ModuleSecurityTests
{
    private const string OverlayPrefix = "2001:db8:f1a7:2e00::/64";

    // ---- IPFS: listens and announces only on the overlay ----

    [Fact]
    public void Ipfs_swarm_and_announce_use_only_the_overlay_address()
    {
        var set = RenderedStack.Render();
        var config = JsonDocument.Parse(RenderedStack.Artifact(set, "ipfs-overlay/kubo-config.json")).RootElement;
        var addresses = config.GetProperty("Addresses");

        string[] Strings(JsonElement e) => e.EnumerateArray().Select(x => x.GetString()!).ToArray();
        var overlayOnly = new[] { "/ip6/@OVERLAY_ADDRESS@/tcp/4001" };
        Assert.Equal(overlayOnly, Strings(addresses.GetProperty("Swarm")));
        Assert.Equal(overlayOnly, Strings(addresses.GetProperty("Announce")));
        Assert.Empty(Strings(addresses.GetProperty("AppendAnnounce")));
        // Production renders no gateway; when one is on, it is on the overlay address only.
        Assert.Empty(Strings(addresses.GetProperty("Gateway")));
        // The RPC API never listens on the overlay (nor on a wildcard).
        Assert.All(Strings(addresses.GetProperty("API")), a => Assert.DoesNotContain("@OVERLAY_ADDRESS@", a));
        Assert.All(Strings(addresses.GetProperty("API")), a => Assert.DoesNotContain("/ip6/::/", a));
        Assert.Empty(Strings(config.GetProperty("Bootstrap")));
        Assert.False(config.GetProperty("Discovery").GetProperty("MDNS").GetProperty("Enabled").GetBoolean());
        Assert.Equal("none", config.GetProperty("Routing").GetProperty("Type").GetString());
        Assert.False(config.GetProperty("Swarm").GetProperty("RelayClient").GetProperty("Enabled").GetBoolean());
        // A swarm key works only over TCP: kubo refuses QUIC, WebTransport and WebRTC next to one.
        var transports = config.GetProperty("Swarm").GetProperty("Transports").GetProperty("Network");
        Assert.All(new[] { "QUIC", "WebTransport", "WebRTCDirect", "Websocket" }, t => Assert.False(transports.GetProperty(t).GetBoolean(), t));
        Assert.Equal(Strings(config.GetProperty("Swarm").GetProperty("AddrFilters")), Strings(addresses.GetProperty("NoAnnounce")));
    }

    [Fact]
    public void Ipfs_address_filters_cover_everything_but_the_overlay()
    {
        var set = RenderedStack.Render();
        var config = JsonDocument.Parse(RenderedStack.Artifact(set, "ipfs-overlay/kubo-config.json")).RootElement;
        var filters = config.GetProperty("Swarm").GetProperty("AddrFilters").EnumerateArray().Select(x => x.GetString()!).ToList();
        Assert.Contains("/ip4/0.0.0.0/ipcidr/0", filters);
        var ipv6 = filters.Where(f => f.StartsWith("/ip6/", StringComparison.Ordinal))
            .Select(f => f.Split('/'))
            .Select(p => Ipv6Network.Parse($"{p[2]}/{p[4]}"))
            .ToList();
        var overlay = Ipv6Network.Parse(OverlayPrefix);

        Assert.DoesNotContain(ipv6, f => f.Contains(overlay) || overlay.Contains(f));
        var random = new Random(4);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            // Half of the samples inside the overlay: keep its first 64 bits.
            if (i % 2 == 0)
            {
                overlay.First.GetAddressBytes().AsSpan(0, 8).CopyTo(bytes);
            }
            var address = new IPAddress(bytes);
            var filtered = ipv6.Any(f => f.Contains(address));
            Assert.True(filtered != overlay.Contains(address), $"{address}: filtered={filtered}");
        }
        // Well-known places a peer must never dial: loopback, link-local, ULA, documentation space outside the overlay.
        foreach (var text in new[] { "::1", "fe80::1", "fd00::1", "2001:db8::1", "64:ff9b::a00:1" })
        {
            Assert.Contains(ipv6, f => f.Contains(IPAddress.Parse(text)));
        }
    }

    [Fact]
    public void Ipfs_pods_get_an_overlay_attachment_and_refuse_to_start_without_an_overlay_address()
    {
        var set = RenderedStack.Render();
        var nad = set.Objects.Select(o => o.Object).OfType<NetworkAttachmentDefinition>().Single();
        var range = JsonDocument.Parse(nad.Spec.Config).RootElement.GetProperty("ipam").GetProperty("range").GetString()!;
        Assert.True(Ipv6Network.Parse(OverlayPrefix).Contains(Ipv6Network.Parse(range)), range);

        var ipfs = RenderedStack.Pods(set).Single(p => p.Owner.Module == "ipfs-overlay");
        Assert.Contains("\"name\":\"zerotier-overlay\"", ipfs.Annotations!["k8s.v1.cni.cncf.io/networks"]);
        Assert.Contains("\"namespace\":\"zerotier-k8s-link\"", ipfs.Annotations!["k8s.v1.cni.cncf.io/networks"]);
        Assert.False(ipfs.Pod.HostNetwork ?? false);

        var script = RenderedStack.Artifact(set, "ipfs-overlay/kubo-start.sh");
        Assert.Contains($"overlay_prefix='{OverlayPrefix}'", script);
        Assert.Contains("to \"$overlay_prefix\"", script);
        Assert.Contains("exit 1", script);
        Assert.Contains("swarm.key", script);
        // The kubo container is forced into the private network.
        var kubo = ipfs.Pod.Containers.Single(c => c.Name == "ipfs-overlay");
        Assert.Contains(kubo.Env, e => e.Name == "LIBP2P_FORCE_PNET" && e.Value == "1");
    }

    [Fact]
    public void Ipfs_probes_never_GET_the_POST_only_rpc_api_and_the_api_stays_in_the_namespace()
    {
        var set = RenderedStack.Render();
        var ipfs = RenderedStack.Pods(set).Single(p => p.Owner.Module == "ipfs-overlay");
        foreach (var container in RenderedStack.Containers(ipfs.Pod))
        {
            foreach (var probe in new[] { container.LivenessProbe, container.ReadinessProbe, container.StartupProbe }.Where(p => p is not null))
            {
                Assert.Null(probe!.HttpGet);
            }
        }
        var kubo = ipfs.Pod.Containers.Single(c => c.Name == "ipfs-overlay");
        Assert.Contains("id", kubo.ReadinessProbe.Exec.Command);

        var services = set.Objects.Where(o => o.Module == "ipfs-overlay").Select(o => o.Object).OfType<V1Service>().ToList();
        Assert.All(services, s => Assert.Equal("ClusterIP", s.Spec.Type));
        Assert.All(services, s => Assert.All(s.Spec.Ports, p => Assert.Equal(5001, p.Port)));
        var policies = set.Objects.Where(o => o.Module == "ipfs-overlay").Select(o => o.Object).OfType<V1NetworkPolicy>().ToList();
        var deny = policies.Single(p => p.Metadata.Name == "ipfs-overlay-default-deny");
        Assert.Empty(deny.Spec.Ingress);
        Assert.Empty(deny.Spec.Egress);
        var api = policies.Single(p => p.Metadata.Name == "ipfs-overlay-api");
        // The API (and the cluster REST API) from this namespace; Prometheus may read the API port only.
        Assert.All(api.Spec.Ingress.SelectMany(r => r.FromProperty), peer => Assert.Null(peer.IpBlock));
        var inNamespace = api.Spec.Ingress.Single(r => r.FromProperty.Single().PodSelector is not null && r.FromProperty.Single().NamespaceSelector is null);
        Assert.Equal(new[] { "5001", "9094" }, inNamespace.Ports.Select(p => p.Port.Value));
        var prometheus = api.Spec.Ingress.Single(r => r.FromProperty.Single().NamespaceSelector is not null);
        Assert.Equal("monitoring", prometheus.FromProperty.Single().NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
        Assert.Equal(new[] { "5001" }, prometheus.Ports.Select(p => p.Port.Value));
        Assert.All(api.Spec.Egress.SelectMany(r => r.To ?? new List<V1NetworkPolicyPeer>()), peer => Assert.Null(peer.IpBlock));
        Assert.DoesNotContain(set.Objects, o => o.Object.Kind is "Ingress" || o.Object is V1Service { Spec.Type: "LoadBalancer" or "NodePort" });
    }

    [Theory]
    [MemberData(nameof(RenderedStack.Environments), MemberType = typeof(RenderedStack))]
    public void In_every_environment_ipfs_lives_on_that_environments_overlay_only(string environment)
    {
        var set = RenderedStack.Render(environment);
        var prefix = ConfigJson.ToElement(set.Stack.Module("zerotier-k8s-link")!.Config).GetProperty("overlay_prefix").GetString()!;
        var overlay = Ipv6Network.Parse(prefix);
        var config = JsonDocument.Parse(RenderedStack.Artifact(set, "ipfs-overlay/kubo-config.json")).RootElement;
        var addresses = config.GetProperty("Addresses");
        var listen = addresses.GetProperty("Swarm").EnumerateArray().Concat(addresses.GetProperty("Announce").EnumerateArray())
            .Concat(addresses.GetProperty("Gateway").EnumerateArray()).Select(a => a.GetString()!).ToList();
        Assert.NotEmpty(listen);
        Assert.All(listen, a => Assert.StartsWith("/ip6/@OVERLAY_ADDRESS@/", a));
        // The gateway follows gateway_enabled (on in development by default, off in production).
        var gatewayEnabled = ConfigJson.ToElement(set.Stack.Module("ipfs-overlay")!.Config).GetProperty("gateway_enabled").GetBoolean();
        Assert.Equal(gatewayEnabled, addresses.GetProperty("Gateway").GetArrayLength() == 1);

        var filters = config.GetProperty("Swarm").GetProperty("AddrFilters").EnumerateArray().Select(f => f.GetString()!)
            .Where(f => f.StartsWith("/ip6/", StringComparison.Ordinal)).Select(f => f.Split('/')).Select(p => Ipv6Network.Parse($"{p[2]}/{p[4]}")).ToList();
        Assert.Equal(overlay.Length, filters.Count);
        Assert.DoesNotContain(filters, f => f.Contains(overlay.First) || f.Contains(overlay.Last));
        Assert.All(overlay.Complement(), c => Assert.Contains(c, filters));
        Assert.Contains($"overlay_prefix='{prefix}'", RenderedStack.Artifact(set, "ipfs-overlay/kubo-start.sh"));

        var nad = set.Objects.Select(o => o.Object).OfType<NetworkAttachmentDefinition>().Single();
        var range = JsonDocument.Parse(nad.Spec.Config).RootElement.GetProperty("ipam").GetProperty("range").GetString()!;
        Assert.True(overlay.Contains(Ipv6Network.Parse(range)), $"{range} is outside {prefix}");
    }

    /// <summary>
    /// NetworkPolicies add up: a pod may receive what ANY policy that selects it allows. So the
    /// facts are checked over every policy of the namespace, whoever rendered it: the kubo API and
    /// the cluster REST API are reachable only from this namespace (and the API port from
    /// Prometheus), and the Twingate connectors accept nothing but the metrics port.
    /// </summary>
    [Fact]
    public void No_policy_of_any_module_widens_what_ipfs_and_the_connectors_accept()
    {
        var set = RenderedStack.Render();
        var prometheus = "monitoring";

        var ipfsPod = RenderedStack.Pods(set).Single(p => p.Owner.Object is V1StatefulSet { Metadata.Name: "ipfs-overlay" });
        var ipfsLabels = ((V1StatefulSet)ipfsPod.Owner.Object).Spec.Template.Metadata.Labels;
        foreach (var (rule, policy) in IngressRulesFor(set, "ipfs-overlay", ipfsLabels))
        {
            Assert.True(rule.Ports is { Count: > 0 }, $"{policy} admits every port of the IPFS peers");
            Assert.True(rule.FromProperty is { Count: > 0 }, $"{policy} admits any source to the IPFS peers");
            foreach (var peer in rule.FromProperty)
            {
                var sameNamespace = peer.PodSelector is not null && peer.NamespaceSelector is null && peer.IpBlock is null;
                var fromPrometheus = peer.NamespaceSelector?.MatchLabels?["kubernetes.io/metadata.name"] == prometheus && peer.IpBlock is null;
                Assert.True(sameNamespace || fromPrometheus, $"{policy} admits a source outside the namespace to the IPFS peers");
                if (fromPrometheus)
                {
                    Assert.Equal(new[] { "5001" }, rule.Ports.Select(p => p.Port.Value));
                }
            }
        }

        var connector = set.Objects.Select(o => o.Object).OfType<V1Deployment>().First(d => d.Metadata.Name.StartsWith("twingate-helm-deploy-", StringComparison.Ordinal));
        foreach (var (rule, policy) in IngressRulesFor(set, "twingate-helm-deploy", connector.Spec.Template.Metadata.Labels))
        {
            Assert.True(rule.Ports is { Count: > 0 } && rule.Ports.All(p => p.Port.Value is "9999" or "metrics"), $"{policy} admits more than the metrics port of the connectors");
        }
    }

    /// <summary>Every ingress rule of every policy in <paramref name="namespace"/> that selects a pod with <paramref name="podLabels"/>.</summary>
    private static IEnumerable<(V1NetworkPolicyIngressRule Rule, string Policy)> IngressRulesFor(ManifestSet set, string @namespace, IDictionary<string, string> podLabels)
    {
        foreach (var obj in set.Objects.Where(o => o.Object is V1NetworkPolicy && o.Object.Metadata.NamespaceProperty == @namespace))
        {
            var policy = (V1NetworkPolicy)obj.Object;
            var selector = policy.Spec.PodSelector?.MatchLabels ?? new Dictionary<string, string>();
            var selects = selector.All(l => podLabels.TryGetValue(l.Key, out var v) && v == l.Value) && policy.Spec.PodSelector?.MatchExpressions is null or { Count: 0 };
            if (!selects || !(policy.Spec.PolicyTypes?.Contains("Ingress") ?? true))
            {
                continue;
            }
            foreach (var rule in policy.Spec.Ingress ?? new List<V1NetworkPolicyIngressRule>())
            {
                yield return (rule, $"{obj.DisplayName} (rendered by {obj.Module})");
            }
        }
    }

    // ---- Containers and pods ----

    [Fact]
    public void Every_container_has_cpu_and_memory_requests_and_limits()
    {
        var set = RenderedStack.Render();
        var checkedContainers = 0;
        foreach (var (owner, pod, _) in RenderedStack.Pods(set))
        {
            foreach (var container in RenderedStack.Containers(pod))
            {
                var where = $"{owner.DisplayName} container {container.Name}";
                Assert.True(container.Resources?.Limits is { } limits && limits.ContainsKey("cpu") && limits.ContainsKey("memory"), where + " has no cpu/memory limits");
                Assert.True(container.Resources?.Requests is { } requests && requests.ContainsKey("cpu") && requests.ContainsKey("memory"), where + " has no cpu/memory requests");
                checkedContainers++;
            }
        }
        Assert.True(checkedContainers >= 16, $"only {checkedContainers} containers");
    }

    [Fact]
    public void Images_are_pinned()
    {
        var set = RenderedStack.Render();
        foreach (var (owner, pod, _) in RenderedStack.Pods(set))
        {
            foreach (var container in RenderedStack.Containers(pod))
            {
                var tag = container.Image.Split('@')[0];
                var colon = tag.LastIndexOf(':');
                Assert.True(colon > tag.LastIndexOf('/'), $"{owner.DisplayName}: {container.Image} has no tag");
                Assert.NotEqual("latest", tag[(colon + 1)..]);
            }
        }
    }

    /// <summary>
    /// The exceptions of the modules this suite owns, exactly (docs/modules/zerotier-k8s-link.adoc
    /// explains each). Every other module may hold an exception only if its own page names it.
    /// </summary>
    private static readonly Dictionary<string, string[]> OwnModuleExceptions = new(StringComparer.Ordinal)
    {
        // The node agent reads the node role file the module's Ignition wrote on the host (read-only).
        ["flatracoon-os"] = new[] { "DaemonSet flatracoon-os/flatracoon-os: hostPath /etc/flatracoon" },
        ["ipfs-overlay"] = Array.Empty<string>(),
        ["network-dashboard"] = Array.Empty<string>(),
        ["poly-k8s-mcp"] = Array.Empty<string>(),
        ["poly-observability-mcp"] = Array.Empty<string>(),
        ["poly-secret-mcp"] = Array.Empty<string>(),
        ["twingate-helm-deploy"] = Array.Empty<string>(),
        ["zerotier-k8s-link"] = new[]
        {
            "DaemonSet zerotier-k8s-link/zerotier-k8s-link: hostNetwork",
            "DaemonSet zerotier-k8s-link/zerotier-k8s-link: hostPath /dev/net/tun",
            "DaemonSet zerotier-k8s-link/zerotier-k8s-link: hostPath /var/lib/zerotier-one",
            "DaemonSet zerotier-k8s-link/zerotier-k8s-link: hostPort 9993",
            "DaemonSet zerotier-k8s-link/zerotier-k8s-link: join runs as root",
            "DaemonSet zerotier-k8s-link/zerotier-k8s-link: zerotier-k8s-link adds NET_ADMIN",
            "DaemonSet zerotier-k8s-link/zerotier-k8s-link: zerotier-k8s-link runs as root",
        },
    };

    /// <summary>Every Pod Security exception of the render: (module, description, the term its page must name).</summary>
    private static List<(string Module, string Text, string Term)> Exceptions(ManifestSet set)
    {
        var found = new List<(string Module, string Text, string Term)>();
        foreach (var (owner, pod, _) in RenderedStack.Pods(set))
        {
            var who = owner.DisplayName;
            void Add(string text, string term) => found.Add((owner.Module, $"{who}: {text}", term));
            if (pod.HostNetwork == true) Add("hostNetwork", "hostNetwork");
            if (pod.HostPID == true) Add("hostPID", "hostPID");
            if (pod.HostIPC == true) Add("hostIPC", "hostIPC");
            foreach (var volume in pod.Volumes ?? new List<V1Volume>())
            {
                if (volume.HostPath is not null) Add($"hostPath {volume.HostPath.Path}", volume.HostPath.Path);
            }
            var podNonRoot = pod.SecurityContext?.RunAsNonRoot == true;
            var podSeccomp = pod.SecurityContext?.SeccompProfile?.Type == "RuntimeDefault";
            foreach (var container in RenderedStack.Containers(pod))
            {
                var sc = container.SecurityContext;
                if (sc?.Privileged == true) Add($"{container.Name} privileged", "privileged");
                foreach (var cap in sc?.Capabilities?.Add ?? new List<string>()) Add($"{container.Name} adds {cap}", cap);
                if (sc?.RunAsUser == 0 || sc?.RunAsNonRoot == false || (!podNonRoot && sc?.RunAsNonRoot != true)) Add($"{container.Name} runs as root", "root");
                foreach (var port in container.Ports ?? new List<V1ContainerPort>())
                {
                    if (port.HostPort is { } hostPort) Add($"hostPort {hostPort}", "hostPort");
                }
                // The rest of "restricted" holds for every container, exceptions included.
                Assert.True(sc?.AllowPrivilegeEscalation == false || sc?.Privileged == true, $"{who} {container.Name}: allowPrivilegeEscalation");
                Assert.True(podSeccomp || sc?.SeccompProfile?.Type == "RuntimeDefault", $"{who} {container.Name}: seccomp");
                if (sc?.Privileged != true)
                {
                    Assert.Contains("ALL", sc?.Capabilities?.Drop ?? new List<string>());
                }
            }
        }
        return found;
    }

    [Fact]
    public void Only_the_documented_pods_hold_privileges_and_every_other_pod_is_restricted()
    {
        var set = RenderedStack.Render();
        var exceptions = Exceptions(set);

        foreach (var (module, expected) in OwnModuleExceptions)
        {
            Assert.Equal(expected, exceptions.Where(e => e.Module == module).Select(e => e.Text).Distinct().OrderBy(t => t, StringComparer.Ordinal));
        }
        // Every exception, of any module, is named on the module's page, and so is the relaxed
        // Pod Security level of its namespace.
        var undocumented = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var group in exceptions.GroupBy(e => e.Module))
        {
            var pagePath = Path.Combine(Repo.Root, "docs", "modules", group.Key + ".adoc");
            var page = File.Exists(pagePath) ? File.ReadAllText(pagePath) : "";
            foreach (var exception in group.Where(e => !page.Contains(e.Term, StringComparison.Ordinal)))
            {
                undocumented.Add($"docs/modules/{group.Key}.adoc does not explain '{exception.Text}' (name '{exception.Term}')");
            }
        }
        Assert.True(undocumented.Count == 0, string.Join("\n", undocumented));

        // Only namespaces of modules with exceptions are relaxed, and their pages say so.
        var relaxed = set.Objects.Select(o => o.Object).OfType<V1Namespace>()
            .Where(n => n.Metadata.Labels["pod-security.kubernetes.io/enforce"] != "restricted")
            .ToList();
        Assert.Contains(relaxed, n => n.Metadata.Name == "zerotier-k8s-link" && n.Metadata.Labels["pod-security.kubernetes.io/enforce"] == "privileged");
        foreach (var ns in relaxed)
        {
            var level = ns.Metadata.Labels["pod-security.kubernetes.io/enforce"];
            var modules = set.Stack.Modules.Where(m => m.Namespace == ns.Metadata.Name).Select(m => m.Name).ToList();
            Assert.True(exceptions.Any(e => modules.Contains(e.Module)), $"namespace {ns.Metadata.Name} is '{level}' but none of its pods needs more than restricted");
            Assert.All(modules, m => Assert.Contains(level, File.ReadAllText(Path.Combine(Repo.Root, "docs", "modules", m + ".adoc"))));
        }

        // The zerotier page explains each of its exceptions in words, including what it does not need.
        var zerotier = File.ReadAllText(Path.Combine(Repo.Root, "docs", "modules", "zerotier-k8s-link.adoc"));
        foreach (var term in new[] { "hostNetwork", "NET_ADMIN", "/dev/net/tun", "/var/lib/zerotier-one", "hostPort", "root", "NET_RAW", "privileged" })
        {
            Assert.Contains(term, zerotier);
        }
    }

    [Fact]
    public void The_exception_check_finds_a_privilege_nobody_documented()
    {
        var set = RenderedStack.Render();
        var dashboard = set.Objects.Select(o => o.Object).OfType<V1Deployment>().Single(d => d.Metadata.Name == "network-dashboard");
        dashboard.Spec.Template.Spec.Containers[0].SecurityContext.Capabilities.Add = new List<string> { "SYS_ADMIN" };
        dashboard.Spec.Template.Spec.HostNetwork = true;
        var found = Exceptions(set).Where(e => e.Module == "network-dashboard").Select(e => e.Text).OrderBy(t => t, StringComparer.Ordinal);
        Assert.Equal(new[]
        {
            "Deployment network-dashboard/network-dashboard: hostNetwork",
            "Deployment network-dashboard/network-dashboard: network-dashboard adds SYS_ADMIN",
        }, found);
        Assert.DoesNotContain("SYS_ADMIN", File.ReadAllText(Path.Combine(Repo.Root, "docs", "modules", "network-dashboard.adoc")));
    }

    // ---- ZeroTier ----

    [Fact]
    public void Zerotier_joins_the_validated_network_with_real_health_checks_and_a_udp_policy()
    {
        var set = RenderedStack.Render();
        var stack = NetStack.Create().Build();
        var networkId = ConfigJson.ToElement(stack.Module("zerotier-k8s-link")!.Config).GetProperty("network_id").GetString()!;
        Assert.Equal(networkId, ZeroTierNetworkId.Parse(networkId!).Value); // throws FR0101 when malformed

        var member = RenderedStack.Pods(set).Single(p => p.Owner.Object.Kind == "DaemonSet" && p.Owner.Module == "zerotier-k8s-link").Pod;
        var join = member.InitContainers.Single(c => c.Name == "join");
        Assert.Contains($"networks.d/{networkId}.conf", join.Args.Single());
        var zerotier = member.Containers.Single(c => c.Name == "zerotier-k8s-link");
        Assert.Equal(new[] { "zerotier-cli", "-D/var/lib/zerotier-one", "info" }, zerotier.LivenessProbe.Exec.Command);
        Assert.Contains($"get {networkId} status", zerotier.ReadinessProbe.Exec.Command.Last());
        Assert.Equal(new[] { "NET_ADMIN" }, zerotier.SecurityContext.Capabilities.Add);

        var policy = set.Objects.Select(o => o.Object).OfType<V1NetworkPolicy>().Single(p => p.Metadata.Name == "zerotier-k8s-link-udp");
        Assert.Equal(("UDP", "9993"), (policy.Spec.Ingress.Single().Ports.Single().Protocol, policy.Spec.Ingress.Single().Ports.Single().Port.Value));

        // Authorization uses the controller token from a secret reference, through a Secret key.
        var job = set.Objects.Select(o => o.Object).OfType<V1Job>().Single(j => j.Metadata.Name == "zerotier-k8s-link-authorize");
        var token = job.Spec.Template.Spec.Containers.Single().Env.Single(e => e.Name == "ZEROTIER_API_TOKEN");
        Assert.Null(token.Value);
        Assert.Equal("zerotier-k8s-link-controller", token.ValueFrom.SecretKeyRef.Name);
        var external = set.Objects.Select(o => o.Object).OfType<ExternalSecret>().Single(e => e.Metadata.Name == "zerotier-k8s-link-controller");
        Assert.Equal(("flatracoon/zerotier", "api_token"), (external.Spec.Data.Single().RemoteRef.Key, external.Spec.Data.Single().RemoteRef.Property));
    }

    // ---- Twingate ----

    [Fact]
    public void Twingate_connectors_are_spread_egress_only_and_monitored()
    {
        var set = RenderedStack.Render();
        var deployments = set.Objects.Where(o => o.Module == "twingate-helm-deploy").Select(o => o.Object).OfType<V1Deployment>().ToList();
        Assert.Equal(new[] { "twingate-helm-deploy-0", "twingate-helm-deploy-1" }, deployments.Select(d => d.Metadata.Name));
        foreach (var deployment in deployments)
        {
            Assert.Equal("Recreate", deployment.Spec.Strategy.Type);
            Assert.NotEmpty(deployment.Spec.Template.Spec.Affinity.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution);
            var container = deployment.Spec.Template.Spec.Containers.Single();
            Assert.All(container.Env.Where(e => e.Name.EndsWith("_TOKEN", StringComparison.Ordinal)), e => Assert.NotNull(e.ValueFrom.SecretKeyRef));
            Assert.All(new[] { container.LivenessProbe, container.ReadinessProbe }, p => Assert.Equal("metrics", p.HttpGet.Port.Value));
        }
        // Two connectors: each has its own token pair (the -0 / -1 keys).
        var tokens = set.Objects.Select(o => o.Object).OfType<ExternalSecret>().Where(e => e.Metadata.Name.StartsWith("twingate", StringComparison.Ordinal))
            .SelectMany(e => e.Spec.Data.Select(d => d.RemoteRef.Property)).OrderBy(p => p, StringComparer.Ordinal);
        Assert.Equal(new[] { "access_token-0", "access_token-1", "refresh_token-0", "refresh_token-1" }, tokens);

        var policy = set.Objects.Select(o => o.Object).OfType<V1NetworkPolicy>().Single(p => p.Metadata.Name == "twingate-helm-deploy");
        var egressPorts = policy.Spec.Egress.SelectMany(r => r.Ports).Select(p => $"{p.Protocol}/{p.Port.Value}").OrderBy(p => p, StringComparer.Ordinal);
        Assert.Equal(new[] { "TCP/443", "TCP/53", "UDP/53" }, egressPorts);
        Assert.Equal(new[] { "TCP/9999" }, policy.Spec.Ingress.SelectMany(r => r.Ports).Select(p => $"{p.Protocol}/{p.Port.Value}"));
        var monitor = set.Objects.Select(o => o.Object).OfType<ServiceMonitor>().Single(m => m.Metadata.Name == "twingate-helm-deploy");
        // One Service per connector, named like its Deployment (the deployer's health check goes through it); the monitor selects them all.
        var services = set.Objects.Select(o => o.Object).OfType<V1Service>().Where(s => s.Metadata.NamespaceProperty == "twingate-helm-deploy").ToList();
        Assert.Equal(deployments.Select(d => d.Metadata.Name), services.Select(s => s.Metadata.Name));
        Assert.All(services, s => Assert.All(monitor.Spec.Selector.MatchLabels, l => Assert.Equal(l.Value, s.Metadata.Labels[l.Key])));
        Assert.All(services, s => Assert.Equal("metrics", s.Spec.Ports.Single().Name));

        var values = RenderedStack.Artifact(set, "twingate-helm-deploy/values-0.yaml");
        Assert.DoesNotContain("accessToken", values);
        // The chart's values parse as YAML and carry what the Deployment carries.
        var parsed = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(values);
        var connector = (Dictionary<object, object>)parsed["connector"];
        Assert.Equal("twingate-helm-deploy-connector-0", connector["existingSecret"]);
        Assert.Equal("flatracoon", connector["network"]);
        Assert.Equal("warning", connector["logLevel"]);
        var image = (Dictionary<object, object>)parsed["image"];
        Assert.Equal(deployments[0].Spec.Template.Spec.Containers.Single().Image, $"{image["repository"]}:{image["tag"]}");
        var limits = (Dictionary<object, object>)((Dictionary<object, object>)parsed["resources"])["limits"];
        Assert.Equal(deployments[0].Spec.Template.Spec.Containers.Single().Resources.Limits["memory"].ToString(), limits["memory"]);
    }

    // ---- Observability and platform ----

    [Fact]
    public void Every_module_with_metrics_is_scraped_and_every_module_has_health_alerts()
    {
        var set = RenderedStack.Render();
        var stack = set.Stack;
        var scraped = set.Objects.Select(o => o.Object).OfType<PodMonitor>().Select(m => m.Metadata.Name)
            .Concat(set.Objects.Select(o => o.Object).OfType<ServiceMonitor>().Select(m => m.Metadata.Name))
            .OrderBy(n => n, StringComparer.Ordinal);
        var withMetrics = stack.Modules.Where(m => m.Descriptor.MetricsEndpoint is not null).Select(m => m.Name).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(withMetrics, scraped);

        var rule = set.Objects.Select(o => o.Object).OfType<PrometheusRule>().Single();
        Assert.Equal(stack.Modules.Select(m => "flatracoon." + m.Name).OrderBy(n => n, StringComparer.Ordinal), rule.Spec.Groups.Select(g => g.Name));
        Assert.All(rule.Spec.Groups, g => Assert.Contains(g.Rules, r => r.Alert == "FlatRacoonModuleReplicasUnavailable"));

        var dashboard = set.Objects.Select(o => o.Object).OfType<V1ConfigMap>().Single(c => c.Metadata.Labels.ContainsKey("grafana_dashboard"));
        var json = JsonDocument.Parse(dashboard.Data.Values.Single()).RootElement;
        Assert.Contains(json.GetProperty("panels").EnumerateArray(), p => p.GetProperty("type").GetString() == "logs");
    }

    [Fact]
    public void Pods_of_the_module_renderers_carry_loki_stream_labels()
    {
        var set = RenderedStack.Render();
        var modules = new[] { "flatracoon-os", "ipfs-overlay", "network-dashboard", "poly-k8s-mcp", "poly-observability-mcp", "poly-secret-mcp", "twingate-helm-deploy", "zerotier-k8s-link" };
        var checkedPods = 0;
        foreach (var obj in set.Objects.Where(o => modules.Contains(o.Module)))
        {
            var labels = obj.Object switch
            {
                V1Deployment d => d.Spec.Template.Metadata.Labels,
                V1StatefulSet st => st.Spec.Template.Metadata.Labels,
                V1DaemonSet ds => ds.Spec.Template.Metadata.Labels,
                V1Job j => j.Spec.Template.Metadata.Labels,
                _ => null,
            };
            if (labels is null)
            {
                continue;
            }
            foreach (var key in new[] { Labels.Name, Labels.PartOf, Labels.Module, Labels.Layer, "app.kubernetes.io/component" })
            {
                Assert.True(labels.ContainsKey(key), $"{obj.DisplayName}: pod label {key} is missing");
            }
            checkedPods++;
        }
        Assert.True(checkedPods >= 10, $"only {checkedPods} pod templates");
    }

    [Fact]
    public void Poly_k8s_mcp_writes_the_connection_the_runtime_uses_and_binds_least_privilege()
    {
        var set = RenderedStack.Render();
        var connection = Modules.PolyK8sMcp.KubernetesConnection.For(set.Stack);
        var written = JsonDocument.Parse(RenderedStack.Artifact(set, "poly-k8s-mcp/kubernetes-connection.json")).RootElement;
        Assert.Equal(connection.NamespacePrefix, written.GetProperty("namespace_prefix").GetString());
        Assert.Equal(connection.ReadOnly, written.GetProperty("read_only").GetBoolean());
        Assert.Equal(JsonValueKind.Null, written.GetProperty("kubeconfig").ValueKind);

        var clusterWide = set.Objects.Select(o => o.Object).OfType<V1ClusterRoleBinding>().Where(b => b.Subjects.Any(s => s.Name == "poly-k8s-mcp")).ToList();
        Assert.Equal(new[] { "view" }, clusterWide.Select(b => b.RoleRef.Name));
        var edits = set.Objects.Select(o => o.Object).OfType<V1RoleBinding>().Where(b => b.RoleRef.Name == "edit").Select(b => b.Metadata.NamespaceProperty).ToList();
        Assert.Equal(set.Stack.Modules.Select(m => m.Namespace).Distinct().OrderBy(n => n, StringComparer.Ordinal), edits);
        Assert.DoesNotContain(set.Objects.Select(o => o.Object).OfType<V1ClusterRoleBinding>(), b => b.RoleRef.Name == "cluster-admin");
    }

    [Fact]
    public void The_dashboard_reads_the_status_endpoint_across_namespaces()
    {
        var set = RenderedStack.Render();
        var deployment = set.Objects.Select(o => o.Object).OfType<V1Deployment>().Single(d => d.Metadata.Name == "network-dashboard");
        var env = deployment.Spec.Template.Spec.Containers.Single().Env.Single(e => e.Name == "FLATRACOON_STATUS_ENDPOINT");
        Assert.Equal("http://poly-observability-mcp.poly-observability-mcp.svc:8080/status", env.Value);
        var service = set.Objects.Select(o => o.Object).OfType<V1Service>().Single(s => s.Metadata.Name == "poly-observability-mcp");
        Assert.Contains(service.Spec.Ports, p => p.Port == 8080);
        var policy = set.Objects.Select(o => o.Object).OfType<V1NetworkPolicy>().Single(p => p.Metadata.Name == "network-dashboard");
        Assert.Equal("poly-observability-mcp", policy.Spec.Egress[0].To.Single().NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
    }

    [Fact]
    public void Flatracoon_os_renders_an_ignition_v3_config_per_role()
    {
        var set = RenderedStack.Render();
        foreach (var role in new[] { "control-plane", "worker" })
        {
            var ignition = JsonDocument.Parse(RenderedStack.Artifact(set, $"flatracoon-os/ignition-{role}.json")).RootElement;
            Assert.StartsWith("3.", ignition.GetProperty("ignition").GetProperty("version").GetString());
            var files = ignition.GetProperty("storage").GetProperty("files").EnumerateArray()
                .ToDictionary(f => f.GetProperty("path").GetString()!, f => Uri.UnescapeDataString(f.GetProperty("contents").GetProperty("source").GetString()!["data:,".Length..]));
            Assert.Contains("net.ipv6.conf.all.forwarding = 1", files["/etc/sysctl.d/90-flatracoon-ipv6.conf"]);
            Assert.Contains("/var/lib/zerotier-one/networks.d/f1a7c0de00f10003.conf", files.Keys);
            Assert.Contains($"\"role\": \"{role}\"", files["/etc/flatracoon/node-role.json"]);
            Assert.Contains("days = [ \"Sun\" ]", files["/etc/zincati/config.d/55-flatracoon-updates.toml"]);
        }
        var runtimeClass = set.Objects.Select(o => o.Object).OfType<V1RuntimeClass>().Single();
        Assert.Equal("true", runtimeClass.Scheduling.NodeSelector["flatracoon.io/os"]);
    }
}

using System.Collections.Generic;
using System.Linq;
using FlatRacoon.Rendering;
using k8s.Models;

namespace FlatRacoon.Modules;

/// <summary>Objects the network modules share: service accounts, ConfigMaps of artifacts, IPv6-aware Services.</summary>
internal static class NetworkObjects
{
    public static V1ServiceAccount ServiceAccount(string name) => new()
    {
        ApiVersion = "v1",
        Kind = "ServiceAccount",
        Metadata = new V1ObjectMeta { Name = name },
        AutomountServiceAccountToken = false,
    };

    /// <summary>
    /// A ConfigMap holding <paramref name="files"/>, each also added as an artifact, and with
    /// <paramref name="withSettings"/> the module's settings as <c>config.json</c> (no artifact: the
    /// ConfigMap in the module's YAML file shows them, like the baseline's).
    /// </summary>
    public static V1ConfigMap ConfigMapWithArtifacts(ModuleRenderContext context, string name, IEnumerable<(string File, string Content)> files, bool withSettings = false)
    {
        var data = new Dictionary<string, string>();
        if (withSettings)
        {
            data[WorkloadRenderer.ConfigFileName] = context.ConfigText;
        }
        foreach (var (file, content) in files)
        {
            context.AddArtifact(file, content);
            data[file] = content;
        }
        return context.Add(new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta { Name = name },
            Data = Labels.Sorted(data),
        });
    }

    /// <summary>
    /// A Service that is single-stack IPv6 whenever the stack is IPv6-only (and left to the
    /// cluster default otherwise), so no module of ours can render an IPv4 Service there.
    /// </summary>
    public static V1Service Service(ModuleRenderContext context, string name, IEnumerable<V1ServicePort> ports, bool headless = false, IDictionary<string, string>? selector = null)
    {
        var service = new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1ServiceSpec
            {
                ClusterIP = headless ? "None" : null,
                Selector = selector ?? context.SelectorLabels,
                Ports = ports.ToList(),
            },
        };
        Ipv6Services.Enforce(context.Stack, service);
        return service;
    }

    public static V1SecurityContext RestrictedContainer(long user, params string[] addCapabilities) => new()
    {
        AllowPrivilegeEscalation = false,
        ReadOnlyRootFilesystem = true,
        RunAsNonRoot = true,
        RunAsUser = user,
        RunAsGroup = user,
        Capabilities = new V1Capabilities
        {
            Drop = new List<string> { "ALL" },
            Add = addCapabilities.Length == 0 ? null : addCapabilities.ToList(),
        },
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };
}

/// <summary>The IPv6-only rule for Services: single-stack IPv6 in an IPv6-only stack.</summary>
public static class Ipv6Services
{
    /// <summary>
    /// Makes <paramref name="service"/> single-stack IPv6 when <paramref name="stack"/> is IPv6-only
    /// (ipFamilyPolicy SingleStack, ipFamilies [IPv6]) and returns it.
    /// </summary>
    public static V1Service Enforce(Stack stack, V1Service service)
    {
        if (stack.Environment.Ipv6Only)
        {
            service.Spec ??= new V1ServiceSpec();
            service.Spec.IpFamilyPolicy = "SingleStack";
            service.Spec.IpFamilies = new List<string> { "IPv6" };
        }
        return service;
    }

    /// <summary>Whether a Service is single-stack IPv6.</summary>
    public static bool IsSingleStackIpv6(V1Service service) =>
        service.Spec is { IpFamilyPolicy: "SingleStack", IpFamilies: { Count: 1 } families } && families[0] == "IPv6";
}

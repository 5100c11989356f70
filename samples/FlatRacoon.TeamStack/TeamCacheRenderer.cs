using System.Collections.Generic;
using System.Globalization;
using FlatRacoon.Rendering;
using k8s.Models;

namespace FlatRacoon.TeamStack;

/// <summary>The team's renderer for team-cache: a ConfigMap with the cache settings and a Deployment that mounts it.</summary>
public sealed class TeamCacheRenderer : IModuleRenderer
{
    /// <inheritdoc />
    public void Render(ModuleRenderContext context)
    {
        var name = context.Module.Name;
        var replicas = context.Setting("replicas")?.GetInt32() ?? 1;
        var memory = context.Setting("max_memory")?.GetString() ?? "64mb";
        context.Add(new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta { Name = name + "-settings" },
            Data = new Dictionary<string, string> { ["cache.conf"] = $"maxmemory {memory}\nmaxmemory-policy allkeys-lru\n" },
        });
        var image = context.Module.Descriptor.Image!;
        context.Add(new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = context.SelectorLabels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = context.SelectorLabels },
                    Spec = new V1PodSpec
                    {
                        SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, RunAsUser = 65532, SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } },
                        Containers = new List<V1Container>
                        {
                            new()
                            {
                                Name = "cache",
                                Image = image.ToString(),
                                Args = new List<string> { "/etc/cache/cache.conf" },
                                Ports = new List<V1ContainerPort> { new() { Name = "cache", ContainerPort = 6380 } },
                                Env = new List<V1EnvVar> { new() { Name = "CACHE_REPLICAS", Value = replicas.ToString(CultureInfo.InvariantCulture) } },
                                SecurityContext = new V1SecurityContext
                                {
                                    AllowPrivilegeEscalation = false,
                                    ReadOnlyRootFilesystem = true,
                                    Capabilities = new V1Capabilities { Drop = new List<string> { "ALL" } },
                                },
                                VolumeMounts = new List<V1VolumeMount> { new() { Name = "settings", MountPath = "/etc/cache" } },
                            },
                        },
                        Volumes = new List<V1Volume> { new() { Name = "settings", ConfigMap = new V1ConfigMapVolumeSource { Name = name + "-settings" } } },
                    },
                },
            },
        });
    }
}

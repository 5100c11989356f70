using System.Collections.Generic;
using System.Linq;
using FlatRacoon.Rendering;
using k8s.Models;

namespace FlatRacoon.Modules;

/// <summary>
/// The generic <see cref="WorkloadRenderer"/> output of a module, made reachable for the module
/// renderers that extend it: its pod template gains the Loki stream labels (module, layer,
/// component).
/// </summary>
internal sealed class Baseline
{
    private Baseline(V1ConfigMap config, V1PodTemplateSpec template)
    {
        Config = config;
        Template = template;
    }

    /// <summary>The module's configuration ConfigMap.</summary>
    public V1ConfigMap Config { get; }
    /// <summary>The main workload's pod template.</summary>
    public V1PodTemplateSpec Template { get; }
    /// <summary>The main container.</summary>
    public V1Container Container => Template.Spec.Containers[0];

    /// <summary>Renders the baseline into <paramref name="context"/>.</summary>
    public static Baseline Render(ModuleRenderContext context)
    {
        var before = context.Objects.Count;
        new WorkloadRenderer().Render(context);
        var added = context.Objects.Skip(before).ToList();
        var config = added.OfType<V1ConfigMap>().First();
        var template = added.Select(o => o switch
        {
            V1Deployment d => d.Spec.Template,
            V1StatefulSet s => s.Spec.Template,
            V1DaemonSet ds => ds.Spec.Template,
            _ => null,
        }).First(t => t is not null)!;
        template.Metadata.Labels = Pods.PodLabels(context, "server");
        return new Baseline(config, template);
    }

    /// <summary>Adds <paramref name="key"/> to the configuration ConfigMap and refreshes the pod's config hash.</summary>
    public void AddConfigFile(string key, string content)
    {
        Config.Data[key] = content;
        Template.Metadata.Annotations["flatracoon.io/config-sha256"] =
            ConfigJson.Sha256(string.Join("\n", Config.Data.OrderBy(d => d.Key, System.StringComparer.Ordinal).Select(d => d.Key + "=" + d.Value)));
    }

    /// <summary>Adds an environment variable to the main container, keeping names in ordinal order.</summary>
    public void AddEnv(V1EnvVar variable)
    {
        var env = Container.Env ?? new List<V1EnvVar>();
        env.Add(variable);
        Container.Env = env.OrderBy(e => e.Name, System.StringComparer.Ordinal).ToList();
    }
}

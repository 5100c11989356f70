using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using FlatRacoon.Rendering;
using k8s;
using k8s.Models;
using Xunit;

namespace FlatRacoon.Samples.Tests;

/// <summary>The sample stack's render and helpers to look into it.</summary>
internal static class RenderedStack
{
    /// <summary>The sample stack rendered in process.</summary>
    public static ManifestSet Render() => StackRenderer.Render(NetStack.Create().Build());

    /// <summary>The sample stack rendered in process for environment <paramref name="environment"/>.</summary>
    public static ManifestSet Render(string environment) => StackRenderer.Render(NetStack.Create(NetStack.Environment(environment)).Build());

    /// <summary>The three environments of configs/environments.ncl.</summary>
    public static TheoryData<string> Environments => new() { "development", "staging", "production" };

    /// <summary>The text of artifact <paramref name="path"/>.</summary>
    public static string Artifact(ManifestSet set, string path) =>
        set.Artifacts.Single(a => a.RelativePath == path).Content;

    /// <summary>Every pod template (or Job pod) of the render with the object that carries it.</summary>
    public static IEnumerable<(RenderedObject Owner, V1PodSpec Pod, IDictionary<string, string>? Annotations)> Pods(ManifestSet set)
    {
        foreach (var obj in set.Objects)
        {
            V1PodTemplateSpec? template = obj.Object switch
            {
                V1Deployment d => d.Spec.Template,
                V1StatefulSet s => s.Spec.Template,
                V1DaemonSet ds => ds.Spec.Template,
                V1Job j => j.Spec.Template,
                _ => null,
            };
            if (template is not null)
            {
                yield return (obj, template.Spec, template.Metadata?.Annotations);
            }
        }
    }

    /// <summary>Every container (init containers included) of a pod.</summary>
    public static IEnumerable<V1Container> Containers(V1PodSpec pod) =>
        (pod.InitContainers ?? new List<V1Container>()).Concat(pod.Containers);

    /// <summary>A config stack of the sample with some settings replaced (for secret-reference tests).</summary>
    public static StackBuilder WithSettings(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> replacements)
    {
        var source = NetStack.Create();
        var builder = StackBuilder.Create(NetStack.Name, source.Environment);
        var added = new Dictionary<string, ModuleResource<PatchedConfig>>(StringComparer.Ordinal);
        foreach (var module in source.Modules)
        {
            var instance = module.ToInstance();
            var patches = replacements.TryGetValue(module.Descriptor.Name, out var p) ? p : new Dictionary<string, string>();
            added[module.Descriptor.Name] = builder.AddModule(module.Descriptor, new PatchedConfig(instance.Config, patches)).WithNamespace(instance.Namespace);
        }
        foreach (var module in source.Modules)
        {
            var resource = added[module.Descriptor.Name];
            foreach (var (role, target) in module.Bindings)
            {
                resource.BindTo(role, added[target]);
            }
            foreach (var dependency in module.ExplicitDependencies)
            {
                resource.WaitFor(added[dependency]);
            }
        }
        return builder;
    }

    /// <summary>A module configuration with top-level string settings replaced.</summary>
    internal sealed class PatchedConfig : IModuleConfig
    {
        private readonly IModuleConfig _inner;
        private readonly IReadOnlyDictionary<string, string> _patches;

        public PatchedConfig(IModuleConfig inner, IReadOnlyDictionary<string, string> patches)
        {
            _inner = inner;
            _patches = patches;
        }

        public void WriteJson(Utf8JsonWriter writer)
        {
            var original = ConfigJson.ToElement(_inner);
            writer.WriteStartObject();
            foreach (var property in original.EnumerateObject())
            {
                if (_patches.TryGetValue(property.Name, out var value))
                {
                    writer.WriteString(property.Name, value);
                }
                else
                {
                    property.WriteTo(writer);
                }
            }
            writer.WriteEndObject();
        }
    }
}

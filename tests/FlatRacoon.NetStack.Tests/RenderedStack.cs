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

    /// <summary>The sample with some settings replaced (for secret-reference tests).</summary>
    public static StackBuilder WithSettings(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> replacements) =>
        Testing.SampleWithSettings.Create(replacements);
}

using System.Collections.Immutable;
using System.Linq;
using k8s;
using k8s.Models;

namespace FlatRacoon.Rendering;

/// <summary>A Kubernetes object of the render, with the wave it is applied in and the file that holds it.</summary>
/// <param name="Module">The module that owns it, or <see cref="ManifestSet.StackFolder"/> for stack-wide objects.</param>
/// <param name="Wave">Apply wave: 0 holds namespaces and the ApplySet parent; module waves follow.</param>
/// <param name="RelativePath">
/// The YAML file that holds it inside the output directory: <c>&lt;module&gt;.yaml</c>, shared by
/// every object of the module (<c>_stack.yaml</c> for the stack-wide ones).
/// </param>
/// <param name="Object">The object.</param>
public sealed record RenderedObject(string Module, int Wave, string RelativePath, IKubernetesObject<V1ObjectMeta> Object)
{
    /// <summary><c>Kind/namespace/name</c>, for messages.</summary>
    public string DisplayName => Object.Metadata.NamespaceProperty is { } ns
        ? $"{Object.Kind} {ns}/{Object.Metadata.Name}"
        : $"{Object.Kind} {Object.Metadata.Name}";
}

/// <summary>A text file of the render (a daemon's configuration, a zone file), beside the objects that use it.</summary>
/// <param name="Module">The module that owns it.</param>
/// <param name="RelativePath">Stable path inside the output directory ('/' separated).</param>
/// <param name="Content">The text; never a secret value.</param>
public sealed record Artifact(string Module, string RelativePath, string Content);

/// <summary>Everything a stack renders to, in apply order.</summary>
public sealed class ManifestSet
{
    /// <summary>Module name of the stack-wide objects (their file is <c>_stack.yaml</c>); modules are DNS labels and never start with '_'.</summary>
    public const string StackFolder = "_stack";

    internal ManifestSet(Stack stack, ImmutableArray<RenderedObject> objects, ImmutableArray<Artifact> artifacts, string applySetId)
    {
        Stack = stack;
        Objects = objects;
        Artifacts = artifacts;
        ApplySetId = applySetId;
    }

    /// <summary>The stack rendered.</summary>
    public Stack Stack { get; }
    /// <summary>Objects in apply order: by wave, then module, then the order the module rendered them.</summary>
    public ImmutableArray<RenderedObject> Objects { get; }
    /// <summary>Text artifacts.</summary>
    public ImmutableArray<Artifact> Artifacts { get; }
    /// <summary>The ApplySet id (KEP-3659) every object is labelled with.</summary>
    public string ApplySetId { get; }
    /// <summary>Number of waves (wave 0 included).</summary>
    public int WaveCount => Objects.IsEmpty ? 0 : Objects.Max(o => o.Wave) + 1;
}

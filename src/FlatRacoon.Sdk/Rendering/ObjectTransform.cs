using System;
using k8s;
using k8s.Models;

namespace FlatRacoon.Rendering;

/// <summary>
/// Patches one rendered object (the idea of cdk8s <c>addJsonPatch</c> and Pulumi transformations).
/// Transforms run on every module object after its renderer and before the stack's labels, the
/// ApplySet membership, the content hashes and the revision, so <c>plan</c> shows their effect and
/// they cannot remove the labels pruning depends on. They run in the order they were added.
/// </summary>
/// <param name="context">The object and where it comes from; set <see cref="ObjectTransformContext.Object"/> to replace it.</param>
public delegate void ObjectTransform(ObjectTransformContext context);

/// <summary>What an <see cref="ObjectTransform"/> sees.</summary>
public sealed class ObjectTransformContext
{
    private IKubernetesObject<V1ObjectMeta> _object;

    internal ObjectTransformContext(Stack stack, ModuleInstance module, IKubernetesObject<V1ObjectMeta> obj)
    {
        Stack = stack;
        Module = module;
        _object = obj;
    }

    /// <summary>The stack being rendered.</summary>
    public Stack Stack { get; }
    /// <summary>The module that rendered the object.</summary>
    public ModuleInstance Module { get; }

    /// <summary>The object: change it in place, or set another object of the same kind and name.</summary>
    public IKubernetesObject<V1ObjectMeta> Object
    {
        get => _object;
        set
        {
            if (value is null || value.Metadata?.Name is null)
            {
                throw new ArgumentException("A transform must leave an object with metadata and a name.", nameof(value));
            }
            _object = value;
        }
    }
}

/// <summary>Ready-made <see cref="ObjectTransform"/>s.</summary>
public static class ObjectTransforms
{
    /// <summary>
    /// Patches every object of type <typeparamref name="T"/>, optionally only those of one module
    /// and one name: <c>ObjectTransforms.For&lt;V1Deployment&gt;(d =&gt; d.Spec.Replicas = 2, module: "ipfs-overlay")</c>.
    /// </summary>
    public static ObjectTransform For<T>(Action<T> patch, string? module = null, string? name = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (patch is null)
        {
            throw new ArgumentNullException(nameof(patch));
        }
        return context =>
        {
            if (context.Object is T typed
                && (module is null || context.Module.Name == module)
                && (name is null || typed.Metadata.Name == name))
            {
                patch(typed);
            }
        };
    }
}

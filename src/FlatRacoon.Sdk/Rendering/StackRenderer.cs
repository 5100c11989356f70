using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;

namespace FlatRacoon.Rendering;

/// <summary>
/// Renders a stack to a <see cref="ManifestSet"/>: wave 0 holds the namespaces and the ApplySet
/// parent, then each module wave of the graph follows. Every object gets the stack's labels and
/// its ApplySet membership. Pure: the same stack always gives the same set.
/// </summary>
public static class StackRenderer
{
    /// <summary>Namespace of the stack-wide objects (the ApplySet parent).</summary>
    public const string SystemNamespace = "flatracoon-system";
    /// <summary>Written into the ApplySet tooling annotation.</summary>
    public const string Tooling = "flatracoon/v0.1.0";

    /// <summary>Renders <paramref name="stack"/>; throws <see cref="StackValidationException"/> when its topology is invalid.</summary>
    public static ManifestSet Render(Stack stack, ModuleRenderers? renderers = null) => Render(stack, renderers, null);

    /// <summary>
    /// Renders <paramref name="stack"/> with <paramref name="renderers"/>, then runs
    /// <paramref name="transforms"/> on every module object before the stack's labels and ApplySet
    /// membership are set (so they cannot remove them); throws <see cref="StackValidationException"/>
    /// when the topology is invalid.
    /// </summary>
    public static ManifestSet Render(Stack stack, ModuleRenderers? renderers, System.Collections.Generic.IReadOnlyList<ObjectTransform>? transforms)
    {
        if (stack.Issues.Count > 0)
        {
            throw new StackValidationException(stack.Name, stack.Issues);
        }
        renderers ??= ModuleRenderers.Default;

        var parentName = stack.Name + "-applyset";
        var applySetId = ApplySetId(parentName, SystemNamespace, "ConfigMap", "");
        var objects = new List<RenderedObject>();
        var artifacts = new List<Artifact>();
        var namespaces = new List<RenderedObject>();
        var seenNamespaces = new HashSet<string>(StringComparer.Ordinal) { SystemNamespace };

        // Modules render in wave order; stack-wide renderers run after all others (they read the
        // rest of the stack's output), yet every module's objects keep their wave and place.
        var modulesInOrder = stack.Waves.SelectMany((wave, w) => wave.Select(module => (Module: module, Wave: w + 1))).ToList();
        var rendered = new Dictionary<string, (ModuleRenderContext Context, List<RenderedObject> Objects)>(StringComparer.Ordinal);
        var stackObjects = new List<RenderedObject>();
        foreach (var stackWide in new[] { false, true })
        {
            foreach (var (module, wave) in modulesInOrder)
            {
                var renderer = renderers.For(module.Name);
                if (renderer is IStackWideRenderer != stackWide)
                {
                    continue;
                }
                var context = new ModuleRenderContext(stack, module, wave);
                if (stackWide)
                {
                    context.StackObjects = stackObjects.ToArray();
                }
                renderer.Render(context);
                var placed = context.TakeObjects().Select(obj => Place(stack, module, wave, Transform(stack, module, obj, transforms), applySetId)).ToList();
                stackObjects.AddRange(placed);
                rendered[module.Name] = (context, placed);
            }
        }

        // Access pass: modules whose programs read other modules' objects grant those reads by
        // name, now that every object and artifact of the stack is known.
        var allArtifacts = modulesInOrder
            .SelectMany(m => rendered[m.Module.Name].Context.Artifacts.Select(a => new Artifact(m.Module.Name, $"{m.Module.Name}/{a.FileName}", a.Content)))
            .ToArray();
        var everything = stackObjects.ToArray();
        foreach (var (module, wave) in modulesInOrder)
        {
            if (renderers.For(module.Name) is IAccessRenderer access)
            {
                var (context, placed) = rendered[module.Name];
                var before = context.Objects.Count;
                context.StackObjects = everything;
                context.StackArtifacts = allArtifacts;
                access.RenderAccess(context);
                placed.AddRange(context.TakeObjects().Skip(before).Select(obj => Place(stack, module, wave, Transform(stack, module, obj, transforms), applySetId)));
            }
        }

        foreach (var (module, _) in modulesInOrder)
        {
            var (context, placed) = rendered[module.Name];
            if (seenNamespaces.Add(module.Namespace))
            {
                namespaces.Add(Place(stack, module, 0, new V1Namespace
                {
                    ApiVersion = "v1",
                    Kind = "Namespace",
                    Metadata = new V1ObjectMeta
                    {
                        Name = module.Namespace,
                        Labels = Labels.Sorted(new Dictionary<string, string>
                        {
                            ["pod-security.kubernetes.io/enforce"] = context.PodSecurityLevel,
                            ["pod-security.kubernetes.io/warn"] = "restricted",
                            ["pod-security.kubernetes.io/audit"] = "restricted",
                        }),
                    },
                }, applySetId));
            }
            objects.AddRange(placed);
            foreach (var (fileName, content) in context.Artifacts)
            {
                artifacts.Add(new Artifact(module.Name, $"{module.Name}/{fileName}", content));
            }
        }

        var members = namespaces.Concat(objects).ToList();
        var systemNamespace = PlaceStack(stack, new V1Namespace
        {
            ApiVersion = "v1",
            Kind = "Namespace",
            Metadata = new V1ObjectMeta
            {
                Name = SystemNamespace,
                Labels = Labels.Sorted(new Dictionary<string, string> { ["pod-security.kubernetes.io/enforce"] = "restricted" }),
            },
        });
        var parent = PlaceStack(stack, ApplySetParent(stack, parentName, applySetId, members));
        var ordered = new List<RenderedObject> { systemNamespace, parent };
        ordered.AddRange(members);
        CheckUnique(ordered);
        return new ManifestSet(stack, ordered.ToImmutableArray(), artifacts.ToImmutableArray(), applySetId);
    }

    private static IKubernetesObject<V1ObjectMeta> Transform(Stack stack, ModuleInstance module, IKubernetesObject<V1ObjectMeta> obj, IReadOnlyList<ObjectTransform>? transforms)
    {
        if (transforms is not { Count: > 0 })
        {
            return obj;
        }
        var context = new ObjectTransformContext(stack, module, obj);
        foreach (var transform in transforms)
        {
            transform(context);
        }
        return context.Object;
    }

    /// <summary>
    /// The ApplySet id of KEP-3659: <c>applyset-</c> + unpadded base64url of
    /// SHA-256(<c>name.namespace.kind.group</c>) + <c>-v1</c>.
    /// </summary>
    public static string ApplySetId(string name, string @namespace, string kind, string group)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{name}.{@namespace}.{kind}.{group}"));
        var encoded = Convert.ToBase64String(hash).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"applyset-{encoded}-v1";
    }

    private static V1ConfigMap ApplySetParent(Stack stack, string name, string id, List<RenderedObject> members)
    {
        var groupKinds = members
            .Select(m => GroupOf(m.Object.ApiVersion) is { Length: > 0 } g ? $"{m.Object.Kind}.{g}" : m.Object.Kind)
            .Distinct(StringComparer.Ordinal)
            .OrderBy(k => k, StringComparer.Ordinal);
        var namespaces = members
            .Select(m => m.Object.Metadata.NamespaceProperty)
            .Where(ns => ns is not null && ns != SystemNamespace)
            .Distinct(StringComparer.Ordinal)
            .OrderBy(ns => ns, StringComparer.Ordinal);
        return new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = SystemNamespace,
                Labels = Labels.Sorted(new Dictionary<string, string> { [Labels.ApplySetId] = id }),
                Annotations = Labels.Sorted(new Dictionary<string, string>
                {
                    [Labels.ApplySetTooling] = Tooling,
                    [Labels.ApplySetContainsGroupKinds] = string.Join(",", groupKinds),
                    [Labels.ApplySetAdditionalNamespaces] = string.Join(",", namespaces),
                }),
            },
            Data = Labels.Sorted(new Dictionary<string, string>
            {
                ["environment"] = stack.Environment.Name,
                ["stack"] = stack.Name,
            }),
        };
    }

    private static string GroupOf(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/');
        return slash < 0 ? "" : apiVersion[..slash];
    }

    private static RenderedObject Place(Stack stack, ModuleInstance module, int wave, IKubernetesObject<V1ObjectMeta> obj, string applySetId)
    {
        var labels = Labels.Sorted(obj.Metadata.Labels);
        labels[Labels.ManagedBy] = "flatracoon";
        labels[Labels.PartOf] = stack.Name;
        labels[Labels.Name] = module.Name;
        labels[Labels.Version] = module.Descriptor.Version;
        labels[Labels.Module] = module.Name;
        labels[Labels.Layer] = module.Descriptor.Layer.ToString().ToLowerInvariant();
        labels[Labels.ApplySetPartOf] = applySetId;
        obj.Metadata.Labels = labels;
        var annotations = Labels.Sorted(obj.Metadata.Annotations);
        annotations[Labels.Wave] = wave.ToString(CultureInfo.InvariantCulture);
        obj.Metadata.Annotations = annotations;
        return new RenderedObject(module.Name, wave, module.Name + ".yaml", obj);
    }

    private static RenderedObject PlaceStack(Stack stack, IKubernetesObject<V1ObjectMeta> obj)
    {
        var labels = Labels.Sorted(obj.Metadata.Labels);
        labels[Labels.ManagedBy] = "flatracoon";
        labels[Labels.PartOf] = stack.Name;
        obj.Metadata.Labels = labels;
        var annotations = Labels.Sorted(obj.Metadata.Annotations);
        annotations[Labels.Wave] = "0";
        obj.Metadata.Annotations = annotations;
        return new RenderedObject(ManifestSet.StackFolder, 0, ManifestSet.StackFolder + ".yaml", obj);
    }

    // A module renders an object (kind, namespace, name) once; it would otherwise be applied twice.
    private static void CheckUnique(List<RenderedObject> objects)
    {
        var taken = new HashSet<(string, string, string?, string)>();
        foreach (var obj in objects)
        {
            if (!taken.Add((obj.Module, obj.Object.Kind, obj.Object.Metadata.NamespaceProperty, obj.Object.Metadata.Name)))
            {
                throw new InvalidOperationException($"Module '{obj.Module}' rendered {obj.DisplayName} twice.");
            }
        }
    }
}

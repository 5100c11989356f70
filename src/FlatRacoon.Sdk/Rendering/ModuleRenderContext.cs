using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace FlatRacoon.Rendering;

/// <summary>
/// What a module renderer gets: its module, the stack around it, and a place to put objects and
/// artifacts. Labels, namespaces and file names are filled in here so renderers cannot forget them.
/// </summary>
public sealed class ModuleRenderContext
{
    private static readonly HashSet<string> ClusterScopedKinds = new(StringComparer.Ordinal)
    {
        "Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding", "RuntimeClass",
        "PriorityClass", "StorageClass", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
        "ClusterSecretStore",
    };

    private readonly List<IKubernetesObject<V1ObjectMeta>> _objects = new();
    private readonly List<(string FileName, string Content)> _artifacts = new();

    internal ModuleRenderContext(Stack stack, ModuleInstance module, int wave)
    {
        Stack = stack;
        Module = module;
        Wave = wave;
        ConfigText = ConfigJson.ToText(module.Config);
        using var document = JsonDocument.Parse(ConfigText);
        Config = document.RootElement.Clone();
    }

    /// <summary>The stack being rendered.</summary>
    public Stack Stack { get; }
    /// <summary>The module being rendered.</summary>
    public ModuleInstance Module { get; }
    /// <summary>The module's apply wave (1 and up; wave 0 holds namespaces).</summary>
    public int Wave { get; }
    /// <summary>The module's configuration as the text of <see cref="ConfigJson.ToText"/> (made once per module).</summary>
    internal string ConfigText { get; }
    /// <summary>The module's configuration as JSON (snake_case keys, secret references as URIs).</summary>
    public JsonElement Config { get; }
    /// <summary>The Pod Security Standard enforced on the module's namespace; raise it only with a documented reason.</summary>
    public string PodSecurityLevel { get; set; } = "restricted";

    /// <summary>Labels that select the module's pods (stable across versions).</summary>
    public IDictionary<string, string> SelectorLabels => Labels.Sorted(new Dictionary<string, string>
    {
        [Labels.Name] = Module.Name,
        [Labels.PartOf] = Stack.Name,
    });

    /// <summary>
    /// For an <see cref="IStackWideRenderer"/>: the objects every other module rendered (and the
    /// stack-wide renderers before it); empty for other renderers.
    /// </summary>
    public IReadOnlyList<RenderedObject> StackObjects { get; internal set; } = Array.Empty<RenderedObject>();

    /// <summary>For an <see cref="IAccessRenderer"/>'s access pass: every artifact of the stack (module, path, content).</summary>
    internal IReadOnlyList<Artifact> StackArtifacts { get; set; } = Array.Empty<Artifact>();

    /// <summary>Objects added so far.</summary>
    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects => _objects;
    /// <summary>Artifacts added so far (file name, content).</summary>
    public IReadOnlyList<(string FileName, string Content)> Artifacts => _artifacts;

    /// <summary>Adds an object; fills in its namespace (when namespaced) and the module's labels.</summary>
    public T Add<T>(T obj) where T : IKubernetesObject<V1ObjectMeta>
    {
        obj.Metadata ??= new V1ObjectMeta();
        if (string.IsNullOrEmpty(obj.Metadata.Name))
        {
            throw new InvalidOperationException($"Module '{Module.Name}' rendered a {obj.Kind} without a name.");
        }
        if (!IsClusterScoped(obj.Kind) && string.IsNullOrEmpty(obj.Metadata.NamespaceProperty))
        {
            obj.Metadata.NamespaceProperty = Module.Namespace;
        }
        _objects.Add(obj);
        return obj;
    }

    /// <summary>Adds a text artifact, written next to the module's objects.</summary>
    public void AddArtifact(string fileName, string content)
    {
        if (fileName.Contains('/') || fileName.Contains('\\') || fileName.StartsWith('.'))
        {
            throw new ArgumentException($"Artifact name '{fileName}' must be a plain file name.", nameof(fileName));
        }
        _artifacts.Add((fileName, content.Replace("\r\n", "\n", StringComparison.Ordinal)));
    }

    /// <summary>True for kinds that live outside namespaces.</summary>
    public static bool IsClusterScoped(string kind) => ClusterScopedKinds.Contains(kind);

    /// <summary>A config value by path (<c>resources.limits.cpu</c>), or null.</summary>
    public JsonElement? Setting(string path)
    {
        var current = Config;
        foreach (var part in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }
        return current;
    }

    internal ImmutableArray<IKubernetesObject<V1ObjectMeta>> TakeObjects() => _objects.ToImmutableArray();
}

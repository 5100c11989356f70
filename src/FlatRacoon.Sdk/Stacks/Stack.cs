using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using FlatRacoon.Stacks.Rules;

namespace FlatRacoon;

/// <summary>A module of a frozen stack: its manifest, configuration and namespace.</summary>
public sealed record ModuleInstance(ModuleDescriptor Descriptor, IModuleConfig Config, string Namespace)
{
    /// <summary>The binding role of an overlay network (see <c>ModuleResource.WithOverlay</c>).</summary>
    public const string OverlayRole = "overlay";

    /// <summary>Module name.</summary>
    public string Name => Descriptor.Name;

    /// <summary>Modules this one is bound to, by role.</summary>
    public ImmutableSortedDictionary<string, string> Bindings { get; init; } = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Modules this one was told to wait for (<c>WaitFor</c>, <c>BindTo</c>), besides those its capabilities resolve to.</summary>
    public ImmutableSortedSet<string> ExplicitDependencies { get; init; } = ImmutableSortedSet<string>.Empty.WithComparer(StringComparer.Ordinal);

    /// <summary>Where the module was added (its Add call), when known.</summary>
    public SourceLocation DeclaredAt { get; init; }

    /// <summary>Where its configuration was last set (the Add call or the last <c>WithConfig</c>), when known.</summary>
    public SourceLocation ConfiguredAt { get; init; }

    /// <summary>Where it was told to wait for each module it depends on explicitly.</summary>
    public ImmutableSortedDictionary<string, WaitDeclaration> Waits { get; init; } = ImmutableSortedDictionary<string, WaitDeclaration>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>The namespace a module renders into unless told otherwise.</summary>
    public static string DefaultNamespace(string module) => module;
}

/// <summary>
/// An immutable stack: its modules, their dependency graph and deployment waves. Created by
/// <see cref="StackBuilder.Build"/>; everything downstream (render, plan, apply) reads it.
/// </summary>
public sealed class Stack
{
    internal Stack(string name, StackEnvironment environment, ImmutableArray<ModuleInstance> modules, DependencyGraph graph, ImmutableArray<string> externalCapabilities)
    {
        Name = name;
        Environment = environment;
        Graph = graph;
        ExternalCapabilities = externalCapabilities;
        var byName = new Dictionary<string, ModuleInstance>(StringComparer.Ordinal);
        foreach (var module in modules)
        {
            byName.TryAdd(module.Name, module);
        }
        Modules = modules;
        // Modules in deployment order: by wave, then by name.
        Waves = graph.Waves.Select(w => w.Select(n => byName[n]).ToImmutableArray()).ToImmutableArray();
    }

    /// <summary>Stack name.</summary>
    public string Name { get; }
    /// <summary>Where the stack was created (<c>StackBuilder.Create</c>), when known.</summary>
    public SourceLocation DeclaredAt { get; init; }
    /// <summary>The environment the stack is configured for.</summary>
    public StackEnvironment Environment { get; }
    /// <summary>Modules in declaration order.</summary>
    public ImmutableArray<ModuleInstance> Modules { get; }
    /// <summary>Modules grouped by deployment wave.</summary>
    public ImmutableArray<ImmutableArray<ModuleInstance>> Waves { get; }
    /// <summary>The dependency graph (internal: the public view is <see cref="DependenciesOf"/>, <see cref="ProvidersOf"/>, <see cref="WaveOf"/>).</summary>
    internal DependencyGraph Graph { get; }
    /// <summary>Capabilities the cluster provides.</summary>
    public ImmutableArray<string> ExternalCapabilities { get; }

    /// <summary>
    /// What makes the topology impossible to deploy (missing providers, cycles, duplicates), each at
    /// its declaring line; a stack from <see cref="StackBuilder.Build"/> has none. Every other rule:
    /// <see cref="StackValidation.Validate"/>.
    /// </summary>
    public IReadOnlyList<StackFinding> Issues => _issues ??= StackRules.GraphFindings(this);
    private IReadOnlyList<StackFinding>? _issues;

    /// <summary>The modules <paramref name="module"/> depends on (through its capabilities, bindings and waits), ordinal order.</summary>
    public IReadOnlyCollection<string> DependenciesOf(string module) => Graph.DependenciesOf(module);

    /// <summary>The modules of this stack that provide <paramref name="capability"/>, ordinal order.</summary>
    public IReadOnlyList<string> ProvidersOf(string capability) => Graph.ProvidersOf(capability);

    /// <summary>The deployment wave of <paramref name="module"/> (0 first), or -1 when it has none (it is in a cycle or not in the stack).</summary>
    public int WaveOf(string module) => Graph.WaveOf(module);

    /// <summary>The module named <paramref name="name"/>, or null.</summary>
    public ModuleInstance? Module(string name) => Modules.FirstOrDefault(m => m.Name == name);

    /// <summary>The module <paramref name="module"/> is bound to in <paramref name="role"/>, or null.</summary>
    public ModuleInstance? BoundTo(ModuleInstance module, string role) =>
        module.Bindings.TryGetValue(role, out var target) ? Module(target) : null;
}

/// <summary>A stack whose topology cannot be deployed; the message lists every issue.</summary>
public sealed class StackValidationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StackValidationException(string stack, IReadOnlyList<StackFinding> issues)
        : base($"Stack '{stack}' is not valid:{System.Environment.NewLine}" + string.Join(System.Environment.NewLine, issues.Select(i => "  " + i)))
    {
        Issues = issues;
    }

    /// <summary>The issues found.</summary>
    public IReadOnlyList<StackFinding> Issues { get; }
}

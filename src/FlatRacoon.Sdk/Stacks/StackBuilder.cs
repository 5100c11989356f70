using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using FlatRacoon.Topology;

namespace FlatRacoon;

/// <summary>
/// Declares a stack, in the fluent style of the .NET Aspire app model:
/// <code>
/// var stack = StackBuilder.Create("netstack", Environments.Production.Environment);
/// var overlay = stack.AddZerotierK8sLink();
/// stack.AddIpfsOverlay().WaitFor(overlay);
/// return await stack.Build().RunAsync(args);
/// </code>
/// The builder collects declarations; <see cref="Build"/> freezes them into an immutable
/// <see cref="Stack"/> after checking the topology.
/// </summary>
public sealed class StackBuilder
{
    private readonly List<IModuleResource> _modules = new();
    private readonly SortedSet<string> _external = new(Layers.ExternalCapabilities, StringComparer.Ordinal);

    private StackBuilder(string name, StackEnvironment environment)
    {
        Name = name;
        Environment = environment;
    }

    /// <summary>Starts a stack named <paramref name="name"/> (a DNS label) for <paramref name="environment"/>.</summary>
    public static StackBuilder Create(string name, StackEnvironment? environment = null)
    {
        if (!Formats.IsDnsLabel(name))
        {
            throw new ArgumentException($"Stack name '{name}' must be a DNS label: lower-case letters, digits and '-', at most 63 characters.", nameof(name));
        }
        return new StackBuilder(name, environment ?? StackEnvironment.Default);
    }

    /// <summary>Stack name; it becomes the <c>app.kubernetes.io/part-of</c> label.</summary>
    public string Name { get; }

    /// <summary>The environment whose configuration the modules take unless told otherwise.</summary>
    public StackEnvironment Environment { get; }

    /// <summary>Modules declared so far, in declaration order.</summary>
    public IReadOnlyList<IModuleResource> Modules => _modules;

    /// <summary>
    /// Adds a module. Generated methods (<c>AddIpfsOverlay</c>, ...) call this; call it directly
    /// for a module whose manifest the program does not compile in.
    /// </summary>
    public ModuleResource<TConfig> AddModule<TConfig>(ModuleDescriptor descriptor, TConfig config)
        where TConfig : IModuleConfig
    {
        if (descriptor is null)
        {
            throw new ArgumentNullException(nameof(descriptor));
        }
        if (config is null)
        {
            throw new ArgumentNullException(nameof(config));
        }
        var resource = new ModuleResource<TConfig>(this, descriptor, config);
        _modules.Add(resource);
        return resource;
    }

    /// <summary>Declares a capability the cluster provides itself (<c>kubernetes</c> always is).</summary>
    public StackBuilder WithExternalCapability(string capability)
    {
        _external.Add(capability);
        return this;
    }

    /// <summary>
    /// Freezes the declarations into an immutable <see cref="Stack"/>. Throws
    /// <see cref="StackValidationException"/> listing every topology issue (missing providers,
    /// cycles, duplicates) with the chain of modules involved.
    /// </summary>
    public Stack Build()
    {
        var stack = Freeze();
        if (stack.Issues.Count > 0)
        {
            throw new StackValidationException(Name, stack.Issues);
        }
        return stack;
    }

    /// <summary>Freezes the declarations without throwing; <see cref="Stack.Issues"/> says what is wrong.</summary>
    public Stack Freeze()
    {
        var modules = _modules.Select(m => m.ToInstance()).ToImmutableArray();
        var graph = TopologyGraph.Build(
            modules.Select(m => m.ToTopologyNode()),
            _external,
            _modules.SelectMany(m => m.ExplicitDependencies.Select(d => new KeyValuePair<string, string>(m.Descriptor.Name, d))),
            ModuleCatalog.All.Select(d => new ModuleInstance(d, EmptyModuleConfig.Instance, ModuleInstance.DefaultNamespace(d.Name)).ToTopologyNode()));
        return new Stack(Name, Environment, modules, graph, _external.ToImmutableArray());
    }
}

/// <summary>A module declared in a <see cref="StackBuilder"/>.</summary>
public interface IModuleResource
{
    /// <summary>The module's manifest.</summary>
    ModuleDescriptor Descriptor { get; }
    /// <summary>Modules this one waits for besides those its capabilities resolve to.</summary>
    IReadOnlyCollection<string> ExplicitDependencies { get; }
    /// <summary>Modules this one is bound to, by role (<c>overlay</c> → <c>zerotier-k8s-link</c>).</summary>
    IReadOnlyDictionary<string, string> Bindings { get; }
    /// <summary>Freezes the declaration.</summary>
    ModuleInstance ToInstance();
}

/// <summary>A module declared in a stack, with its typed configuration.</summary>
public sealed class ModuleResource<TConfig> : IModuleResource where TConfig : IModuleConfig
{
    private readonly SortedSet<string> _dependencies = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> _bindings = new(StringComparer.Ordinal);

    internal ModuleResource(StackBuilder stack, ModuleDescriptor descriptor, TConfig config)
    {
        Stack = stack;
        Descriptor = descriptor;
        Config = config;
        Namespace = ModuleInstance.DefaultNamespace(descriptor.Name);
    }

    /// <summary>The stack the module belongs to.</summary>
    public StackBuilder Stack { get; }
    /// <inheritdoc />
    public ModuleDescriptor Descriptor { get; }
    /// <summary>The module's configuration.</summary>
    public TConfig Config { get; private set; }
    /// <summary>The Kubernetes namespace the module renders into.</summary>
    public string Namespace { get; private set; }
    /// <inheritdoc />
    public IReadOnlyCollection<string> ExplicitDependencies => _dependencies;

    /// <summary>Replaces the configuration with what <paramref name="configure"/> returns (use <c>with</c>).</summary>
    public ModuleResource<TConfig> WithConfig(Func<TConfig, TConfig> configure)
    {
        Config = configure(Config) ?? throw new InvalidOperationException($"The configuration callback of '{Descriptor.Name}' returned null.");
        return this;
    }

    /// <summary>Renders the module into <paramref name="namespace"/> instead of the module's own name.</summary>
    public ModuleResource<TConfig> WithNamespace(string @namespace)
    {
        Namespace = Formats.IsDnsLabel(@namespace)
            ? @namespace
            : throw new ArgumentException($"Namespace '{@namespace}' must be a DNS label.", nameof(@namespace));
        return this;
    }

    /// <summary>Deploys this module only after <paramref name="other"/> is ready.</summary>
    public ModuleResource<TConfig> WaitFor(IModuleResource other)
    {
        _dependencies.Add(other.Descriptor.Name);
        return this;
    }

    /// <summary>
    /// Binds this module to <paramref name="target"/> in a <paramref name="role"/> its renderer
    /// understands (for example IPFS listens only on the addresses of its <c>overlay</c>), and
    /// waits for it.
    /// </summary>
    public ModuleResource<TConfig> BindTo(string role, IModuleResource target)
    {
        if (string.IsNullOrWhiteSpace(role))
        {
            throw new ArgumentException("A binding needs a role.", nameof(role));
        }
        _bindings[role] = target.Descriptor.Name;
        return WaitFor(target);
    }

    /// <summary>Binds this module to the stack's overlay network: it listens and announces only there.</summary>
    public ModuleResource<TConfig> WithOverlay(IModuleResource overlay) => BindTo(ModuleInstance.OverlayRole, overlay);

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Bindings => _bindings;

    /// <inheritdoc />
    public ModuleInstance ToInstance() => new(Descriptor, Config, Namespace)
    {
        Bindings = _bindings.ToImmutableSortedDictionary(StringComparer.Ordinal),
        ExplicitDependencies = _dependencies.ToImmutableSortedSet(StringComparer.Ordinal),
    };
}

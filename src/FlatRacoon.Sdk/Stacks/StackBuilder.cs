using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using FlatRacoon.Stacks.Rules;
using FlatRacoon.Topology;

namespace FlatRacoon;

/// <summary>
/// Declares a stack, in the fluent style of the .NET Aspire app model:
/// <code>
/// var stack = StackBuilder.Create("netstack", environment);
/// var k8s = stack.AddPolyK8sMcp();
/// var secrets = stack.AddPolySecretMcp(k8s);
/// var overlay = stack.AddZerotierK8sLink(stack.AddFlatracoonOs(), k8s, secrets);
/// stack.AddIpfsOverlay(overlay, k8s, secrets);   // providers are typed arguments
/// return stack;
/// </code>
/// The builder collects declarations; <see cref="Build"/> freezes them into an immutable
/// <see cref="Stack"/> after checking the topology.
/// </summary>
public sealed class StackBuilder
{
    private readonly List<IModuleResource> _modules = new();
    private readonly SortedSet<string> _external = new(Layers.ExternalCapabilities, StringComparer.Ordinal);

    private StackBuilder(string name, StackEnvironment environment, SourceLocation declaredAt)
    {
        Name = name;
        Environment = environment;
        DeclaredAt = declaredAt;
    }

    /// <summary>Starts a stack named <paramref name="name"/> (a DNS label) for <paramref name="environment"/>.</summary>
    /// <exception cref="StackDeclarationException">FR0104 when the name is not a DNS label.</exception>
    public static StackBuilder Create(string name, StackEnvironment? environment = null, [CallerFilePath] string callerFilePath = "", [CallerLineNumber] int callerLineNumber = 0)
    {
        var at = new SourceLocation(callerFilePath, callerLineNumber);
        if (name is null || !Formats.IsDnsLabel(name))
        {
            throw new StackDeclarationException(RuleIds.MalformedDnsName,
                $"Stack name '{name}' must be a DNS label: lower-case letters, digits and '-', at most 63 characters.", at, nameof(name));
        }
        // Without an environment: the empty default one, never the catalog's (which depends on what has
        // loaded); a stack program gets its environment from --environment through RunAsync.
        return new StackBuilder(name, environment ?? StackEnvironment.Default, at);
    }

    /// <summary>Where the stack was created.</summary>
    public SourceLocation DeclaredAt { get; }

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
    public ModuleResource<TConfig> AddModule<TConfig>(ModuleDescriptor descriptor, TConfig config, [CallerFilePath] string callerFilePath = "", [CallerLineNumber] int callerLineNumber = 0)
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
        return Add(new ModuleResource<TConfig>(this, descriptor, config, new SourceLocation(callerFilePath, callerLineNumber)));
    }

    /// <summary>Adds a module resource made for this stack (generated <c>Add&lt;Module&gt;</c> methods call this).</summary>
    /// <exception cref="StackDeclarationException">FR1007 when the resource was made for another stack.</exception>
    public TResource Add<TResource>(TResource resource) where TResource : ModuleResource
    {
        if (resource is null)
        {
            throw new ArgumentNullException(nameof(resource));
        }
        if (!ReferenceEquals(resource.Stack, this))
        {
            throw new StackDeclarationException(RuleIds.ForeignModule,
                $"Module '{resource.Descriptor.Name}' was made for stack '{resource.Stack.Name}', not '{Name}'.", resource.DeclaredAt);
        }
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
        // Typed wiring: each module's chosen providers are edges; the graph still resolves the rest.
        var graph = DependencyGraph.Build(
            modules.Select(m => m.Descriptor),
            _external,
            _modules.SelectMany(m => m.ExplicitDependencies.Select(d => new KeyValuePair<string, string>(m.Descriptor.Name, d))),
            ModuleCatalog.All);
        return new Stack(Name, Environment, modules, graph, _external.ToImmutableArray()) { DeclaredAt = DeclaredAt };
    }
}


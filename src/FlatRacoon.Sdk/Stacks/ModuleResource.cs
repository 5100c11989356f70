using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using FlatRacoon.Topology;

namespace FlatRacoon;

/// <summary>
/// Something that provides capabilities to the modules of one stack: a module, or a capability the
/// cluster already has (<c>stack.AddExternal&lt;Capability&gt;()</c>). The generated capability
/// interfaces (<c>IOverlayNetwork</c>, <c>ISecretStore</c>, ...) extend it, so the generated
/// <c>Add&lt;Module&gt;</c> methods take providers as typed arguments.
/// </summary>
public interface ICapabilityProvider
{
    /// <summary>The stack the provider belongs to.</summary>
    StackBuilder Stack { get; }
    /// <summary>The providing module's name; null for a capability the cluster provides.</summary>
    string? ModuleName { get; }
}

/// <summary>A capability the cluster provides itself; the generated <c>AddExternal&lt;Capability&gt;()</c> methods make them.</summary>
public class ExternalCapabilityProvider : ICapabilityProvider
{
    /// <summary>Declares <paramref name="capability"/> as provided by the cluster of <paramref name="stack"/>.</summary>
    public ExternalCapabilityProvider(StackBuilder stack, string capability)
    {
        Stack = stack ?? throw new ArgumentNullException(nameof(stack));
        Capability = capability;
        stack.WithExternalCapability(capability);
    }

    /// <inheritdoc />
    public StackBuilder Stack { get; }
    /// <inheritdoc />
    public string? ModuleName => null;
    /// <summary>The capability.</summary>
    public string Capability { get; }
}

/// <summary>A module declared in a <see cref="StackBuilder"/>.</summary>
public interface IModuleResource : ICapabilityProvider
{
    /// <summary>The module's manifest.</summary>
    ModuleDescriptor Descriptor { get; }
    /// <summary>Modules this one waits for besides those its capabilities resolve to.</summary>
    IReadOnlyCollection<string> ExplicitDependencies { get; }
    /// <summary>Modules this one is bound to, by role (<c>overlay</c> → <c>zerotier-k8s-link</c>).</summary>
    IReadOnlyDictionary<string, string> Bindings { get; }
    /// <summary>Where the module was added.</summary>
    SourceLocation DeclaredAt { get; }
    /// <summary>Freezes the declaration.</summary>
    ModuleInstance ToInstance();
}

/// <summary>
/// A module declared in a stack: the state every module resource shares. Generated resource types
/// (<c>IpfsOverlayResource</c>, ...) derive from <see cref="ModuleResource{TSelf, TConfig}"/>.
/// </summary>
public abstract class ModuleResource : IModuleResource
{
    private readonly SortedSet<string> _dependencies = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> _bindings = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> _providers = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, WaitDeclaration> _waits = new(StringComparer.Ordinal);
    private static long s_sequence;

    private protected ModuleResource(StackBuilder stack, ModuleDescriptor descriptor, IModuleConfig config, SourceLocation declaredAt)
    {
        Stack = stack ?? throw new ArgumentNullException(nameof(stack));
        Descriptor = descriptor ?? throw new ArgumentNullException(nameof(descriptor));
        UntypedConfig = config ?? throw new ArgumentNullException(nameof(config));
        Namespace = ModuleInstance.DefaultNamespace(descriptor.Name);
        DeclaredAt = declaredAt;
        ConfiguredAt = declaredAt;
    }

    /// <inheritdoc />
    public StackBuilder Stack { get; }
    /// <inheritdoc />
    public ModuleDescriptor Descriptor { get; }
    /// <inheritdoc />
    public string? ModuleName => Descriptor.Name;
    /// <summary>The Kubernetes namespace the module renders into.</summary>
    public string Namespace { get; private protected set; }
    /// <inheritdoc />
    public SourceLocation DeclaredAt { get; }
    /// <summary>Where the module's configuration was last set (its Add call or the last <c>WithConfig</c>).</summary>
    public SourceLocation ConfiguredAt { get; private protected set; }
    /// <inheritdoc />
    public IReadOnlyCollection<string> ExplicitDependencies => _dependencies;
    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Bindings => _bindings;
    /// <summary>The provider chosen for each required capability (module names), as passed to the Add method.</summary>
    public IReadOnlyDictionary<string, string> Providers => _providers;

    private protected IModuleConfig UntypedConfig { get; set; }

    /// <summary>
    /// Records that this module takes <paramref name="capability"/> from <paramref name="provider"/>
    /// (generated Add methods call it for each provider argument) and, for a module, waits for it.
    /// </summary>
    /// <exception cref="StackDeclarationException">FR1001 when the provider is null, FR1007 when it belongs to another stack.</exception>
    public void UseProvider(string capability, ICapabilityProvider provider, SourceLocation at = default)
    {
        if (provider is null)
        {
            throw new StackDeclarationException(RuleIds.MissingProvider,
                $"Module '{Descriptor.Name}' needs a provider of '{capability}', but null was passed.", at, nameof(provider));
        }
        CheckSameStack(provider, at);
        if (provider.ModuleName is { } module)
        {
            _providers[capability] = module;
            AddDependency(module, at);
        }
    }

    /// <summary>Binds this module to <paramref name="target"/> in a <paramref name="role"/> its renderer understands, and waits for it.</summary>
    public void Bind(string role, ICapabilityProvider target, SourceLocation at = default)
    {
        if (string.IsNullOrWhiteSpace(role))
        {
            throw new ArgumentException("A binding needs a role.", nameof(role));
        }
        if (target is null)
        {
            throw new StackDeclarationException(RuleIds.MissingProvider, $"Module '{Descriptor.Name}' needs a module to bind as its '{role}', but null was passed.", at, nameof(target));
        }
        CheckSameStack(target, at);
        if (target.ModuleName is { } module)
        {
            _bindings[role] = module;
            AddDependency(module, at);
        }
    }

    private protected void AddWait(ICapabilityProvider other, SourceLocation at)
    {
        if (other is null)
        {
            throw new StackDeclarationException(RuleIds.MissingProvider, $"Module '{Descriptor.Name}' was told to wait for null.", at, nameof(other));
        }
        if (ReferenceEquals(other, this))
        {
            throw new StackDeclarationException(RuleIds.DependencyCycle,
                $"Module '{Descriptor.Name}' waits for itself: a cycle of one module can never be deployed.", at, nameof(other));
        }
        CheckSameStack(other, at);
        if (other.ModuleName is { } module)
        {
            AddDependency(module, at);
        }
    }

    private void AddDependency(string module, SourceLocation at)
    {
        _dependencies.Add(module);
        if (!_waits.ContainsKey(module))
        {
            _waits[module] = new WaitDeclaration(at, System.Threading.Interlocked.Increment(ref s_sequence));
        }
    }

    private void CheckSameStack(ICapabilityProvider other, SourceLocation at)
    {
        if (!ReferenceEquals(other.Stack, Stack))
        {
            var what = other.ModuleName is { } m ? $"module '{m}'" : "an external capability";
            throw new StackDeclarationException(RuleIds.ForeignModule,
                $"Module '{Descriptor.Name}' of stack '{Stack.Name}' cannot depend on {what} of another stack builder ('{other.Stack.Name}'); add the module to this stack instead.", at);
        }
    }

    private protected void SetNamespace(string @namespace, SourceLocation at)
    {
        Namespace = Formats.IsDnsLabel(@namespace)
            ? @namespace
            : throw new StackDeclarationException(RuleIds.MalformedDnsName,
                $"Namespace '{@namespace}' of module '{Descriptor.Name}' must be a DNS label: lower-case letters, digits and '-', at most 63 characters.", at, nameof(@namespace));
    }

    /// <summary>Where this module was told to wait for <paramref name="module"/> (a provider argument, a binding or <c>WaitFor</c>).</summary>
    public SourceLocation WaitDeclaredAt(string module) => _waits.TryGetValue(module, out var wait) ? wait.At : DeclaredAt;

    /// <inheritdoc />
    public ModuleInstance ToInstance() => new(Descriptor, UntypedConfig, Namespace)
    {
        Bindings = _bindings.ToImmutableSortedDictionary(StringComparer.Ordinal),
        ExplicitDependencies = _dependencies.ToImmutableSortedSet(StringComparer.Ordinal),
        DeclaredAt = DeclaredAt,
        ConfiguredAt = ConfiguredAt,
        Waits = _waits.ToImmutableSortedDictionary(StringComparer.Ordinal),
    };
}

/// <summary>A module declared in a stack, with its typed configuration; fluent methods return <typeparamref name="TSelf"/>.</summary>
/// <typeparam name="TSelf">The resource type itself, so chained calls keep the capabilities it provides.</typeparam>
/// <typeparam name="TConfig">The module's configuration record.</typeparam>
public abstract class ModuleResource<TSelf, TConfig> : ModuleResource
    where TSelf : ModuleResource<TSelf, TConfig>
    where TConfig : IModuleConfig
{
    /// <summary>Creates the resource; generated Add methods and <see cref="StackBuilder.AddModule{TConfig}"/> do.</summary>
    protected ModuleResource(StackBuilder stack, ModuleDescriptor descriptor, TConfig config, SourceLocation declaredAt)
        : base(stack, descriptor, config, declaredAt)
    {
    }

    /// <summary>The module's configuration.</summary>
    public TConfig Config => (TConfig)UntypedConfig;

    private TSelf Self => (TSelf)this;

    /// <summary>Replaces the configuration with what <paramref name="configure"/> returns (use <c>with</c>).</summary>
    public TSelf WithConfig(Func<TConfig, TConfig> configure, [CallerFilePath] string callerFilePath = "", [CallerLineNumber] int callerLineNumber = 0)
    {
        if (configure is null)
        {
            throw new ArgumentNullException(nameof(configure));
        }
        var at = new SourceLocation(callerFilePath, callerLineNumber);
        try
        {
            UntypedConfig = configure(Config) ?? throw new StackDeclarationException(RuleIds.MissingRequiredSetting,
                $"The configuration callback of '{Descriptor.Name}' returned null.", at);
        }
        catch (StackDeclarationException e) when (!e.Location.IsKnown)
        {
            e.Location = at;
            throw;
        }
        ConfiguredAt = at;
        return Self;
    }

    /// <summary>Renders the module into <paramref name="namespace"/> instead of the module's own name.</summary>
    public TSelf WithNamespace(string @namespace, [CallerFilePath] string callerFilePath = "", [CallerLineNumber] int callerLineNumber = 0)
    {
        SetNamespace(@namespace, new SourceLocation(callerFilePath, callerLineNumber));
        return Self;
    }

    /// <summary>Deploys this module only after <paramref name="other"/> is ready.</summary>
    public TSelf WaitFor(ICapabilityProvider other, [CallerFilePath] string callerFilePath = "", [CallerLineNumber] int callerLineNumber = 0)
    {
        AddWait(other, new SourceLocation(callerFilePath, callerLineNumber));
        return Self;
    }

    /// <summary>
    /// Binds this module to <paramref name="target"/> in a <paramref name="role"/> its renderer
    /// understands, and waits for it. Generated Add methods bind typed roles (IPFS's <c>overlay</c>);
    /// use this for a module added with <see cref="StackBuilder.AddModule{TConfig}"/>.
    /// </summary>
    public TSelf BindTo(string role, ICapabilityProvider target, [CallerFilePath] string callerFilePath = "", [CallerLineNumber] int callerLineNumber = 0)
    {
        Bind(role, target, new SourceLocation(callerFilePath, callerLineNumber));
        return Self;
    }

    /// <summary>Binds this module to the stack's overlay network (see <see cref="BindTo"/>).</summary>
    public TSelf WithOverlay(ICapabilityProvider overlay, [CallerFilePath] string callerFilePath = "", [CallerLineNumber] int callerLineNumber = 0)
    {
        Bind(ModuleInstance.OverlayRole, overlay, new SourceLocation(callerFilePath, callerLineNumber));
        return Self;
    }
}

/// <summary>A module added with <see cref="StackBuilder.AddModule{TConfig}"/>: its manifest is known only at run time, so the run-time rules check its providers.</summary>
public sealed class ModuleResource<TConfig> : ModuleResource<ModuleResource<TConfig>, TConfig> where TConfig : IModuleConfig
{
    internal ModuleResource(StackBuilder stack, ModuleDescriptor descriptor, TConfig config, SourceLocation declaredAt)
        : base(stack, descriptor, config, declaredAt)
    {
    }
}

/// <summary>Where a module was told to wait for another, and in which order the declarations came (to find the one that closed a cycle).</summary>
/// <param name="At">The declaring call.</param>
/// <param name="Sequence">Increases with every declaration in the process.</param>
public readonly record struct WaitDeclaration(SourceLocation At, long Sequence);

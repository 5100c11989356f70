using System;
using System.Collections.Generic;
using System.Linq;
using FlatRacoon.Cli;
using FlatRacoon.Rendering;
using FlatRacoon.Secrets;

namespace FlatRacoon;

/// <summary>
/// What a team adds to its stack program: renderers for its own modules, transforms that patch
/// rendered objects, environments, commands, and how secret references are resolved.
/// <code>
/// return await StackProgram.RunAsync(args, env =&gt; MyStack.Create(env), options =&gt; options
///     .AddRenderer("team-cache", new TeamCacheRenderer())
///     .AddTransform(ObjectTransforms.For&lt;V1Deployment&gt;(d =&gt; d.Spec.Replicas = 2, module: "team-cache"))
///     .AddEnvironment(new StackEnvironment("lab"))
///     .AddCommand(new MyCommand())
///     .UseSecretResolver(SecretResolver.CreateDefault().With(SecretSource.Vault, new MyVaultResolver())));
/// </code>
/// See docs/guides/customise-output.md.
/// </summary>
public sealed class StackProgramOptions
{
    private readonly List<ObjectTransform> _transforms = new();
    private readonly List<IStackCommand> _commands = new();
    private readonly List<StackEnvironment> _environments = new();

    /// <summary>The renderers: the SDK's, plus those added with <see cref="AddRenderer"/>; any other module gets <see cref="ModuleRenderers.Fallback"/>.</summary>
    public ModuleRenderers Renderers { get; } = ModuleRenderers.Default;

    /// <summary>Transforms, in the order they run.</summary>
    public IReadOnlyList<ObjectTransform> Transforms => _transforms;

    /// <summary>Commands besides the built-in ones.</summary>
    public IReadOnlyList<IStackCommand> Commands => _commands;

    /// <summary>Environments added with <see cref="AddEnvironment"/>.</summary>
    public IReadOnlyList<StackEnvironment> Environments => _environments;

    /// <summary>The environment used without <c>--environment</c>, when set with <see cref="AddEnvironment"/>.</summary>
    public string? DefaultEnvironment { get; private set; }

    /// <summary>
    /// Resolves the secret references of the Secrets that <c>plan</c>, <c>apply</c> and <c>rollback</c>
    /// materialise (<see cref="Deployment.DeployOptions.SecretResolver"/>); by default
    /// <see cref="Secrets.SecretResolver.CreateDefault"/>: <c>env://</c>, <c>file://</c>, <c>sops://</c>, <c>vault://</c>.
    /// </summary>
    public ISecretResolver SecretResolver { get; private set; } = Secrets.SecretResolver.CreateDefault();

    /// <summary>Renders <paramref name="module"/> with <paramref name="renderer"/> in render, plan, apply and every other command (replaces a built-in one).</summary>
    public StackProgramOptions AddRenderer(string module, IModuleRenderer renderer)
    {
        if (string.IsNullOrEmpty(module))
        {
            throw new ArgumentException("A renderer needs the name of the module it renders.", nameof(module));
        }
        Renderers.With(module, renderer ?? throw new ArgumentNullException(nameof(renderer)));
        return this;
    }

    /// <summary>Patches rendered objects; runs before labels, hashes and the revision, so <c>plan</c> shows the effect.</summary>
    public StackProgramOptions AddTransform(ObjectTransform transform)
    {
        _transforms.Add(transform ?? throw new ArgumentNullException(nameof(transform)));
        return this;
    }

    /// <summary>Registers an environment into <see cref="EnvironmentCatalog"/> (a later one of the same name wins); <paramref name="isDefault"/> makes it the one used without <c>--environment</c>.</summary>
    public StackProgramOptions AddEnvironment(StackEnvironment environment, bool isDefault = false)
    {
        _environments.Add(environment ?? throw new ArgumentNullException(nameof(environment)));
        if (isDefault)
        {
            DefaultEnvironment = environment.Name;
        }
        return this;
    }

    /// <summary>
    /// Resolves secret references with <paramref name="resolver"/> instead of the default: another
    /// store, a Vault client of the team's own (<c>SecretResolver.CreateDefault().With(SecretSource.Vault, ...)</c>),
    /// or fixed test values (FlatRacoon.Testing's <c>TestStack.WithSecrets</c>). See docs/concepts/secrets.adoc.
    /// </summary>
    public StackProgramOptions UseSecretResolver(ISecretResolver resolver)
    {
        SecretResolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        return this;
    }

    /// <summary>Adds a command; its name must differ from every built-in one and from the others added.</summary>
    public StackProgramOptions AddCommand(IStackCommand command)
    {
        if (command is null)
        {
            throw new ArgumentNullException(nameof(command));
        }
        if (StackProgram.Commands.Concat(_commands).Any(c => c.Name == command.Name))
        {
            throw new ArgumentException($"A command named '{command.Name}' already exists.", nameof(command));
        }
        _commands.Add(command);
        return this;
    }
}

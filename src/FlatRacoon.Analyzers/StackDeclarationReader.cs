using System;
using System.Collections.Generic;
using System.Linq;
using FlatRacoon.Analyzers.Model;
using FlatRacoon.Topology;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace FlatRacoon.Analyzers
{
    /// <summary>
    /// Reads the stacks one method (operation block) declares into <see cref="StackModel"/>s: the
    /// builder calls through IOperation, values passed through locals, generated constants
    /// (<c>Environments.Production.*</c>), module manifests and environment configuration. Anything
    /// it cannot read makes the model incomplete rather than wrong, so the rules stay silent.
    /// </summary>
    internal sealed class StackDeclarationReader
    {
        private const string SdkNamespace = "FlatRacoon";

        private readonly ProjectInputs _inputs;
        private readonly Dictionary<ILocalSymbol, IOperation> _locals = new Dictionary<ILocalSymbol, IOperation>(SymbolEqualityComparer.Default);
        private readonly List<IInvocationOperation> _invocations = new List<IInvocationOperation>();

        public StackDeclarationReader(ProjectInputs inputs) => _inputs = inputs;

        public void AddLocal(IVariableDeclaratorOperation declarator)
        {
            var value = declarator.Initializer?.Value ?? declarator.GetVariableInitializer()?.Value;
            if (value != null)
            {
                _locals[declarator.Symbol] = value;
            }
        }

        public void AddInvocation(IInvocationOperation invocation)
        {
            var type = invocation.TargetMethod.ContainingType;
            if (type is null)
            {
                return;
            }
            var name = invocation.TargetMethod.Name;
            if (IsSdkType(type, "StackBuilder") || IsSdkType(type, "ModuleResource")
                || (name.StartsWith("Add", StringComparison.Ordinal) && invocation.TargetMethod.IsExtensionMethod))
            {
                _invocations.Add(invocation);
            }
        }

        private sealed class StackDraft
        {
            public StackDraft(string name) => Model = new List<ModuleModel>();
            public List<ModuleModel> Model { get; }
            public bool Complete { get; set; }
            public string Name { get; set; } = "stack";
            public EnvironmentInfo? Environment { get; set; }
            public bool EnvironmentKnown { get; set; }
            public bool DefaultEnvironment { get; set; }
            public IOperation? EnvironmentOperation { get; set; }
            public List<string> External { get; } = new List<string>(Layers.ExternalCapabilities);
        }

        /// <summary>The stacks declared in the block.</summary>
        public List<StackModel> Read()
        {
            var drafts = new Dictionary<ISymbol, StackDraft>(SymbolEqualityComparer.Default);
            var modulesByCall = new Dictionary<IOperation, ModuleModel>();
            var links = new List<(IInvocationOperation Call, string? Role)>();

            foreach (var invocation in _invocations)
            {
                var method = invocation.TargetMethod;
                if (IsSdkType(method.ContainingType, "ModuleResource"))
                {
                    if (method.Name == "WithOverlay")
                    {
                        links.Add((invocation, StackRules.OverlayRole));
                    }
                    else if (method.Name == "BindTo")
                    {
                        var role = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "role")?.Value.ConstantValue;
                        links.Add((invocation, role is { HasValue: true, Value: string r } ? r : ""));
                    }
                    else if (method.Name == "WaitFor")
                    {
                        links.Add((invocation, null));
                    }
                    continue;
                }

                var receiver = method.IsExtensionMethod
                    ? invocation.Arguments.FirstOrDefault()?.Value
                    : invocation.Instance;
                if (receiver is null || !IsStackBuilder(receiver.Type))
                {
                    continue;
                }
                var stackSymbol = SymbolOf(Unwrap(receiver));
                if (stackSymbol is null)
                {
                    continue;
                }
                if (!drafts.TryGetValue(stackSymbol, out var draft))
                {
                    drafts[stackSymbol] = draft = CreateDraft(stackSymbol);
                }
                if (method.Name == "WithExternalCapability" && !method.IsExtensionMethod)
                {
                    var capability = invocation.Arguments.FirstOrDefault()?.Value.ConstantValue;
                    if (capability is { HasValue: true, Value: string c })
                    {
                        draft.External.Add(c);
                    }
                    else
                    {
                        draft.Complete = false;
                    }
                    continue;
                }
                var module = ReadModule(invocation, draft);
                if (module is null)
                {
                    if (method.Name.StartsWith("Add", StringComparison.Ordinal))
                    {
                        // A module we cannot read may provide anything: no topology verdict.
                        draft.Complete = false;
                    }
                    continue;
                }
                draft.Model.Add(module);
                modulesByCall[invocation] = module;
            }

            foreach (var (call, role) in links)
            {
                var source = ResolveModule(call.Instance, modulesByCall, 0);
                var targetArgument = call.Arguments.LastOrDefault()?.Value;
                var target = ResolveModule(targetArgument, modulesByCall, 0);
                if (source is null)
                {
                    continue;
                }
                if (target is null)
                {
                    // Bound to something we cannot see: do not claim it is unbound.
                    if (role != null)
                    {
                        source.Bindings[role] = "?";
                    }
                    continue;
                }
                if (role is null)
                {
                    source.ExplicitDependencies.Add(target.Name);
                }
                else
                {
                    source.Bindings[role] = target.Name;
                }
            }

            var stacks = new List<StackModel>();
            foreach (var draft in drafts.Values)
            {
                var model = new StackModel(draft.Name, draft.Model)
                {
                    Complete = draft.Complete,
                    Catalog = _inputs.Catalog,
                    ExternalCapabilities = draft.External,
                    EnvironmentLocation = draft.EnvironmentOperation?.Syntax.GetLocation(),
                };
                if (draft.EnvironmentKnown)
                {
                    var env = draft.Environment;
                    model.Ipv6Only = draft.DefaultEnvironment ? true : env?.Ipv6Only;
                    model.Production = draft.DefaultEnvironment ? false : env?.Name == "production";
                    if (env?.Nat64Prefix != null)
                    {
                        model.Nat64Prefix = new SettingValue("nat64_prefix", env.Nat64Prefix, draft.EnvironmentOperation?.Syntax.GetLocation());
                    }
                }
                stacks.Add(model);
            }
            return stacks;
        }

        private StackDraft CreateDraft(ISymbol stackSymbol)
        {
            var draft = new StackDraft(stackSymbol.Name);
            if (stackSymbol is ILocalSymbol local && _locals.TryGetValue(local, out var initializer)
                && Unwrap(initializer) is IInvocationOperation create
                && create.TargetMethod.Name == "Create" && IsSdkType(create.TargetMethod.ContainingType, "StackBuilder"))
            {
                draft.Complete = true;
                var name = create.Arguments.FirstOrDefault(a => a.Parameter?.Name == "name")?.Value.ConstantValue;
                if (name is { HasValue: true, Value: string n })
                {
                    draft.Name = n;
                }
                var envArgument = create.Arguments.FirstOrDefault(a => a.Parameter?.Name == "environment");
                ReadEnvironment(envArgument, draft);
            }
            return draft;
        }

        private void ReadEnvironment(IArgumentOperation? argument, StackDraft draft)
        {
            var value = argument is null ? null : Unwrap(argument.Value);
            if (argument is null || argument.ArgumentKind == ArgumentKind.DefaultValue || value is null
                || (value.ConstantValue.HasValue && value.ConstantValue.Value is null))
            {
                draft.EnvironmentKnown = true;
                draft.DefaultEnvironment = true;
                return;
            }
            draft.EnvironmentOperation = value;
            if (value is IPropertyReferenceOperation property && property.Property.Name == "Environment"
                && property.Property.ContainingType is { } container && container.ContainingType?.Name == "Environments"
                && container.GetMembers("Name").OfType<IFieldSymbol>().FirstOrDefault() is { HasConstantValue: true, ConstantValue: string envName })
            {
                draft.EnvironmentKnown = true;
                draft.Environment = _inputs.Environments.TryGetValue(envName, out var env) ? env : new EnvironmentInfo(envName);
                // The generated constants are the truth when the file is not visible.
                if (container.GetMembers("Ipv6Only").OfType<IFieldSymbol>().FirstOrDefault() is { HasConstantValue: true, ConstantValue: bool ipv6Only })
                {
                    draft.Environment.Ipv6Only = ipv6Only;
                }
                if (container.GetMembers("Nat64Prefix").OfType<IFieldSymbol>().FirstOrDefault() is { HasConstantValue: true } nat64)
                {
                    draft.Environment.Nat64Prefix = nat64.ConstantValue as string;
                }
            }
        }

        private ModuleModel? ReadModule(IInvocationOperation invocation, StackDraft draft)
        {
            var method = invocation.TargetMethod;
            ManifestInfo? manifest = null;
            ModuleModel? module = null;
            IOperation? configArgument = null;
            var location = invocation.Syntax.GetLocation();
            if (method.Name == "AddModule" && !method.IsExtensionMethod)
            {
                var descriptor = Unwrap(invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "descriptor")?.Value);
                configArgument = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "config")?.Value;
                if (descriptor is IPropertyReferenceOperation reference && reference.Property.IsStatic)
                {
                    manifest = _inputs.ByPascalName.TryGetValue(reference.Property.Name, out var m) ? m : null;
                }
                else if (descriptor is IObjectCreationOperation creation && creation.Initializer != null)
                {
                    module = ReadDescriptor(creation);
                    if (module is null)
                    {
                        return null;
                    }
                    module.Location = location;
                    module.SettingsComplete = false;
                    return module;
                }
            }
            else if (method.IsExtensionMethod && method.Name.Length > 3 && method.Name.StartsWith("Add", StringComparison.Ordinal)
                && IsSdkType(method.ReturnType as INamedTypeSymbol, "ModuleResource"))
            {
                manifest = _inputs.ByPascalName.TryGetValue(method.Name.Substring(3), out var m) ? m : null;
                var argument = invocation.Arguments.Skip(1).FirstOrDefault();
                configArgument = argument is null || argument.ArgumentKind == ArgumentKind.DefaultValue ? null : argument.Value;
            }
            if (manifest is null)
            {
                return null;
            }
            module = new ModuleModel(manifest.Name, manifest.Layer, manifest.Requires, manifest.Provides)
            {
                Location = location,
                ImageRepository = manifest.ImageRepository,
                ImageTag = manifest.ImageTag,
                ImageDigest = manifest.ImageDigest,
            };
            var reader = new ConfigReader(manifest, _locals);
            List<SettingValue>? baseline = null;
            if (draft.EnvironmentKnown)
            {
                baseline = new List<SettingValue>(manifest.Defaults);
                if (draft.Environment != null && draft.Environment.Modules.TryGetValue(manifest.Name, out var envValues))
                {
                    ConfigReader.Overlay(baseline, envValues.Select(v => new SettingValue(v.Key, v.Value, null, manifest.SecretKeys.Contains(v.Key))).ToList());
                }
            }
            var settings = reader.Read(configArgument, baseline, new List<SettingValue>(manifest.Defaults));
            module.SettingsComplete = settings != null;
            foreach (var value in settings ?? reader.Literals)
            {
                module.Settings.Add(value);
            }
            return module;
        }

        private static ModuleModel? ReadDescriptor(IObjectCreationOperation creation)
        {
            string? name = null;
            string? layer = null;
            var requires = new List<string>();
            var provides = new List<string>();
            string? repository = null, tag = null, digest = null;
            Location? imageLocation = null;
            foreach (var assignment in creation.Initializer!.Initializers.OfType<ISimpleAssignmentOperation>())
            {
                if (!(assignment.Target is IPropertyReferenceOperation target))
                {
                    continue;
                }
                var value = Unwrap(assignment.Value)!;
                switch (target.Property.Name)
                {
                    case "Name":
                        name = value.ConstantValue.Value as string;
                        break;
                    case "Layer":
                        if (value is IFieldReferenceOperation field)
                        {
                            layer = field.Field.Name.ToLowerInvariant();
                        }
                        break;
                    case "Requires":
                        requires.AddRange(ConstantStrings(value));
                        break;
                    case "Provides":
                        provides.AddRange(ConstantStrings(value));
                        break;
                    case "Image":
                        if (value is IObjectCreationOperation image)
                        {
                            imageLocation = image.Syntax.GetLocation();
                            foreach (var argument in image.Arguments)
                            {
                                var text = argument.Value.ConstantValue.HasValue ? argument.Value.ConstantValue.Value as string : "?";
                                switch (argument.Parameter?.Name)
                                {
                                    case "Repository": repository = text; break;
                                    case "Tag": tag = text; break;
                                    case "Digest": digest = text; break;
                                }
                            }
                        }
                        break;
                }
            }
            if (name is null || layer is null)
            {
                return null;
            }
            return new ModuleModel(name, layer, requires, provides)
            {
                ImageRepository = repository,
                ImageTag = tag,
                ImageDigest = digest,
                ImageLocation = imageLocation,
            };
        }

        private static IEnumerable<string> ConstantStrings(IOperation operation)
        {
            if (operation.ConstantValue.HasValue)
            {
                if (operation.ConstantValue.Value is string s)
                {
                    yield return s;
                }
                yield break;
            }
            foreach (var child in operation.ChildOperations)
            {
                foreach (var value in ConstantStrings(child))
                {
                    yield return value;
                }
            }
        }

        private ModuleModel? ResolveModule(IOperation? operation, Dictionary<IOperation, ModuleModel> modules, int depth)
        {
            operation = Unwrap(operation);
            if (operation is null || depth > 16)
            {
                return null;
            }
            if (modules.TryGetValue(operation, out var module))
            {
                return module;
            }
            if (operation is ILocalReferenceOperation local && _locals.TryGetValue(local.Local, out var initializer))
            {
                return ResolveModule(initializer, modules, depth + 1);
            }
            if (operation is IInvocationOperation call && IsSdkType(call.TargetMethod.ContainingType, "ModuleResource"))
            {
                return ResolveModule(call.Instance, modules, depth + 1);
            }
            return null;
        }

        private static ISymbol? SymbolOf(IOperation? operation) => operation switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            IFieldReferenceOperation field => field.Field,
            IPropertyReferenceOperation property => property.Property,
            _ => null,
        };

        internal static IOperation? Unwrap(IOperation? operation)
        {
            while (true)
            {
                switch (operation)
                {
                    case IConversionOperation conversion:
                        operation = conversion.Operand;
                        continue;
                    case IDelegateCreationOperation delegateCreation:
                        operation = delegateCreation.Target;
                        continue;
                    case IParenthesizedOperation parenthesized:
                        operation = parenthesized.Operand;
                        continue;
                    default:
                        return operation;
                }
            }
        }

        internal static bool IsSdkType(INamedTypeSymbol? type, string name) =>
            type != null && type.Name == name && type.ContainingNamespace?.ToDisplayString() == SdkNamespace;

        private static bool IsStackBuilder(ITypeSymbol? type) => IsSdkType(type as INamedTypeSymbol, "StackBuilder");
    }
}

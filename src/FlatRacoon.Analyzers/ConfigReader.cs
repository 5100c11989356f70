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
    /// Reads the configuration passed to a generated <c>Add&lt;Module&gt;</c> method: an object creation,
    /// a <c>c =&gt; c with { ... }</c> callback, a local holding either, or nothing (the environment's
    /// configuration). Property names map back to schema keys; constants, enum members and
    /// <c>SecretReference.Parse("...")</c> literals become values with their source location.
    /// </summary>
    internal sealed class ConfigReader
    {
        private readonly ManifestInfo _manifest;
        private readonly Dictionary<ILocalSymbol, IOperation> _locals;

        public ConfigReader(ManifestInfo manifest, Dictionary<ILocalSymbol, IOperation> locals)
        {
            _manifest = manifest;
            _locals = locals;
        }

        /// <summary>Every value written in code that was read, even when the whole configuration was not.</summary>
        public List<SettingValue> Literals { get; } = new List<SettingValue>();

        /// <summary>
        /// The full configuration, or null when it cannot be known. <paramref name="baseline"/> is what the
        /// environment gives (null when the environment is unknown); <paramref name="defaults"/> the schema's.
        /// </summary>
        public List<SettingValue>? Read(IOperation? argument, List<SettingValue>? baseline, List<SettingValue> defaults) =>
            Read(argument, baseline, defaults, 0);

        private List<SettingValue>? Read(IOperation? argument, List<SettingValue>? baseline, List<SettingValue> defaults, int depth)
        {
            var value = StackDeclarationReader.Unwrap(argument);
            if (depth > 8)
            {
                return null;
            }
            if (value is null || (value.ConstantValue.HasValue && value.ConstantValue.Value is null) || value is IDefaultValueOperation)
            {
                return baseline is null ? null : new List<SettingValue>(baseline);
            }
            switch (value)
            {
                case IObjectCreationOperation creation:
                {
                    var result = new List<SettingValue>(defaults);
                    if (creation.Initializer != null)
                    {
                        Overlay(result, ReadInitializer(creation.Initializer, ""));
                    }
                    return result;
                }
                case IAnonymousFunctionOperation lambda:
                {
                    var returned = lambda.Body.Descendants().OfType<IReturnOperation>().FirstOrDefault()?.ReturnedValue;
                    var parameter = lambda.Symbol.Parameters.FirstOrDefault();
                    returned = StackDeclarationReader.Unwrap(returned);
                    if (returned is IParameterReferenceOperation same && SymbolEqualityComparer.Default.Equals(same.Parameter, parameter))
                    {
                        return baseline is null ? null : new List<SettingValue>(baseline);
                    }
                    if (returned is IWithOperation with && StackDeclarationReader.Unwrap(with.Operand) is IParameterReferenceOperation p
                        && SymbolEqualityComparer.Default.Equals(p.Parameter, parameter))
                    {
                        var overlay = with.Initializer is null ? new List<SettingValue>() : ReadInitializer(with.Initializer, "");
                        if (baseline is null)
                        {
                            return null;
                        }
                        var result = new List<SettingValue>(baseline);
                        Overlay(result, overlay);
                        return result;
                    }
                    if (returned is IWithOperation or IObjectCreationOperation)
                    {
                        return Read(returned, baseline, defaults, depth + 1);
                    }
                    return null;
                }
                case IWithOperation withOperation:
                {
                    var start = Read(withOperation.Operand, baseline, defaults, depth + 1);
                    var overlay = withOperation.Initializer is null ? new List<SettingValue>() : ReadInitializer(withOperation.Initializer, "");
                    if (start is null)
                    {
                        return null;
                    }
                    Overlay(start, overlay);
                    return start;
                }
                case ILocalReferenceOperation local when _locals.TryGetValue(local.Local, out var initializer):
                    return Read(initializer, baseline, defaults, depth + 1);
                default:
                    return null;
            }
        }

        /// <summary>Replaces the values of every key <paramref name="overlay"/> sets (and the keys under it).</summary>
        public static void Overlay(List<SettingValue> target, List<SettingValue> overlay)
        {
            foreach (var key in overlay.Select(o => o.Key).Distinct(StringComparer.Ordinal).ToList())
            {
                target.RemoveAll(t => t.Key == key || t.Key.StartsWith(key + ".", StringComparison.Ordinal));
            }
            target.AddRange(overlay);
        }

        private List<SettingValue> ReadInitializer(IObjectOrCollectionInitializerOperation initializer, string prefix)
        {
            var values = new List<SettingValue>();
            foreach (var assignment in initializer.Initializers.OfType<ISimpleAssignmentOperation>())
            {
                if (!(assignment.Target is IPropertyReferenceOperation target))
                {
                    continue;
                }
                var key = (prefix.Length == 0 ? "" : prefix + ".") + ProjectInputs.ToSnakeCase(target.Property.Name);
                var before = values.Count;
                ReadValue(assignment.Value, key, values, 0);
                if (values.Count == before)
                {
                    // Assigned from something we cannot read: mark the key as set, value unknown.
                    values.Add(new SettingValue(key, null, assignment.Value.Syntax.GetLocation()));
                }
            }
            return values;
        }

        private void ReadValue(IOperation operation, string key, List<SettingValue> into, int depth)
        {
            if (depth > 16)
            {
                return;
            }
            var value = StackDeclarationReader.Unwrap(operation)!;
            var isSecret = _manifest.SecretKeys.Contains(key);
            if (value is IFieldReferenceOperation enumField && enumField.Field.ContainingType?.TypeKind == TypeKind.Enum)
            {
                Add(into, new SettingValue(key, enumField.Field.Name, value.Syntax.GetLocation()) { IsEnumMember = true });
                return;
            }
            if (value.ConstantValue.HasValue)
            {
                var text = value.ConstantValue.Value switch
                {
                    null => null,
                    string s => s,
                    bool b => b ? "true" : "false",
                    IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                    var other => other.ToString(),
                };
                if (value.Type?.TypeKind == TypeKind.Enum)
                {
                    return;
                }
                Add(into, new SettingValue(key, text, value.Syntax.GetLocation(), isSecret));
                return;
            }
            switch (value)
            {
                case IFieldReferenceOperation field when field.Field.ContainingType?.TypeKind == TypeKind.Enum:
                    Add(into, new SettingValue(key, field.Field.Name, value.Syntax.GetLocation()) { IsEnumMember = true });
                    return;
                case IInvocationOperation call when call.TargetMethod.Name == "Parse"
                    && StackDeclarationReader.IsSdkType(call.TargetMethod.ContainingType, "SecretReference"):
                {
                    var argument = call.Arguments.FirstOrDefault()?.Value;
                    var literal = StackDeclarationReader.Unwrap(argument);
                    if (literal != null && literal.ConstantValue.HasValue && literal.ConstantValue.Value is string reference)
                    {
                        Add(into, new SettingValue(key, reference, literal.Syntax.GetLocation(), isSecret: true));
                    }
                    return;
                }
                case IInvocationOperation factory when StackDeclarationReader.IsSdkType(factory.TargetMethod.ContainingType, "SecretReference"):
                    // Vault(...), Sops(...), Environment(...), File(...): references by construction.
                    return;
                case IObjectCreationOperation creation when creation.Initializer != null:
                    into.AddRange(ReadInitializer(creation.Initializer, key));
                    return;
                case ILocalReferenceOperation local when _locals.TryGetValue(local.Local, out var initializer):
                    ReadValue(initializer, key, into, depth + 1);
                    return;
            }
            foreach (var child in value.ChildOperations)
            {
                if (child is IInstanceReferenceOperation)
                {
                    continue;
                }
                ReadValue(child, key, into, depth + 1);
            }
        }

        private void Add(List<SettingValue> into, SettingValue value)
        {
            into.Add(value);
            Literals.Add(value);
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using FlatRacoon.Generators.Helpers;
using FlatRacoon.Generators.Json;
using FlatRacoon.Generators.Model;
using FlatRacoon.Topology;

namespace FlatRacoon.Generators
{
    /// <summary>A schema node with its C# type decided. Lives only inside the BuildModel step.</summary>
    internal sealed class BoundSchema
    {
        public BoundSchema(SchemaNode node, TypeRef type, string path)
        {
            Node = node;
            Type = type;
            Path = path;
        }

        public SchemaNode Node { get; }
        public TypeRef Type { get; }
        public string Path { get; }
        public BoundSchema? Items { get; set; }
        public List<BoundProperty> Properties { get; } = new();
        public Regex? Pattern { get; set; }

        public bool HasRequiredMembers => Properties.Any(p => p.Mode == PropertyMode.Required);

        public BoundProperty? Find(string jsonName)
        {
            foreach (var property in Properties)
            {
                if (string.Equals(property.JsonName, jsonName, StringComparison.Ordinal))
                {
                    return property;
                }
            }
            return null;
        }
    }

    internal sealed class BoundProperty
    {
        public BoundProperty(string jsonName, string name, BoundSchema schema, PropertyMode mode, ValueSpec? defaultValue)
        {
            JsonName = jsonName;
            Name = name;
            Schema = schema;
            Mode = mode;
            Default = defaultValue;
        }

        public string JsonName { get; }
        public string Name { get; }
        public BoundSchema Schema { get; }
        public PropertyMode Mode { get; }
        public ValueSpec? Default { get; }
    }

    /// <summary>Whose value is being checked: a schema default (no environment) or an environment's setting.</summary>
    internal readonly record struct ValueContext(string Module, string? Environment)
    {
        public string Label => Environment is null ? "Default" : $"Value in environment '{Environment}'";

        public string Qualify(string path) => Environment is null ? (path.Length == 0 ? "(the whole configuration)" : path) : (path.Length == 0 ? Module : Module + "." + path);
    }

    internal sealed partial class FlatRacoonGenerator
    {
        /// <summary>Gives a module's schema its C# shape: type names, property names, modes and defaults.</summary>
        internal sealed class Binder
        {
            private static readonly HashSet<string> s_reservedMembers = new(StringComparer.Ordinal)
            {
                "Default", "WriteJson", "EqualityContract", "Equals", "GetHashCode", "ToString", "PrintMembers", "Deconstruct",
                "GetType", "MemberwiseClone", "Finalize", "Clone", "ToSchemaValue",
            };

            private readonly string _module;
            private readonly string _pascal;
            private readonly HashSet<string> _typeNames;
            private readonly List<DiagnosticInfo> _diagnostics;
            private readonly List<RecordSpec> _records = new();
            private readonly List<EnumSpec> _enums = new();

            public Binder(string module, string pascal, HashSet<string> typeNames, List<DiagnosticInfo> diagnostics)
            {
                _module = module;
                _pascal = pascal;
                _typeNames = typeNames;
                _diagnostics = diagnostics;
            }

            public BoundSchema BindRoot(SchemaNode root) =>
                BindRecord(root, _pascal + "Config", "", root.Default, isRoot: true);

            public ConfigSpec ToConfigSpec(BoundSchema root) => new(
                root.Type.Name!,
                _pascal + "StackBuilderExtensions",
                _records.ToEquatableArray(),
                _enums.ToEquatableArray(),
                root.Properties.Where(p => p.Mode == PropertyMode.Required).Select(p => p.JsonName).ToEquatableArray());

            /// <summary>The SDK's checked value type for a schema <c>format</c> (null: a plain string).</summary>
            internal static string? CheckedType(string? format) => format switch
            {
                Formats.ZeroTierNetworkId => "ZeroTierNetworkId",
                Formats.Ipv6Prefix => "Ipv6Prefix",
                Formats.IpPrefix => "IpPrefix",
                Formats.Ipv6Address => "Ipv6Address",
                Formats.DnsName => "DnsName",
                Formats.DnsLabel => "DnsLabel",
                Formats.Uri => "AbsoluteUri",
                _ => null,
            };

            private static string DoubleLiteral(double value) =>
                double.IsInfinity(value) || double.IsNaN(value) ? "double.NaN" : value.ToString("R", CultureInfo.InvariantCulture) + "d";

            private BoundSchema Bind(SchemaNode node, string typeName, string path, JsonNode? effectiveDefault, LocationInfo nameLocation)
            {
                switch (node.Kind)
                {
                    case SchemaKind.String:
                        if (!node.Enum.IsEmpty)
                        {
                            Register(typeName, path, nameLocation);
                            _enums.Add(new EnumSpec(
                                typeName,
                                path,
                                node.Description,
                                node.Enum.Select(v => new EnumMemberSpec(Names.ToPascalCase(v)!, v)).ToEquatableArray()));
                            return Leaf(new TypeRef(TypeKind.Enum, typeName, null));
                        }
                        return Leaf(node.Format == Formats.SecretRef ? TypeRef.SecretReference
                            : CheckedType(node.Format) is { } checkedType ? new TypeRef(TypeKind.String, checkedType, null)
                            : TypeRef.String);
                    case SchemaKind.Integer:
                        return Leaf(node.NeedsLong ? TypeRef.Int64 : TypeRef.Int32);
                    case SchemaKind.Number:
                        return Leaf(TypeRef.Double);
                    case SchemaKind.Boolean:
                        return Leaf(TypeRef.Boolean);
                    case SchemaKind.Map:
                        var values = Bind(node.Items!, typeName + "Value", path + "{}", null, nameLocation);
                        return new BoundSchema(node, TypeRef.Map, path) { Items = values };
                    case SchemaKind.Array:
                        var itemName = node.Items!.Title is { } title && Names.ToPascalCase(title) is { } t ? _pascal + t : typeName + "Item";
                        var items = Bind(node.Items, itemName, path + "[]", null, nameLocation);
                        return new BoundSchema(node, new TypeRef(TypeKind.Array, null, items.Type), path) { Items = items };
                    default:
                        return BindRecord(node, typeName, path, effectiveDefault, isRoot: false, nameLocation);
                }

                BoundSchema Leaf(TypeRef type)
                {
                    var bound = new BoundSchema(node, type, path);
                    if (node.Pattern is { } pattern)
                    {
                        bound.Pattern = RegexCache.Get(pattern);
                    }
                    return bound;
                }
            }

            private BoundSchema BindRecord(SchemaNode node, string typeName, string path, JsonNode? effectiveDefault, bool isRoot, LocationInfo? nameLocation = null)
            {
                if (!isRoot)
                {
                    Register(typeName, path, nameLocation ?? node.Location);
                }
                var bound = new BoundSchema(node, new TypeRef(TypeKind.Record, typeName, null), path);
                var recordIndex = _records.Count;
                _records.Add(null!); // placeholder: the parent record comes before its nested ones

                if (effectiveDefault is not null && effectiveDefault.Kind != JsonKind.Null)
                {
                    if (effectiveDefault.Kind != JsonKind.Object)
                    {
                        _diagnostics.Add(Parser.WrongType("the default of " + Display(path), "an object", effectiveDefault));
                        effectiveDefault = null;
                    }
                    else
                    {
                        foreach (var member in effectiveDefault.Members)
                        {
                            if (!node.Properties.Any(p => p.Name == member.Name))
                            {
                                _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SchemaViolation, member.NameLocation, "Default", Display(path),
                                    $"there is no property '{member.Name}'"));
                            }
                        }
                    }
                }

                var childPrefix = isRoot ? _pascal : typeName;
                var names = new HashSet<string>(StringComparer.Ordinal);
                var properties = new List<PropertySpec>();
                foreach (var property in node.Properties)
                {
                    var childPath = path.Length == 0 ? property.Name : path + "." + property.Name;
                    var name = Names.ToPascalCase(property.Name);
                    if (name is null)
                    {
                        Unsupported(property.NameLocation, $"Property '{childPath}' has no letters or digits to make a C# name of");
                        continue;
                    }
                    if (s_reservedMembers.Contains(name) || name == typeName)
                    {
                        Unsupported(property.NameLocation, $"Property '{childPath}' would become the C# member '{name}', which the generated record already has; rename the property");
                        continue;
                    }
                    if (!names.Add(name))
                    {
                        Unsupported(property.NameLocation, $"Property '{childPath}' becomes the C# name '{name}', like another property of the same object");
                        continue;
                    }

                    var childDefault = effectiveDefault?.GetMember(property.Name)?.Value ?? property.Schema.Default;
                    if (childDefault is { Kind: JsonKind.Null })
                    {
                        childDefault = null;
                    }
                    var childTypeName = property.Schema.Title is { } title && Names.ToPascalCase(title) is { } t ? _pascal + t : childPrefix + name;
                    var child = Bind(property.Schema, childTypeName, childPath, childDefault, property.NameLocation);
                    var isRequired = node.Required.Contains(property.Name);

                    PropertyMode mode;
                    ValueSpec? defaultValue = null;
                    if (child.Type.Kind == TypeKind.Record)
                    {
                        if (!child.HasRequiredMembers)
                        {
                            mode = PropertyMode.Defaulted;
                            defaultValue = new ValueSpec(ValueKind.Record, null, child.Type, default, default);
                        }
                        else
                        {
                            mode = isRequired ? PropertyMode.Required : PropertyMode.Optional;
                        }
                    }
                    else if (childDefault is not null)
                    {
                        mode = PropertyMode.Defaulted;
                        if (Validator.Validate(child, childDefault, childPath, new ValueContext(_module, null), _diagnostics))
                        {
                            defaultValue = Validator.ToValue(child, childDefault);
                        }
                    }
                    else
                    {
                        mode = isRequired ? PropertyMode.Required : PropertyMode.Optional;
                    }

                    bound.Properties.Add(new BoundProperty(property.Name, name, child, mode, defaultValue));
                    string? minimum = null, maximum = null;
                    if (child.Type.Kind is TypeKind.Int32 or TypeKind.Int64 or TypeKind.Double)
                    {
                        minimum = property.Schema.Minimum is { } min && Parser.TryGetDouble(min, out var minValue) ? DoubleLiteral(minValue) : null;
                        maximum = property.Schema.Maximum is { } max && Parser.TryGetDouble(max, out var maxValue) ? DoubleLiteral(maxValue) : null;
                    }
                    properties.Add(new PropertySpec(property.Name, name, child.Type, mode, defaultValue, property.Schema.Description, Constraints(property.Schema), minimum, maximum));
                }

                _records[recordIndex] = new RecordSpec(typeName, isRoot, node.Description, path, properties.ToEquatableArray());
                return bound;
            }

            private static EquatableArray<string> Constraints(SchemaNode node)
            {
                var list = new List<string>();
                if (node.Kind == SchemaKind.Array && node.Items is { } items)
                {
                    list.AddRange(Constraints(items).Select(c => "each item: " + c));
                }
                if (node.Kind == SchemaKind.Map && node.Items is { } values)
                {
                    list.AddRange(Constraints(values).Select(c => "each value: " + c));
                }
                if (!node.Enum.IsEmpty)
                {
                    list.Add("one of " + string.Join(", ", node.Enum.Select(v => "\"" + v + "\"")));
                }
                if (node.Format is { } format)
                {
                    list.Add("format " + format);
                }
                if (node.Pattern is { } pattern)
                {
                    list.Add("pattern " + pattern);
                }
                if (node.Minimum is { } minimum)
                {
                    list.Add("minimum " + minimum.Text);
                }
                if (node.Maximum is { } maximum)
                {
                    list.Add("maximum " + maximum.Text);
                }
                return list.ToEquatableArray();
            }

            private void Register(string typeName, string path, LocationInfo location)
            {
                if (!_typeNames.Add(typeName))
                {
                    Unsupported(location, $"Setting '{Display(path)}' of module '{_module}' would generate the type '{typeName}', which another generated type already uses; give its schema a \"title\" to choose another name");
                }
            }

            private void Unsupported(LocationInfo location, string message) =>
                _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedSchemaConstruct, location, message));

            private static string Display(string path) => path.Length == 0 ? "the configuration" : "'" + path + "'";
        }

        /// <summary>Checks JSON values (defaults and environment settings) against bound schemas and turns them into C# values.</summary>
        internal static class Validator
        {
            public static bool Validate(BoundSchema schema, JsonNode value, string path, ValueContext context, List<DiagnosticInfo> diagnostics)
            {
                var what = context.Qualify(path);
                switch (schema.Type.Kind)
                {
                    case TypeKind.String:
                    case TypeKind.SecretReference:
                    case TypeKind.Enum:
                        if (value.Kind != JsonKind.String)
                        {
                            return Wrong("a string");
                        }
                        var text = value.Text!;
                        if (!schema.Node.Enum.IsEmpty && !schema.Node.Enum.Contains(text))
                        {
                            return Violation($"'{text}' is not one of {string.Join(", ", schema.Node.Enum.Select(v => "'" + v + "'"))}");
                        }
                        if (schema.Pattern is { } pattern)
                        {
                            bool matches;
                            try
                            {
                                matches = pattern.IsMatch(text);
                            }
                            catch (RegexMatchTimeoutException)
                            {
                                return Violation($"matching '{text}' against the pattern '{pattern}' timed out");
                            }
                            if (!matches)
                            {
                                return Violation($"'{text}' does not match the pattern '{pattern}'");
                            }
                        }
                        if (schema.Node.Format is { } format && Formats.Check(format, text) is { } why)
                        {
                            return Violation(format == Formats.SecretRef
                                ? $"the value is not a secret reference: {why}"
                                : $"'{text}' is not valid: {why}");
                        }
                        return true;
                    case TypeKind.Int32:
                    case TypeKind.Int64:
                        if (value.Kind != JsonKind.Number)
                        {
                            return Wrong("an integer");
                        }
                        if (!Parser.TryGetInteger(value, out var integer))
                        {
                            return Wrong("an integer", "the number " + value.Text);
                        }
                        if (schema.Type.Kind == TypeKind.Int32 && (integer < int.MinValue || integer > int.MaxValue))
                        {
                            return Violation($"{value.Text} does not fit a 32-bit integer; declare a minimum or maximum outside that range to get a 64-bit property");
                        }
                        if (schema.Node.Format == Formats.Asn && Formats.Check(Formats.Asn, integer.ToString(CultureInfo.InvariantCulture)) is { } asnWhy)
                        {
                            return Violation($"{value.Text} is not valid: {asnWhy}");
                        }
                        return CheckBounds(integer);
                    case TypeKind.Double:
                        if (value.Kind != JsonKind.Number)
                        {
                            return Wrong("a number");
                        }
                        if (!Parser.TryGetDouble(value, out var number))
                        {
                            return Wrong("a finite number", "the number " + value.Text);
                        }
                        return CheckBounds(number);
                    case TypeKind.Boolean:
                        return value.IsBoolean || Wrong("true or false");
                    case TypeKind.Map:
                        if (value.Kind != JsonKind.Object)
                        {
                            return Wrong("an object of strings");
                        }
                        var mapOk = true;
                        foreach (var member in value.Members)
                        {
                            mapOk &= Validate(schema.Items!, member.Value, Join(path, member.Name), context, diagnostics);
                        }
                        return mapOk;
                    case TypeKind.Array:
                        if (value.Kind != JsonKind.Array)
                        {
                            return Wrong("an array");
                        }
                        var arrayOk = true;
                        for (var i = 0; i < value.Items.Count; i++)
                        {
                            var item = value.Items[i];
                            var itemPath = path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                            if (item.Kind == JsonKind.Null)
                            {
                                diagnostics.Add(Parser.WrongType(context.Qualify(itemPath), "a value (array elements cannot be null)", item));
                                arrayOk = false;
                                continue;
                            }
                            arrayOk &= Validate(schema.Items!, item, itemPath, context, diagnostics);
                        }
                        return arrayOk;
                    default:
                        return ValidateRecord(schema, value, path, context, diagnostics);
                }

                bool Wrong(string expected, string? actual = null)
                {
                    diagnostics.Add(Parser.WrongType(what, expected, value, actual));
                    return false;
                }

                bool Violation(string why)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SchemaViolation, value.Location, context.Label, what, why));
                    return false;
                }

                bool CheckBounds(double actual)
                {
                    if (schema.Node.Minimum is { } min && Parser.TryGetDouble(min, out var minimum) && actual < minimum)
                    {
                        return Violation($"{value.Text} is below the minimum {min.Text}");
                    }
                    if (schema.Node.Maximum is { } max && Parser.TryGetDouble(max, out var maximum) && actual > maximum)
                    {
                        return Violation($"{value.Text} is above the maximum {max.Text}");
                    }
                    return true;
                }
            }

            private static bool ValidateRecord(BoundSchema schema, JsonNode value, string path, ValueContext context, List<DiagnosticInfo> diagnostics)
            {
                if (value.Kind != JsonKind.Object)
                {
                    diagnostics.Add(Parser.WrongType(context.Qualify(path), "an object", value));
                    return false;
                }
                var ok = true;
                var given = new HashSet<string>(StringComparer.Ordinal);
                foreach (var member in value.Members)
                {
                    var memberPath = Join(path, member.Name);
                    var property = schema.Find(member.Name);
                    if (property is null)
                    {
                        var known = schema.Properties.Count == 0 ? "none" : string.Join(", ", schema.Properties.Select(p => p.JsonName));
                        diagnostics.Add(context.Environment is { } environment
                            ? DiagnosticInfo.Create(DiagnosticDescriptors.UnknownModuleOrSetting, member.NameLocation, environment,
                                $"unknown setting '{memberPath}' of module '{context.Module}' (settings{(path.Length == 0 ? "" : " of '" + path + "'")}: {known})")
                            : DiagnosticInfo.Create(DiagnosticDescriptors.SchemaViolation, member.NameLocation, context.Label, context.Qualify(path),
                                $"there is no property '{member.Name}'"));
                        ok = false;
                        continue;
                    }
                    given.Add(member.Name);
                    if (member.Value.Kind == JsonKind.Null)
                    {
                        if (property.Mode != PropertyMode.Optional)
                        {
                            diagnostics.Add(Parser.WrongType(context.Qualify(memberPath), "a value (the setting is not optional)", member.Value));
                            ok = false;
                        }
                        continue;
                    }
                    ok &= Validate(property.Schema, member.Value, memberPath, context, diagnostics);
                }
                foreach (var property in schema.Properties)
                {
                    if (property.Mode == PropertyMode.Required && !given.Contains(property.JsonName))
                    {
                        var where = context.Environment is { } environment
                            ? $"the settings of module '{context.Module}' in environment '{environment}'{(path.Length == 0 ? "" : " ('" + path + "')")}: the schema requires it and gives no default"
                            : $"this default of '{context.Qualify(path)}': the schema requires it and gives no default";
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingRequiredKey, value.Location, property.JsonName, where));
                        ok = false;
                    }
                }
                return ok;
            }

            /// <summary>The C# value of a JSON value already validated against <paramref name="schema"/>.</summary>
            public static ValueSpec ToValue(BoundSchema schema, JsonNode value)
            {
                if (value.Kind == JsonKind.Null)
                {
                    return new ValueSpec(ValueKind.Null, null, schema.Type, default, default);
                }
                switch (schema.Type.Kind)
                {
                    case TypeKind.String:
                        return Literal(Names.StringLiteral(value.Text!));
                    case TypeKind.SecretReference:
                        return new ValueSpec(ValueKind.Secret, value.Text, schema.Type, default, default);
                    case TypeKind.Enum:
                        return new ValueSpec(ValueKind.EnumMember, Names.ToPascalCase(value.Text!), schema.Type, default, default);
                    case TypeKind.Int32:
                        Parser.TryGetInteger(value, out var i);
                        return Literal(i.ToString(CultureInfo.InvariantCulture));
                    case TypeKind.Int64:
                        Parser.TryGetInteger(value, out var l);
                        return Literal(l.ToString(CultureInfo.InvariantCulture) + "L");
                    case TypeKind.Double:
                        Parser.TryGetDouble(value, out var d);
                        return Literal(FormatDouble(d));
                    case TypeKind.Boolean:
                        return Literal(value.Kind == JsonKind.True ? "true" : "false");
                    case TypeKind.Map:
                        return new ValueSpec(ValueKind.Map, null, schema.Type,
                            value.Members.Select(m => new ValueMember(m.Name, Literal(Names.StringLiteral(m.Value.Text!)))).ToEquatableArray(), default);
                    case TypeKind.Array:
                        return new ValueSpec(ValueKind.Array, null, schema.Items!.Type, default,
                            value.Items.Select(item => ToValue(schema.Items!, item)).ToEquatableArray());
                    default:
                        // Schema order, so reordering keys in the JSON does not change the generated code.
                        var members = new List<ValueMember>();
                        foreach (var property in schema.Properties)
                        {
                            if (value.GetMember(property.JsonName) is { } member)
                            {
                                members.Add(new ValueMember(property.Name, ToValue(property.Schema, member.Value)));
                            }
                        }
                        return new ValueSpec(ValueKind.Record, null, schema.Type, members.ToEquatableArray(), default);
                }

                ValueSpec Literal(string text) => new(ValueKind.Literal, text, schema.Type, default, default);
            }

            public static string FormatDouble(double value)
            {
                var text = value.ToString("R", CultureInfo.InvariantCulture);
                return text.IndexOfAny(new[] { '.', 'E', 'e' }) >= 0 ? text : text + ".0";
            }

            private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;
        }
    }
}

using FlatRacoon.Generators.Helpers;

namespace FlatRacoon.Generators.Model
{
    // What the emitter reads: names, literals and shapes only. No locations, so an edit that only
    // moves tokens around yields an equal spec and no source is regenerated.

    /// <summary>MSBuild settings the generator reads (build_property.FlatRacoonGenerated*).</summary>
    internal sealed record GeneratorOptions(string Namespace, bool IsPublic, bool AllModules = false)
    {
        public const string DefaultNamespace = "FlatRacoon.Generated";
    }

    /// <summary>Everything the generator emits for one compilation.</summary>
    internal sealed record GenerationSpec(
        string Namespace,
        bool IsPublic,
        bool HasManifests,
        EquatableArray<ModuleSpec> Modules,
        EquatableArray<CapabilitySpec> Capabilities,
        bool HasEnvironments,
        EquatableArray<EnvironmentSpec> Environments,
        DefaultsClassSpec? StackDefaults,
        // Every module's typed API, named in code or not: FlatRacoonGenerateAllModules, or public visibility
        // (another assembly may use what this one does not name).
        bool AllModules = false)
    {
        public static GenerationSpec Empty(GeneratorOptions options) =>
            new(options.Namespace, options.IsPublic, false, default, default, false, default, null, options.AllModules || options.IsPublic);
    }

    /// <summary>
    /// What to emit: the spec, and which modules (by name) and external capabilities get their typed API
    /// because the project's code or an environment names them (docs/reference/generated-code.md, "On demand").
    /// </summary>
    internal sealed record EmissionSpec(
        GenerationSpec Spec,
        EquatableArray<string> NamedModules,
        EquatableArray<string> NamedExternals);

    internal sealed record ModuleSpec(
        string Name,
        string Pascal,
        string Version,
        string Layer,
        EquatableArray<string> Requires,
        EquatableArray<string> Provides,
        EndpointModel? HealthEndpoint,
        EndpointModel? MetricsEndpoint,
        ImageModel? Image,
        string Workload,
        string? Description,
        // Null when the manifest's config_schema is null: the module uses EmptyModuleConfig.
        ConfigSpec? Config,
        EquatableArray<BindingModel> Bindings);

    /// <summary>A module's configuration types.</summary>
    internal sealed record ConfigSpec(
        string TypeName,
        string ExtensionsTypeName,
        // The root record first, then nested records depth-first in schema order.
        EquatableArray<RecordSpec> Records,
        EquatableArray<EnumSpec> Enums,
        // Schema names of required settings without a default; empty when the config has a Default.
        EquatableArray<string> RequiredSettings);

    internal sealed record RecordSpec(
        string Name,
        bool IsRoot,
        string? Description,
        string SchemaPath,
        EquatableArray<PropertySpec> Properties)
    {
        public bool HasRequiredMembers
        {
            get
            {
                foreach (var property in Properties)
                {
                    if (property.Mode == PropertyMode.Required)
                    {
                        return true;
                    }
                }
                return false;
            }
        }
    }

    internal enum PropertyMode
    {
        /// <summary>A C# <c>required</c> member (required by the schema, no default).</summary>
        Required,
        /// <summary>Initialized with the schema's default.</summary>
        Defaulted,
        /// <summary>Neither required nor defaulted: nullable.</summary>
        Optional,
    }

    internal sealed record PropertySpec(
        string JsonName,
        string Name,
        TypeRef Type,
        PropertyMode Mode,
        ValueSpec? Default,
        string? Description,
        EquatableArray<string> Constraints,
        // The schema's minimum/maximum as C# double literals (null: open), for number settings.
        string? Minimum = null,
        string? Maximum = null);

    internal sealed record EnumSpec(string Name, string SchemaPath, string? Description, EquatableArray<EnumMemberSpec> Members);

    internal sealed record EnumMemberSpec(string Name, string Value);

    internal enum TypeKind
    {
        String,
        SecretReference,
        Int32,
        Int64,
        Double,
        Boolean,
        Enum,
        Record,
        Array,
        Map,
    }

    /// <summary>A C# type: a keyword type, a generated enum/record (by name), an array of an element type, or a string map.
    /// A <see cref="TypeKind.String"/> with a <see cref="Name"/> is the SDK's checked value type of that name (a schema <c>format</c>).</summary>
    internal sealed record TypeRef(TypeKind Kind, string? Name, TypeRef? Element)
    {
        public static readonly TypeRef String = new(TypeKind.String, null, null);
        public static readonly TypeRef SecretReference = new(TypeKind.SecretReference, null, null);
        public static readonly TypeRef Int32 = new(TypeKind.Int32, null, null);
        public static readonly TypeRef Int64 = new(TypeKind.Int64, null, null);
        public static readonly TypeRef Double = new(TypeKind.Double, null, null);
        public static readonly TypeRef Boolean = new(TypeKind.Boolean, null, null);
        public static readonly TypeRef Map = new(TypeKind.Map, null, null);
    }

    internal enum ValueKind
    {
        /// <summary>A ready C# literal in <see cref="ValueSpec.Text"/> (number, bool, string).</summary>
        Literal,
        /// <summary>A secret reference URI in <see cref="ValueSpec.Text"/>.</summary>
        Secret,
        /// <summary>A member <see cref="ValueSpec.Text"/> of the enum <see cref="ValueSpec.Type"/>.</summary>
        EnumMember,
        /// <summary>An ImmutableArray of <see cref="ValueSpec.Type"/> holding <see cref="ValueSpec.Items"/>.</summary>
        Array,
        /// <summary>A string map: <see cref="ValueSpec.Members"/> are key/literal pairs.</summary>
        Map,
        /// <summary>A new record <see cref="ValueSpec.Type"/> setting <see cref="ValueSpec.Members"/>.</summary>
        Record,
        Null,
    }

    /// <summary>A value to write as a C# expression (a default or an environment's setting).</summary>
    internal sealed record ValueSpec(ValueKind Kind, string? Text, TypeRef? Type, EquatableArray<ValueMember> Members, EquatableArray<ValueSpec> Items);

    internal sealed record ValueMember(string Name, ValueSpec Value);

    internal sealed record CapabilitySpec(string Name, string Pascal, bool IsExternal, EquatableArray<string> ProvidedBy, EquatableArray<string> RequiredBy);

    internal sealed record EnvironmentSpec(
        string Name,
        string Pascal,
        string? Description,
        bool Ipv6Only,
        string? SitePrefix,
        string? ClusterPrefix,
        bool Nat64,
        string? Nat64Prefix,
        bool Dns64,
        EquatableArray<EnvironmentModuleSpec> Modules);

    internal sealed record EnvironmentModuleSpec(string Module, string PropertyName, string ConfigTypeName, ValueSpec Value);

    /// <summary>A static class of constants from base.json; nested objects become nested classes.</summary>
    internal sealed record DefaultsClassSpec(string Name, string JsonPath, EquatableArray<DefaultsMemberSpec> Members, EquatableArray<DefaultsClassSpec> Classes);

    /// <summary>A constant (<c>IsConst</c>) or a static read-only ImmutableArray property.</summary>
    internal sealed record DefaultsMemberSpec(string Name, string JsonName, string CSharpType, string Expression, bool IsConst);
}

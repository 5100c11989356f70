using FlatRacoon.Generators.Helpers;
using FlatRacoon.Generators.Json;

namespace FlatRacoon.Generators.Model
{
    // What the per-file parse step produces: plain values and LocationInfo only (no
    // AdditionalText, Compilation, ISymbol or SyntaxNode), so the driver can cache it.

    /// <summary>What an AdditionalFile is to the generator.</summary>
    internal enum FileKind
    {
        Manifest,
        Schema,
        /// <summary>A .json file read only when a manifest's config_schema points at it.</summary>
        SchemaCandidate,
        Base,
        Registry,
        Environments,
    }

    /// <summary>One input file, parsed; exactly one of the content properties is set unless parsing failed.</summary>
    internal sealed record ParsedFile(
        string Path,
        string NormalizedPath,
        FileKind Kind,
        ManifestModel? Manifest,
        SchemaModel? Schema,
        JsonNode? Root,
        EquatableArray<DiagnosticInfo> Diagnostics)
    {
        public bool HasErrors
        {
            get
            {
                foreach (var diagnostic in Diagnostics)
                {
                    if (diagnostic.IsError)
                    {
                        return true;
                    }
                }
                return false;
            }
        }
    }

    /// <summary>A module manifest (flatracoon.module.json).</summary>
    internal sealed record ManifestModel(
        string Path,
        string? Module,
        LocationInfo ModuleLocation,
        string? Version,
        string? Layer,
        EquatableArray<string> Requires,
        EquatableArray<string> Provides,
        bool HasConfigSchema,
        string? ConfigSchema,
        LocationInfo ConfigSchemaLocation,
        EndpointModel? HealthEndpoint,
        EndpointModel? MetricsEndpoint,
        string? Description,
        ImageModel? Image,
        string Workload,
        EquatableArray<BindingModel> Bindings);

    /// <summary>A typed binding of a module (manifest <c>bindings</c>): the role and the capability its target provides.</summary>
    internal sealed record BindingModel(string Role, string Capability);

    internal sealed record EndpointModel(int Port, string Path);

    internal sealed record ImageModel(string Repository, string Tag, string? Digest);

    internal enum SchemaKind
    {
        String,
        Integer,
        Number,
        Boolean,
        Array,
        Object,
        /// <summary>An object with <c>additionalProperties: {"type": "string"}</c>: a string map.</summary>
        Map,
    }

    /// <summary>A configuration schema export (the JSON Schema subset of docs/reference/config-schema.md).</summary>
    internal sealed record SchemaModel(SchemaNode Root);

    /// <summary>One (sub)schema. Defaults are kept as JSON; they are checked once the schema is bound to a module.</summary>
    internal sealed record SchemaNode(
        SchemaKind Kind,
        string? Description,
        string? Title,
        JsonNode? Default,
        EquatableArray<string> Enum,
        string? Pattern,
        string? Format,
        JsonNode? Minimum,
        JsonNode? Maximum,
        bool NeedsLong,
        SchemaNode? Items,
        EquatableArray<SchemaProperty> Properties,
        EquatableArray<string> Required,
        LocationInfo Location);

    internal sealed record SchemaProperty(string Name, LocationInfo NameLocation, SchemaNode Schema);
}

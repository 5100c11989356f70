using Microsoft.CodeAnalysis;

namespace FlatRacoon.Generators
{
    /// <summary>
    /// Every diagnostic the generator reports about its input files (FR0xxx). Each one is placed at
    /// the file, line and column of the offending JSON token; docs/rules/FRxxxx.md explains each rule.
    /// </summary>
    internal static class DiagnosticDescriptors
    {
        /// <summary>Category of every input-file rule.</summary>
        public const string Category = "FlatRacoon.Input";

        private const string HelpLinkBase = "https://github.com/flatracoon/flatracoon-sdk/blob/main/docs/rules/";

        /// <summary>FR0000: the generator itself failed; reported instead of crashing the compiler (CS8785).</summary>
        public static readonly DiagnosticDescriptor GeneratorFailure = Create(
            "FR0000",
            "The FlatRacoon generator failed",
            "The FlatRacoon generator failed while processing '{0}': {1}. This is a bug in the generator; please report it.");

        /// <summary>FR0001: a file is not valid JSON.</summary>
        public static readonly DiagnosticDescriptor JsonSyntaxError = Create(
            "FR0001",
            "Invalid JSON",
            "Invalid JSON: {0}");

        /// <summary>FR0002: a required key is missing.</summary>
        public static readonly DiagnosticDescriptor MissingRequiredKey = Create(
            "FR0002",
            "Missing required key",
            "'{0}' is required in {1}");

        /// <summary>FR0003: a value has the wrong JSON type.</summary>
        public static readonly DiagnosticDescriptor WrongValueType = Create(
            "FR0003",
            "Wrong value type",
            "'{0}' must be {1}, but is {2}");

        /// <summary>FR0004: a manifest names a layer that does not exist.</summary>
        public static readonly DiagnosticDescriptor UnknownLayer = Create(
            "FR0004",
            "Unknown layer",
            "Layer '{0}' is unknown; valid layers, bottom first: {1}");

        /// <summary>FR0005: two manifests declare the same module (or names that become the same C# name).</summary>
        public static readonly DiagnosticDescriptor DuplicateModuleName = Create(
            "FR0005",
            "Duplicate module name",
            "Module '{0}' clashes with the module declared in '{1}': {2}");

        /// <summary>FR0006: a JSON object repeats a key.</summary>
        public static readonly DiagnosticDescriptor DuplicateKey = Create(
            "FR0006",
            "Duplicate key",
            "Key '{0}' appears more than once in this object; only its first value is used");

        /// <summary>FR0007: a manifest's config_schema names a file that is not there.</summary>
        public static readonly DiagnosticDescriptor ConfigSchemaNotFound = Create(
            "FR0007",
            "Configuration schema not found",
            "config_schema '{0}' points nowhere: its JSON export '{1}' is not among the AdditionalFiles");

        /// <summary>FR0008: a name, version, port, path, image or workload is malformed.</summary>
        public static readonly DiagnosticDescriptor MalformedValue = Create(
            "FR0008",
            "Malformed name or format",
            "{0} '{1}' is malformed: {2}");

        /// <summary>FR0009: an environment configures a module or setting that does not exist.</summary>
        public static readonly DiagnosticDescriptor UnknownModuleOrSetting = Create(
            "FR0009",
            "Unknown module or setting in an environment",
            "Environment '{0}' configures {1}");

        /// <summary>FR0010: a default or environment value violates the schema.</summary>
        public static readonly DiagnosticDescriptor SchemaViolation = Create(
            "FR0010",
            "Value violates the schema",
            "{0} of '{1}' violates the schema: {2}");

        /// <summary>FR0011: an unknown key (usually a typo); ignored.</summary>
        public static readonly DiagnosticDescriptor UnknownKey = Create(
            "FR0011",
            "Unknown key",
            "'{0}' is not a key of {1}; it is ignored",
            DiagnosticSeverity.Warning);

        /// <summary>FR0012: the registry or base configuration disagrees with the manifests or the layer order.</summary>
        public static readonly DiagnosticDescriptor RegistryMismatch = Create(
            "FR0012",
            "Stack configuration disagrees with the manifests",
            "{0}",
            DiagnosticSeverity.Warning);

        /// <summary>FR0013: a schema uses something the generator cannot turn into C#.</summary>
        public static readonly DiagnosticDescriptor UnsupportedSchemaConstruct = Create(
            "FR0013",
            "Unsupported schema construct",
            "{0}");

        private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
            new(id, title, message, Category, severity, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id + ".md");
    }
}

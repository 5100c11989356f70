using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static FlatRacoon.Generators.Tests.GeneratorVerifier;

namespace FlatRacoon.Generators.Tests;

/// <summary>One test per kind of malformed input: the diagnostic, its exact span and its message arguments.</summary>
public sealed class DiagnosticTests
{
    private const string ManifestPath = Root + "modules/ipfs-overlay/flatracoon.module.json";
    private const string SchemaPath = Root + "modules/ipfs-overlay/schema.json";
    private const string EnvironmentsPath = Root + "configs/environments.json";
    private const string RegistryPath = Root + "configs/modules.json";
    private const string BasePath = Root + "configs/base.json";

    private const string Layers = "platform, orchestration, network, overlay, access, storage, naming, observability";

    /// <summary>A valid manifest without settings.</summary>
    private const string Manifest = """
        {
          "config_schema": null,
          "health_endpoint": { "path": "/health", "port": 8080 },
          "image": { "repository": "docker.io/ipfs/kubo", "tag": "v0.32.1" },
          "layer": "storage",
          "metrics_endpoint": null,
          "module": "ipfs-overlay",
          "provides": ["ipfs-storage"],
          "requires": ["kubernetes", "overlay-network"],
          "version": "0.1.0",
          "workload": "statefulset"
        }
        """;

    /// <summary>A valid manifest whose settings are in schema.json.</summary>
    private static readonly string ManifestWithSchema = Manifest.Replace("\"config_schema\": null", "\"config_schema\": \"schema.ncl\"");

    private const string Schema = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "additionalProperties": false,
          "properties": {
            "network_id": { "default": "f1a7c0de00de0001", "format": "zerotier-network-id", "type": "string" },
            "profile": { "default": "server", "enum": ["server", "low-power"], "type": "string" },
            "replicas": { "default": 3, "maximum": 15, "minimum": 1, "type": "integer" },
            "storage_size": { "default": "10Gi", "pattern": "^[0-9]+(Mi|Gi|Ti)$", "type": "string" }
          },
          "required": [],
          "title": "ipfs-overlay",
          "type": "object"
        }
        """;

    private const string Environments = """
        {
          "environments": {
            "production": {
              "modules": {
                "ipfs-overlay": { "replicas": 5 }
              },
              "site_prefix": "2001:db8:f1a7::/48"
            }
          }
        }
        """;

    [Fact]
    public async Task Valid_inputs_report_nothing() =>
        await VerifyAsync(new[] { (ManifestPath, ManifestWithSchema), (SchemaPath, Schema), (EnvironmentsPath, Environments) });

    // ------------------------------------------------------------------ FR0001

    [Fact]
    public async Task FR0001_json_syntax_error_is_reported_at_the_offending_character()
    {
        const string text = "{\n  \"module\": \"ipfs-overlay\",\n}\n";
        await VerifyAsync(
            new[] { (ManifestPath, text) },
            DiagnosticResult.CompilerError("FR0001").WithSpan(ManifestPath, 3, 1, 3, 2).WithArguments("a trailing comma is not allowed before '}'"));
    }

    [Theory]
    [InlineData("{\"module\" \"a\"}", "\"", "\"a\"", "unexpected '\"'; expected ':' after the key \"module\"")]
    [InlineData("{module: 1}", "m", null, "unexpected 'm'; expected a key in double quotes")]
    [InlineData("{\"layer\": storage}", "storage", null, "unexpected 'storage'; expected a value (strings need double quotes)")]
    [InlineData("{\"port\": 08}", "8", null, "a number must not have a leading zero")]
    [InlineData("{\"a\": [1, 2,]}", "]", null, "a trailing comma is not allowed before ']'")]
    [InlineData("{\"a\": \"x\\qy\"}", "\\q", null, "invalid escape sequence '\\q'")]
    [InlineData("{\"a\": \"open}", "\"", "\"open", "unterminated string; expected a closing '\"'")]
    [InlineData("{} {}", "{", " {}", "unexpected '{' after the end of the JSON value")]
    [InlineData("{\"a\": 1 // comment\n}", "/", null, "unexpected '/'; expected ',' or '}' after a member")]
    public async Task FR0001_json_syntax_errors(string text, string token, string? context, string message) =>
        await VerifyAsync(new[] { (ManifestPath, text) }, At(DiagnosticResult.CompilerError("FR0001"), ManifestPath, text, token, context).WithArguments(message));

    [Theory]
    [InlineData("", "the file is empty; expected a JSON value")]
    [InlineData("{\"a\": [", "unexpected end of file; expected a value")]
    public async Task FR0001_at_the_end_of_the_file(string text, string message)
    {
        var (line, column) = (1, text.Length + 1);
        await VerifyAsync(new[] { (ManifestPath, text) }, DiagnosticResult.CompilerError("FR0001").WithSpan(ManifestPath, line, column, line, column).WithArguments(message));
    }

    [Fact]
    public async Task FR0001_positions_count_crlf_line_breaks_once()
    {
        const string text = "{\r\n  \"module\": \"a\"\r\n  \"layer\": \"storage\"\r\n}";
        await VerifyAsync(new[] { (ManifestPath, text) }, DiagnosticResult.CompilerError("FR0001").WithSpan(ManifestPath, 3, 3, 3, 4));
    }

    // ------------------------------------------------------------------ FR0002

    [Fact]
    public async Task FR0002_missing_required_key_is_reported_at_the_object()
    {
        var text = Manifest.Replace("  \"layer\": \"storage\",\n", "");
        await VerifyAsync(new[] { (ManifestPath, text) },
            DiagnosticResult.CompilerError("FR0002").WithSpan(ManifestPath, 1, 1, 1, 2).WithArguments("layer", "a module manifest"));
    }

    [Fact]
    public async Task FR0002_environment_without_a_required_setting()
    {
        var schema = Schema.Replace("\"network_id\": { \"default\": \"f1a7c0de00de0001\", ", "\"network_id\": { ").Replace("\"required\": []", "\"required\": [\"network_id\"]");
        await VerifyAsync(
            new[] { (ManifestPath, ManifestWithSchema), (SchemaPath, schema), (EnvironmentsPath, Environments) },
            At(DiagnosticResult.CompilerError("FR0002"), EnvironmentsPath, Environments, "{", "{ \"replicas\"")
                .WithArguments("network_id", "the settings of module 'ipfs-overlay' in environment 'production': the schema requires it and gives no default"));
    }

    // ------------------------------------------------------------------ FR0003

    [Fact]
    public async Task FR0003_wrong_value_type()
    {
        var text = Manifest.Replace("\"version\": \"0.1.0\"", "\"version\": 1");
        await VerifyAsync(new[] { (ManifestPath, text) },
            At(DiagnosticResult.CompilerError("FR0003"), ManifestPath, text, "1", "\"version\": 1").WithArguments("version", "a string", "a number"));
    }

    [Fact]
    public async Task FR0003_environment_value_of_the_wrong_type()
    {
        var environments = Environments.Replace("{ \"replicas\": 5 }", "{ \"replicas\": \"five\" }");
        await VerifyAsync(
            new[] { (ManifestPath, ManifestWithSchema), (SchemaPath, Schema), (EnvironmentsPath, environments) },
            At(DiagnosticResult.CompilerError("FR0003"), EnvironmentsPath, environments, "\"five\"").WithArguments("ipfs-overlay.replicas", "an integer", "a string"));
    }

    // ------------------------------------------------------------------ FR0004

    [Fact]
    public async Task FR0004_unknown_layer_lists_the_valid_layers()
    {
        var text = Manifest.Replace("\"layer\": \"storage\"", "\"layer\": \"storag\"");
        await VerifyAsync(new[] { (ManifestPath, text) },
            At(DiagnosticResult.CompilerError("FR0004"), ManifestPath, text, "\"storag\"").WithArguments("storag", Layers));
    }

    // ------------------------------------------------------------------ FR0005

    [Fact]
    public async Task FR0005_duplicate_module_name_is_reported_at_the_later_manifest()
    {
        const string first = Root + "modules/a/flatracoon.module.json";
        const string second = Root + "modules/b/flatracoon.module.json";
        await VerifyAsync(new[] { (second, Manifest), (first, Manifest) },
            At(DiagnosticResult.CompilerError("FR0005"), second, Manifest, "\"ipfs-overlay\"")
                .WithArguments("ipfs-overlay", first, "module names must be unique in a compilation"));
    }

    // ------------------------------------------------------------------ FR0006

    [Fact]
    public async Task FR0006_duplicate_key_is_reported_at_the_second_key()
    {
        var text = Manifest.Replace("\"layer\": \"storage\",", "\"layer\": \"storage\",\n  \"layer\": \"naming\",");
        await VerifyAsync(new[] { (ManifestPath, text) },
            At(DiagnosticResult.CompilerError("FR0006"), ManifestPath, text, "\"layer\"", "\"layer\": \"naming\"").WithArguments("layer"));
    }

    // ------------------------------------------------------------------ FR0007

    [Fact]
    public async Task FR0007_config_schema_without_its_json_export()
    {
        await VerifyAsync(new[] { (ManifestPath, ManifestWithSchema) },
            At(DiagnosticResult.CompilerError("FR0007"), ManifestPath, ManifestWithSchema, "\"schema.ncl\"").WithArguments("schema.ncl", SchemaPath));
    }

    [Fact]
    public async Task FR0007_resolves_relative_paths_against_the_manifest()
    {
        var manifest = Manifest.Replace("\"config_schema\": null", "\"config_schema\": \"../shared/./settings.ncl\"");
        await VerifyAsync(new[] { (ManifestPath, manifest), (Root + "modules/shared/settings.json", Schema) });
        await VerifyAsync(new[] { (ManifestPath, manifest), (Root + "modules/other/settings.json", Schema) },
            At(DiagnosticResult.CompilerError("FR0007"), ManifestPath, manifest, "\"../shared/./settings.ncl\"")
                .WithArguments("../shared/./settings.ncl", Root + "modules/shared/settings.json"));
    }

    // ------------------------------------------------------------------ FR0008

    [Theory]
    [InlineData("\"module\": \"ipfs-overlay\"", "\"module\": \"IPFS\"", "\"IPFS\"", "Module name", "IPFS", "a module name is a DNS label: 1-63 lower-case letters, digits and '-', not starting or ending with '-'")]
    [InlineData("\"version\": \"0.1.0\"", "\"version\": \"1.0\"", "\"1.0\"", "Version", "1.0", "expected a semantic version MAJOR.MINOR.PATCH with an optional -prerelease, such as 0.1.0 or 1.2.3-rc.1")]
    [InlineData("\"port\": 8080", "\"port\": 70000", "70000", "Port", "70000", "a port is 1-65535")]
    [InlineData("\"path\": \"/health\"", "\"path\": \"health\"", "\"health\"", "Path", "health", "an HTTP path starts with '/' and has no spaces, such as /health")]
    [InlineData("\"workload\": \"statefulset\"", "\"workload\": \"job\"", "\"job\"", "Workload", "job", "expected deployment, statefulset or daemonset")]
    [InlineData("\"overlay-network\"", "\"Overlay_Net\"", "\"Overlay_Net\"", "Capability", "Overlay_Net", "a capability name is a DNS label: 1-63 lower-case letters, digits and '-', not starting or ending with '-'")]
    [InlineData(", \"tag\": \"v0.32.1\" }", ", \"tag\": \"v0.32.1\", \"digest\": \"sha256:abc\" }", "\"sha256:abc\"", "Image digest", "sha256:abc", "a digest is sha256: followed by 64 lower-case hex digits")]
    public async Task FR0008_malformed_name_or_format(string find, string replace, string token, string what, string value, string why)
    {
        var text = Manifest.Replace(find, replace);
        await VerifyAsync(new[] { (ManifestPath, text) },
            At(DiagnosticResult.CompilerError("FR0008"), ManifestPath, text, token).WithArguments(what, value, why));
    }

    [Fact]
    public async Task FR0008_image_without_tag()
    {
        var text = Manifest.Replace(", \"tag\": \"v0.32.1\"", "");
        await VerifyAsync(new[] { (ManifestPath, text) },
            At(DiagnosticResult.CompilerError("FR0008"), ManifestPath, text, "{", "{ \"repository\"")
                .WithArguments("Image", "docker.io/ipfs/kubo", "it has no tag; pin the image with \"tag\" (and optionally \"digest\")"));
    }

    // ------------------------------------------------------------------ FR0009

    [Fact]
    public async Task FR0009_environment_configures_an_unknown_module()
    {
        var environments = Environments.Replace("\"ipfs-overlay\": {", "\"ipfs-overlai\": {");
        await VerifyAsync(
            new[] { (ManifestPath, ManifestWithSchema), (SchemaPath, Schema), (EnvironmentsPath, environments) },
            At(DiagnosticResult.CompilerError("FR0009"), EnvironmentsPath, environments, "\"ipfs-overlai\"")
                .WithArguments("production", "module 'ipfs-overlai', which no flatracoon.module.json declares (known modules: ipfs-overlay)"));
    }

    [Fact]
    public async Task FR0009_environment_configures_an_unknown_setting()
    {
        var environments = Environments.Replace("{ \"replicas\": 5 }", "{ \"replica\": 5 }");
        await VerifyAsync(
            new[] { (ManifestPath, ManifestWithSchema), (SchemaPath, Schema), (EnvironmentsPath, environments) },
            At(DiagnosticResult.CompilerError("FR0009"), EnvironmentsPath, environments, "\"replica\"")
                .WithArguments("production", "unknown setting 'replica' of module 'ipfs-overlay' (settings: network_id, profile, replicas, storage_size)"));
    }

    // ------------------------------------------------------------------ FR0010

    [Theory]
    [InlineData("\"default\": 3, \"maximum\"", "\"default\": 0, \"maximum\"", "0", "replicas", "0 is below the minimum 1")]
    [InlineData("\"default\": \"server\"", "\"default\": \"desktop\"", "\"desktop\"", "profile", "'desktop' is not one of 'server', 'low-power'")]
    [InlineData("\"default\": \"10Gi\"", "\"default\": \"10GB\"", "\"10GB\"", "storage_size", "'10GB' does not match the pattern '^[0-9]+(Mi|Gi|Ti)$'")]
    [InlineData("\"default\": \"f1a7c0de00de0001\"", "\"default\": \"F1A7\"", "\"F1A7\"", "network_id", "'F1A7' is not valid: a ZeroTier network id is 16 lower-case hex digits")]
    public async Task FR0010_schema_default_violates_the_schema(string find, string replace, string token, string setting, string why)
    {
        var schema = Schema.Replace(find, replace);
        await VerifyAsync(new[] { (ManifestPath, ManifestWithSchema), (SchemaPath, schema) },
            At(DiagnosticResult.CompilerError("FR0010"), SchemaPath, schema, token, replace).WithArguments("Default", setting, why));
    }

    [Fact]
    public async Task FR0010_environment_value_violates_the_schema()
    {
        var environments = Environments.Replace("{ \"replicas\": 5 }", "{ \"replicas\": 50 }").Replace("\"2001:db8:f1a7::/48\"", "\"2001:db8:f1a7::1/48\"");
        await VerifyAsync(
            new[] { (ManifestPath, ManifestWithSchema), (SchemaPath, Schema), (EnvironmentsPath, environments) },
            At(DiagnosticResult.CompilerError("FR0010"), EnvironmentsPath, environments, "50")
                .WithArguments("Value in environment 'production'", "ipfs-overlay.replicas", "50 is above the maximum 15"),
            At(DiagnosticResult.CompilerError("FR0010"), EnvironmentsPath, environments, "\"2001:db8:f1a7::1/48\"")
                .WithArguments("Value in environment 'production'", "site_prefix", "'2001:db8:f1a7::1/48' is not valid: an IPv6 prefix looks like 2001:db8::/48 (address, '/', length 0-128, no host bits set)"));
    }

    // ------------------------------------------------------------------ FR0011

    [Fact]
    public async Task FR0011_unknown_manifest_key_is_a_warning()
    {
        var text = Manifest.Replace("\"provides\":", "\"provide\": [],\n  \"provides\":");
        await VerifyAsync(new[] { (ManifestPath, text) },
            At(DiagnosticResult.CompilerWarning("FR0011"), ManifestPath, text, "\"provide\"")
                .WithArguments("provide", "a module manifest (known keys: module, version, layer, requires, provides, config_schema, health_endpoint, metrics_endpoint, description, image, workload, bindings)"));
    }

    // ------------------------------------------------------------------ FR0012

    [Fact]
    public async Task FR0012_registry_entry_without_a_manifest()
    {
        const string registry = """
            {
              "modules": {
                "ipfs-overlay": { "enabled": true, "path": "modules/ipfs-overlay" },
                "zerotier-k8s-link": { "enabled": true, "path": "modules/zerotier-k8s-link" }
              }
            }
            """;
        await VerifyAsync(new[] { (ManifestPath, Manifest), (RegistryPath, registry) },
            At(DiagnosticResult.CompilerWarning("FR0012"), RegistryPath, registry, "\"zerotier-k8s-link\"")
                .WithArguments("The registry lists module 'zerotier-k8s-link', but no flatracoon.module.json declares it"));
    }

    [Fact]
    public async Task FR0012_base_layers_disagree_with_the_documented_order()
    {
        const string baseJson = """
            {
              "layers": ["platform", "network", "orchestration", "overlay", "access", "storage", "naming", "observability"],
              "network": { "dns64": true, "ipv6_only": true, "nat64": true }
            }
            """;
        await VerifyAsync(new[] { (ManifestPath, Manifest), (BasePath, baseJson) },
            At(DiagnosticResult.CompilerWarning("FR0012"), BasePath, baseJson, "[").WithArguments(
                "base.json lists the layers [platform, network, orchestration, overlay, access, storage, naming, observability], but the generator, the analyzers and the SDK use [" + Layers + "] (src/FlatRacoon.Topology/Layers.cs)"));
    }

    // ------------------------------------------------------------------ FR0013

    [Theory]
    [InlineData("\"type\": \"integer\" }", "\"type\": \"integer\", \"oneOf\": [] }", "\"oneOf\"",
        "Schema keyword 'oneOf' is not supported by the FlatRacoon generator; supported keywords: type, description, default, enum, pattern, format, minimum, maximum, items, properties, required, additionalProperties, title")]
    [InlineData("\"default\": \"10Gi\", \"pattern\": \"^[0-9]+(Mi|Gi|Ti)$\", \"type\": \"string\"", "\"type\": [\"string\", \"null\"]", "[",
        "'storage_size' lists several types; the generator supports exactly one \"type\" per schema (a setting that may be absent is simply not required)")]
    [InlineData("\"format\": \"zerotier-network-id\"", "\"format\": \"mac-address\"", "\"mac-address\"",
        "Format 'mac-address' of 'network_id' is unknown; known formats: zerotier-network-id, ipv6-prefix, ipv6-address, ip-prefix, dns-name, dns-label, asn, secret-ref, uri")]
    [InlineData("\"enum\": [\"server\", \"low-power\"]", "\"enum\": [\"low power\", \"low-power\"]", "\"low-power\"",
        "Enum values 'low power' and 'low-power' of 'profile' both become the C# name 'LowPower'")]
    public async Task FR0013_unsupported_schema_construct(string find, string replace, string token, string message)
    {
        var schema = Schema.Replace(find, replace);
        await VerifyAsync(new[] { (ManifestPath, ManifestWithSchema), (SchemaPath, schema) },
            At(DiagnosticResult.CompilerError("FR0013"), SchemaPath, schema, token, replace.Contains("low power") ? "\"low-power\"]" : replace).WithArguments(message));
    }

    [Fact]
    public async Task FR0013_invalid_pattern()
    {
        var schema = Schema.Replace("\"pattern\": \"^[0-9]+(Mi|Gi|Ti)$\"", "\"pattern\": \"([0-9]\"").Replace("\"default\": \"10Gi\", ", "");
        await VerifyAsync(new[] { (ManifestPath, ManifestWithSchema), (SchemaPath, schema) },
            At(DiagnosticResult.CompilerError("FR0013"), SchemaPath, schema, "\"([0-9]\""));
    }

    // ------------------------------------------------------------------ recognition of files

    [Fact]
    public async Task A_json_file_no_manifest_points_at_is_not_read()
    {
        await VerifyAsync(new[] { (ManifestPath, Manifest), (Root + "appsettings.json", "{ not json") });
    }

    [Fact]
    public async Task A_schema_named_by_metadata_is_always_checked()
    {
        const string path = Root + "settings/unused.json";
        const string text = "{ not json";
        await VerifyAsync(
            new[] { (ManifestPath, Manifest), (path, text) },
            globalConfig: null,
            editorConfig: $"[{path}]\nbuild_metadata.AdditionalFiles.FlatRacoonKind = schema\n",
            At(DiagnosticResult.CompilerError("FR0001"), path, text, "n"));
    }
}

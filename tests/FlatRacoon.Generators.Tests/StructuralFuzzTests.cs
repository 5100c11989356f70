using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Xunit;

namespace FlatRacoon.Generators.Tests;

/// <summary>
/// Well-formed but adversarial inputs — JSON that parses, shaped to collide with what the generator
/// emits: arrays inside arrays, keys named like generated members (count, value, item0, class),
/// capabilities whose names collide after casing, bindings, formats and ranges on every type.
/// Whatever the shape, the generator gives diagnostics or code that compiles; never a crash, never CS errors.
/// </summary>
public class StructuralFuzzTests
{
    private static readonly string[] s_keys = { "count", "value", "item0", "item1", "items", "class", "a-b", "a_b", "default", "all", "environment", "name", "x" };
    private static readonly string[] s_formats = { "zerotier-network-id", "ipv6-prefix", "ip-prefix", "ipv6-address", "dns-name", "dns-label", "uri", "secret-ref", "unknown-format" };

    [Fact]
    public void Random_well_formed_configs_manifests_and_schemas_always_compile()
    {
        var random = new Random(20261201);
        for (var round = 0; round < 40; round++)
        {
            var files = new List<Microsoft.CodeAnalysis.AdditionalText>
            {
                new TestAdditionalText("/fuzz/configs/base.json", "{" + Members(random, 3) + "}"),
            };
            var capabilities = new[] { "mesh", "me-sh", "store", "kubernetes", "api" };
            for (var m = 0; m < 3; m++)
            {
                var requires = capabilities.Where(_ => random.Next(2) == 0).ToList();
                var provides = capabilities.Where(c => c != "kubernetes" && random.Next(3) == 0).Take(2).ToList();
                var bindings = requires.Where(c => c != "kubernetes" && random.Next(2) == 0)
                    .Select((c, i) => $"\"{(i == 0 ? "overlay" : "role" + i)}\": \"{c}\"").ToList();
                var manifest = $$"""
                    {"module": "fuzz-{{m}}", "version": "1.0.0", "layer": "storage",
                     "requires": [{{string.Join(", ", requires.Select(c => $"\"{c}\""))}}],
                     "provides": [{{string.Join(", ", provides.Select(c => $"\"{c}\""))}}],
                     "bindings": { {{string.Join(", ", bindings)}} },
                     "config_schema": "schema.ncl", "health_endpoint": null, "metrics_endpoint": null}
                    """;
                files.Add(new TestAdditionalText($"/fuzz/modules/fuzz-{m}/flatracoon.module.json", manifest));
                files.Add(new TestAdditionalText($"/fuzz/modules/fuzz-{m}/schema.json", Schema(random)));
            }
            var output = GeneratorHarness.Run(files, null, GeneratorHarness.MinimalUserCode);
            var context = $"round {round}:\n" + string.Join("\n---\n", files.Select(f => f.Path + "\n" + f.GetText()));
            Assert.True(output.RunResult.Results.Single().Exception is null, context);
            Assert.DoesNotContain(output.GeneratorDiagnostics, d => d.Id is "FR0000" or "CS8785");
            var errors = output.CompilationProblems.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, context + "\n" + GeneratorHarness.Describe(errors));
        }
    }

    private static string Members(Random random, int depth)
    {
        var keys = s_keys.OrderBy(_ => random.Next()).Take(random.Next(1, 5));
        return string.Join(", ", keys.Select(k => $"\"{k}\": {Value(random, depth)}"));
    }

    private static string Value(Random random, int depth) => (depth <= 0 ? random.Next(3) : random.Next(6)) switch
    {
        0 => random.Next(-5, 5).ToString(CultureInfo.InvariantCulture),
        1 => "\"text\"",
        2 => random.Next(2) == 0 ? "true" : "1.5",
        3 => "{" + Members(random, depth - 1) + "}",
        4 => "[" + string.Join(", ", Enumerable.Range(0, random.Next(0, 3)).Select(_ => Value(random, depth - 1))) + "]",
        _ => "[[" + Value(random, depth - 1) + "], [" + Value(random, depth - 1) + "]]",
    };

    private static string Schema(Random random)
    {
        var properties = new StringBuilder();
        foreach (var key in s_keys.OrderBy(_ => random.Next()).Take(random.Next(1, 6)))
        {
            if (properties.Length > 0)
            {
                properties.Append(", ");
            }
            properties.Append($"\"{key.Replace('-', '_')}\": ");
            switch (random.Next(5))
            {
                case 0:
                    var format = s_formats[random.Next(s_formats.Length)];
                    properties.Append($"{{\"type\": \"string\", \"format\": \"{format}\"}}");
                    break;
                case 1:
                    properties.Append($"{{\"type\": \"integer\", \"minimum\": {random.Next(0, 3)}, \"maximum\": {random.Next(3, 9)}, \"default\": 3}}");
                    break;
                case 2:
                    properties.Append("{\"type\": \"number\", \"maximum\": 1.5}");
                    break;
                case 3:
                    properties.Append($"{{\"type\": \"array\", \"items\": {{\"type\": \"array\", \"items\": {{\"type\": \"string\", \"format\": \"{s_formats[random.Next(s_formats.Length)]}\"}}}}}}");
                    break;
                default:
                    properties.Append("{\"type\": \"object\", \"properties\": {\"count\": {\"type\": \"integer\", \"minimum\": 1}}, \"additionalProperties\": false}");
                    break;
            }
        }
        return "{\"type\": \"object\", \"additionalProperties\": false, \"properties\": {" + properties + "}}";
    }
}

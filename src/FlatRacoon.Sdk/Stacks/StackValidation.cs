using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using FlatRacoon.Topology;

namespace FlatRacoon;

/// <summary>
/// Runs the topology rules on a frozen stack: the same engine (<see cref="StackRules"/>) the
/// analyzers run at build time, fed from the stack's modules, bindings, configuration (as
/// <see cref="IModuleConfig.WriteJson"/> writes it) and environment.
/// </summary>
public static class StackValidation
{
    /// <summary>Every finding of every rule, errors and warnings (<see cref="IsError"/> tells which).</summary>
    public static IReadOnlyList<RuleFinding> Validate(this Stack stack) => StackRules.Check(ToModel(stack));

    /// <summary>Whether a finding fails validation (FR3xxx immutability findings are warnings).</summary>
    public static bool IsError(RuleFinding finding) => !finding.RuleId.StartsWith("FR3", System.StringComparison.Ordinal);

    /// <summary>The rule engine's view of <paramref name="stack"/>.</summary>
    public static StackModel ToModel(Stack stack)
    {
        var modules = new List<ModuleModel>();
        foreach (var instance in stack.Modules)
        {
            var descriptor = instance.Descriptor;
            var module = new ModuleModel(descriptor.Name, descriptor.Layer.ToString().ToLowerInvariant(), descriptor.Requires, descriptor.Provides)
            {
                ImageRepository = descriptor.Image?.Repository,
                ImageTag = descriptor.Image?.Tag,
                ImageDigest = descriptor.Image?.Digest,
            };
            foreach (var binding in instance.Bindings)
            {
                module.Bindings[binding.Key] = binding.Value;
            }
            foreach (var dependency in instance.ExplicitDependencies)
            {
                module.ExplicitDependencies.Add(dependency);
            }
            MiniJson.Flatten(MiniJson.Parse(ConfigText(instance.Config)), "", module.Settings);
            modules.Add(module);
        }
        return new StackModel(stack.Name, modules)
        {
            Ipv6Only = stack.Environment.Ipv6Only,
            Production = stack.Environment.Name == "production",
            Nat64Prefix = stack.Environment.Nat64Prefix is { } nat64 ? new SettingValue("nat64_prefix", nat64) : null,
            ExternalCapabilities = stack.ExternalCapabilities,
            Catalog = ModuleCatalog.All.Select(d => new TopologyNode(d.Name, d.Layer.ToString().ToLowerInvariant(), d.Requires, d.Provides)).ToList(),
        };
    }

    private static string ConfigText(IModuleConfig config)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            config.WriteJson(writer);
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}

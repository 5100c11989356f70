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
    /// <remarks>Each finding's <see cref="RuleFinding.Location"/> is a <see cref="SourceLocation"/> when the
    /// declaring line is known: the module's Add call, the call that last set its configuration for a
    /// setting's finding, the <c>WaitFor</c> that closed a cycle.</remarks>
    public static IReadOnlyList<RuleFinding> Validate(this Stack stack) =>
        StackRules.Check(ToModel(stack)).Select(f => f.RuleId switch
        {
            RuleIds.DependencyCycle => AtClosingWait(stack, f),
            RuleIds.LayeringViolation => AtWait(stack, f),
            _ => f,
        }).ToList();

    /// <summary>The declaring line of a finding, when known.</summary>
    public static SourceLocation LocationOf(RuleFinding finding) => finding.Location is SourceLocation at ? at : default;

    // A dependency up the layers is reported where it was declared (a provider argument or WaitFor).
    private static RuleFinding AtWait(Stack stack, RuleFinding finding) =>
        finding.Properties.TryGetValue("dependency", out var dependency)
        && stack.Module(finding.Module) is { } module && module.Waits.TryGetValue(dependency, out var wait) && wait.At.IsKnown
            ? Moved(finding, wait.At)
            : finding;

    private static RuleFinding Moved(RuleFinding finding, SourceLocation at)
    {
        var moved = new RuleFinding(finding.RuleId, finding.Module, finding.Message, at);
        foreach (var property in finding.Properties)
        {
            moved.Properties[property.Key] = property.Value;
        }
        return moved;
    }

    // A cycle is reported at the explicit wait declared last among its edges: the one that closed it.
    private static RuleFinding AtClosingWait(Stack stack, RuleFinding finding)
    {
        var cycle = stack.Graph.Issues.FirstOrDefault(i => i.RuleId == RuleIds.DependencyCycle && i.Module == finding.Module);
        if (cycle is null)
        {
            return finding;
        }
        WaitDeclaration? closing = null;
        var chain = cycle.Chain;
        for (var i = 0; i + 1 < chain.Count; i++)
        {
            if (stack.Module(chain[i]) is { } from && from.Waits.TryGetValue(chain[i + 1], out var wait)
                && (closing is null || wait.Sequence > closing.Value.Sequence))
            {
                closing = wait;
            }
        }
        if (closing is not { At.IsKnown: true } found)
        {
            return finding;
        }
        return Moved(finding, found.At);
    }

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
                Location = instance.DeclaredAt.IsKnown ? instance.DeclaredAt : null,
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
            var settings = new List<SettingValue>();
            using (var document = JsonDocument.Parse(ConfigText(instance.Config)))
            {
                Flatten(document.RootElement, "", settings);
            }
            object? configuredAt = instance.ConfiguredAt.IsKnown ? instance.ConfiguredAt : null;
            foreach (var setting in settings)
            {
                module.Settings.Add(new SettingValue(setting.Key, setting.Value, configuredAt, setting.IsSecret) { IsEnumMember = setting.IsEnumMember });
            }
            modules.Add(module);
        }
        return new StackModel(stack.Name, modules)
        {
            Ipv6Only = stack.Environment.Ipv6Only,
            Production = stack.Environment.Name == "production",
            Nat64Prefix = stack.Environment.Nat64Prefix is { } nat64 ? new SettingValue("nat64_prefix", nat64) : null,
            EnvironmentLocation = stack.DeclaredAt.IsKnown ? stack.DeclaredAt : null,
            ExternalCapabilities = stack.ExternalCapabilities,
            Catalog = ModuleCatalog.All.Select(d => new TopologyNode(d.Name, d.Layer.ToString().ToLowerInvariant(), d.Requires, d.Provides)).ToList(),
        };
    }

    /// <summary>
    /// Flattens a configuration object into the rule engine's key paths (<c>a.b</c>; array items share
    /// their array's key; objects inside arrays continue the path). Null values are skipped; numbers and
    /// booleans keep their JSON text.
    /// </summary>
    public static void Flatten(JsonElement node, string prefix, ICollection<SettingValue> into)
    {
        switch (node.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var member in node.EnumerateObject())
                {
                    Flatten(member.Value, prefix.Length == 0 ? member.Name : prefix + "." + member.Name, into);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in node.EnumerateArray())
                {
                    Flatten(item, prefix, into);
                }
                break;
            case JsonValueKind.String:
                into.Add(new SettingValue(prefix, node.GetString()));
                break;
            case JsonValueKind.Number:
            case JsonValueKind.True:
            case JsonValueKind.False:
                into.Add(new SettingValue(prefix, node.GetRawText()));
                break;
        }
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

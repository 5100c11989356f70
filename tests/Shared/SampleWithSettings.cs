using System;
using System.Collections.Generic;
using System.Text.Json;
using FlatRacoon.Rendering;

namespace FlatRacoon.Samples.Testing;

/// <summary>
/// The sample stack with some top-level module settings replaced (the secret references tests
/// point at known values). Shared source of the test projects that need it: one copy.
/// </summary>
internal static class SampleWithSettings
{
    /// <summary>The sample's declarations, every module's settings patched by <paramref name="replacements"/> (module → setting → value).</summary>
    public static StackBuilder Create(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> replacements)
    {
        var source = NetStack.Create();
        var builder = StackBuilder.Create(NetStack.Name, source.Environment);
        var added = new Dictionary<string, ModuleResource<PatchedConfig>>(StringComparer.Ordinal);
        foreach (var module in source.Modules)
        {
            var instance = module.ToInstance();
            var patches = replacements.TryGetValue(module.Descriptor.Name, out var p) ? p : new Dictionary<string, string>();
            added[module.Descriptor.Name] = builder.AddModule(module.Descriptor, new PatchedConfig(instance.Config, patches)).WithNamespace(instance.Namespace);
        }
        foreach (var module in source.Modules)
        {
            var resource = added[module.Descriptor.Name];
            foreach (var (role, target) in module.Bindings)
            {
                resource.BindTo(role, added[target]);
            }
            foreach (var dependency in module.ExplicitDependencies)
            {
                resource.WaitFor(added[dependency]);
            }
        }
        return builder;
    }

    /// <summary>A module configuration with top-level string settings replaced.</summary>
    private sealed class PatchedConfig : IModuleConfig
    {
        private readonly IModuleConfig _inner;
        private readonly IReadOnlyDictionary<string, string> _patches;

        public PatchedConfig(IModuleConfig inner, IReadOnlyDictionary<string, string> patches)
        {
            _inner = inner;
            _patches = patches;
        }

        public void WriteJson(Utf8JsonWriter writer)
        {
            var original = ConfigJson.ToElement(_inner);
            writer.WriteStartObject();
            foreach (var property in original.EnumerateObject())
            {
                if (_patches.TryGetValue(property.Name, out var value))
                {
                    writer.WriteString(property.Name, value);
                }
                else
                {
                    property.WriteTo(writer);
                }
            }
            writer.WriteEndObject();
        }
    }
}

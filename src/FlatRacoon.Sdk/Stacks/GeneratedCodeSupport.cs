using System;
using System.Collections.Immutable;
using System.ComponentModel;
using System.Text.Json;

namespace FlatRacoon;

/// <summary>
/// What every generated <c>Add&lt;Module&gt;</c> method and configuration record would otherwise
/// repeat, once in the SDK: a consumer with a thousand module manifests compiles each of these once,
/// not a thousand times (docs/reference/generated-code.md). Not meant to be called by hand.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GeneratedCodeSupport
{
    /// <summary>The configuration the stack's environment gives <paramref name="module"/>, or null.</summary>
    public static TConfig? EnvironmentConfig<TConfig>(StackBuilder builder, string module) where TConfig : class, IModuleConfig
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Environment.GetConfig<TConfig>(module);
    }

    /// <summary>Applies <paramref name="configure"/> (when given) at the Add call and adds <paramref name="resource"/> to its stack.</summary>
    public static TResource Add<TResource, TConfig>(TResource resource, Func<TConfig, TConfig>? configure, SourceLocation at)
        where TResource : ModuleResource<TConfig>
        where TConfig : IModuleConfig
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (configure is not null)
        {
            resource.WithConfig(configure, at.File, at.Line);
        }
        return resource.Stack.Add(resource);
    }

    /// <summary>Writes an optional number: its value, or null.</summary>
    public static void Write(Utf8JsonWriter writer, string key, int? value)
    {
        if (value is { } v) { writer.WriteNumber(key, v); } else { writer.WriteNull(key); }
    }

    /// <summary>Writes an optional number: its value, or null.</summary>
    public static void Write(Utf8JsonWriter writer, string key, long? value)
    {
        if (value is { } v) { writer.WriteNumber(key, v); } else { writer.WriteNull(key); }
    }

    /// <summary>Writes an optional number: its value, or null.</summary>
    public static void Write(Utf8JsonWriter writer, string key, double? value)
    {
        if (value is { } v) { writer.WriteNumber(key, v); } else { writer.WriteNull(key); }
    }

    /// <summary>Writes an optional boolean: its value, or null.</summary>
    public static void Write(Utf8JsonWriter writer, string key, bool? value)
    {
        if (value is { } v) { writer.WriteBoolean(key, v); } else { writer.WriteNull(key); }
    }

    /// <summary>Writes a list of strings (null when default).</summary>
    public static void Write(Utf8JsonWriter writer, string key, ImmutableArray<string>? values)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (values is not { IsDefault: false } items)
        {
            writer.WriteNull(key);
            return;
        }
        writer.WriteStartArray(key);
        foreach (var item in items)
        {
            writer.WriteStringValue(item);
        }
        writer.WriteEndArray();
    }

    /// <summary>Writes a string map (null when null), in the map's order.</summary>
    public static void Write(Utf8JsonWriter writer, string key, ImmutableSortedDictionary<string, string>? map)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (map is null)
        {
            writer.WriteNull(key);
            return;
        }
        writer.WriteStartObject(key);
        foreach (var entry in map)
        {
            writer.WriteString(entry.Key, entry.Value);
        }
        writer.WriteEndObject();
    }
}

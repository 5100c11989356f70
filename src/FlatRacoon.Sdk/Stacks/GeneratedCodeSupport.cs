using System;
using System.Collections.Generic;
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

    /// <summary>
    /// The descriptors of a program's modules: <paramref name="named"/> (the modules its code names,
    /// compiled as C#) and the others read from <paramref name="json"/>, one object per module with the
    /// manifest's keys, in ordinal name order. Data instead of a thousand object initializers keeps the
    /// modules a program does not name cheap to compile.
    /// </summary>
    /// <exception cref="FormatException">The data is not what the generator writes.</exception>
    public static ImmutableArray<ModuleDescriptor> Modules(string json, params ModuleDescriptor[] named)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(named);
        var all = ImmutableArray.CreateBuilder<ModuleDescriptor>(named.Length + 16);
        all.AddRange(named);
        try
        {
            using var document = JsonDocument.Parse(json);
            foreach (var module in document.RootElement.EnumerateArray())
            {
                all.Add(ReadDescriptor(module));
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            throw new FormatException("The generated module descriptors are not readable; rebuild the project. " + e.Message, e);
        }
        all.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return all.ToImmutable();
    }

    private static ModuleDescriptor ReadDescriptor(JsonElement module) => new()
    {
        Name = module.GetProperty("name").GetString()!,
        Version = module.GetProperty("version").GetString()!,
        Layer = Enum.Parse<Layer>(module.GetProperty("layer").GetString()!),
        Requires = Strings(module.GetProperty("requires")),
        Provides = Strings(module.GetProperty("provides")),
        HealthEndpoint = ReadEndpoint(module, "health_endpoint"),
        MetricsEndpoint = ReadEndpoint(module, "metrics_endpoint"),
        Image = module.TryGetProperty("image", out var image)
            ? new ImageReference(image.GetProperty("repository").GetString()!, image.GetProperty("tag").GetString()!,
                image.TryGetProperty("digest", out var digest) ? digest.GetString() : null)
            : null,
        Workload = Enum.Parse<WorkloadKind>(module.GetProperty("workload").GetString()!),
        Description = module.TryGetProperty("description", out var description) ? description.GetString() : null,
    };

    private static Endpoint? ReadEndpoint(JsonElement module, string key) =>
        module.TryGetProperty(key, out var endpoint)
            ? new Endpoint(endpoint.GetProperty("port").GetInt32(), endpoint.GetProperty("path").GetString()!)
            : null;

    private static ImmutableArray<string> Strings(JsonElement array)
    {
        var items = ImmutableArray.CreateBuilder<string>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            items.Add(item.GetString()!);
        }
        return items.MoveToImmutable();
    }
}

using System.Text.Json;

namespace FlatRacoon;

/// <summary>
/// A module's typed configuration. The generator emits one record per module schema; the
/// runtime only needs to write it out as JSON (snake_case keys, as in the schema).
/// </summary>
public interface IModuleConfig
{
    /// <summary>Writes the configuration as a JSON object. Secret references are written as
    /// their reference URI, never as a value.</summary>
    void WriteJson(Utf8JsonWriter writer);
}

/// <summary>Configuration of a module that has no settings of its own.</summary>
public sealed record EmptyModuleConfig : IModuleConfig
{
    /// <summary>The one instance.</summary>
    public static EmptyModuleConfig Instance { get; } = new();

    /// <inheritdoc />
    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteEndObject();
    }
}

using System;
using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FlatRacoon.Rendering;

/// <summary>Turns a module configuration into JSON, the same bytes every time.</summary>
public static class ConfigJson
{
    /// <summary>The configuration as indented JSON with '\n' line ends and a final newline.</summary>
    public static string ToText(IModuleConfig config)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            config.WriteJson(writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    /// <summary>The configuration as a detached JSON element.</summary>
    public static JsonElement ToElement(IModuleConfig config)
    {
        using var document = JsonDocument.Parse(ToText(config));
        return document.RootElement.Clone();
    }

    /// <summary>Lower-case hex SHA-256 of <paramref name="text"/>'s UTF-8 bytes.</summary>
    public static string Sha256(string text) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
}

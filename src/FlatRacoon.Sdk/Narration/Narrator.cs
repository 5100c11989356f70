using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace FlatRacoon.Narration;

/// <summary>One step of a command, in plain words, with machine-readable data beside it.</summary>
/// <param name="Step">A stable step name (<c>render.wave</c>, <c>render.done</c>).</param>
/// <param name="Message">The step in plain words.</param>
/// <param name="Data">Values for tools; never a secret value.</param>
public sealed record NarrationEvent(string Step, string Message, IReadOnlyDictionary<string, object?>? Data = null);

/// <summary>Receives the steps of a command as they happen.</summary>
public interface INarrator
{
    /// <summary>Tells one step.</summary>
    void Narrate(NarrationEvent e);
}

/// <summary>Writes each step's message as a line of text.</summary>
public sealed class TextNarrator : INarrator
{
    private readonly TextWriter _writer;

    /// <summary>Narrates to <paramref name="writer"/>.</summary>
    public TextNarrator(TextWriter writer) => _writer = writer;

    /// <inheritdoc />
    public void Narrate(NarrationEvent e) => _writer.WriteLine(e.Message);
}

/// <summary>Writes each step as one JSON object per line (<c>--output json</c>).</summary>
public sealed class JsonLinesNarrator : INarrator
{
    // Readable by people too: ' < > & and non-ASCII letters stay as they are (JSON allows them);
    // control characters and quotes are still escaped, and each event stays on one line.
    private static readonly System.Text.Encodings.Web.JavaScriptEncoder Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = Encoder };
    private static readonly JsonSerializerOptions SerializerOptions = new() { Encoder = Encoder };

    private readonly TextWriter _writer;

    /// <summary>Narrates to <paramref name="writer"/>.</summary>
    public JsonLinesNarrator(TextWriter writer) => _writer = writer;

    /// <inheritdoc />
    public void Narrate(NarrationEvent e)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("step", e.Step);
            json.WriteString("message", e.Message);
            if (e.Data is { Count: > 0 })
            {
                json.WritePropertyName("data");
                JsonSerializer.Serialize(json, e.Data, SerializerOptions);
            }
            json.WriteEndObject();
        }
        _writer.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}

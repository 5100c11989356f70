using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace FlatRacoon.Agents;

/// <summary>A setting of an agent is missing or malformed; the message is one line for a person.</summary>
public sealed class AgentSettingsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AgentSettingsException(string message) : base(message) { }
}

/// <summary>
/// An agent's settings: environment variables (the rendered manifest sets them) and the module's
/// <c>config.json</c> (<c>$FLATRACOON_CONFIG</c>). Every bad value is an
/// <see cref="AgentSettingsException"/> naming the variable.
/// </summary>
public sealed class AgentSettings
{
    private readonly IReadOnlyDictionary<string, string?> _environment;

    /// <summary>Settings from <paramref name="environment"/>.</summary>
    public AgentSettings(IReadOnlyDictionary<string, string?> environment) => _environment = environment;

    /// <summary>The process environment.</summary>
    public static AgentSettings FromProcess()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry pair in Environment.GetEnvironmentVariables())
        {
            environment[(string)pair.Key] = pair.Value as string;
        }
        return new AgentSettings(environment);
    }

    /// <summary>The variable's value, or null when unset or empty.</summary>
    public string? Text(string name) => _environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    /// <summary>The variable's value, or <paramref name="fallback"/>.</summary>
    public string Text(string name, string fallback) => Text(name) ?? fallback;

    /// <summary>The variable's value; throws when it is unset.</summary>
    public string Required(string name, string what) => Text(name) ?? throw new AgentSettingsException($"{name} is not set: {what}.");

    /// <summary>A positive number of seconds (decimals allowed), or <paramref name="fallback"/>.</summary>
    public TimeSpan Seconds(string name, double fallback)
    {
        var text = Text(name);
        if (text is null)
        {
            return TimeSpan.FromSeconds(fallback);
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= 86400
            ? TimeSpan.FromSeconds(seconds)
            : throw new AgentSettingsException($"{name} must be a number of seconds between 0 and 86400, not '{text}'.");
    }

    /// <summary>The HTTP port (<c>PORT</c>, default 8080).</summary>
    public int Port()
    {
        var text = Text("PORT", "8080");
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : throw new AgentSettingsException($"PORT must be a TCP port (1-65535), not '{text}'.");
    }

    /// <summary>The module's settings (<c>$FLATRACOON_CONFIG</c>, default /etc/flatracoon/config.json) as JSON.</summary>
    public JsonElement ModuleConfig()
    {
        var path = Text("FLATRACOON_CONFIG", "/etc/flatracoon/config.json");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw new AgentSettingsException($"{path} (FLATRACOON_CONFIG) is not a JSON object.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AgentSettingsException($"cannot read {path} (FLATRACOON_CONFIG): {e.Message}");
        }
        catch (JsonException e)
        {
            throw new AgentSettingsException($"{path} (FLATRACOON_CONFIG) is not JSON: {e.Message}");
        }
    }
}

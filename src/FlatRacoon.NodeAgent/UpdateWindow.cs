using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace FlatRacoon.NodeAgent;

/// <summary>
/// The module's <c>update_window</c>: on each listed day (<c>mon</c> ... <c>sun</c>) it opens at
/// <c>start</c> (HH:MM, node local time) for <c>duration_minutes</c>, possibly past midnight.
/// </summary>
/// <param name="Days">Days the window opens.</param>
/// <param name="Start">Time of day it opens.</param>
/// <param name="Duration">How long it stays open.</param>
public sealed record UpdateWindow(IReadOnlyCollection<DayOfWeek> Days, TimeSpan Start, TimeSpan Duration)
{
    private static readonly Dictionary<string, DayOfWeek> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mon"] = DayOfWeek.Monday, ["tue"] = DayOfWeek.Tuesday, ["wed"] = DayOfWeek.Wednesday, ["thu"] = DayOfWeek.Thursday,
        ["fri"] = DayOfWeek.Friday, ["sat"] = DayOfWeek.Saturday, ["sun"] = DayOfWeek.Sunday,
    };

    /// <summary>The schema's default: Saturday and Sunday, 03:00, 120 minutes.</summary>
    public static UpdateWindow Default { get; } = new(new[] { DayOfWeek.Saturday, DayOfWeek.Sunday }, TimeSpan.FromHours(3), TimeSpan.FromMinutes(120));

    /// <summary>Reads <c>update_window</c> of the module's config; throws <see cref="FormatException"/> on a bad value.</summary>
    public static UpdateWindow From(JsonElement config)
    {
        if (!config.TryGetProperty("update_window", out var window) || window.ValueKind != JsonValueKind.Object)
        {
            return Default;
        }
        var days = window.TryGetProperty("days", out var d) && d.ValueKind == JsonValueKind.Array
            ? d.EnumerateArray().Select(x => x.GetString() is { } name && Names.TryGetValue(name, out var day) ? day : throw new FormatException($"update_window.days: '{x}' is not a day (mon ... sun).")).Distinct().ToArray()
            : Default.Days.ToArray();
        var startText = window.TryGetProperty("start", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "03:00";
        if (!TimeSpan.TryParseExact(startText, "hh\\:mm", CultureInfo.InvariantCulture, out var start) || start >= TimeSpan.FromDays(1))
        {
            throw new FormatException($"update_window.start: '{startText}' is not HH:MM.");
        }
        var minutes = window.TryGetProperty("duration_minutes", out var m) && m.TryGetInt32(out var value) ? value : 120;
        if (minutes is < 1 or > 1440)
        {
            throw new FormatException($"update_window.duration_minutes: {minutes} is not between 1 and 1440.");
        }
        return new UpdateWindow(days, start, TimeSpan.FromMinutes(minutes));
    }

    /// <summary>Whether the window is open at <paramref name="localTime"/> (the node's local time).</summary>
    public bool IsOpen(DateTime localTime)
    {
        // A window that opened yesterday may still be open after midnight.
        foreach (var day in new[] { localTime.Date, localTime.Date.AddDays(-1) })
        {
            if (Days.Contains(day.DayOfWeek))
            {
                var opens = day + Start;
                if (localTime >= opens && localTime < opens + Duration)
                {
                    return true;
                }
            }
        }
        return false;
    }
}

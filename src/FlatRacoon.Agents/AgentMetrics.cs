using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace FlatRacoon.Agents;

/// <summary>
/// Counters and gauges of an agent, written in the Prometheus text exposition format (version
/// 0.0.4): <c># HELP</c>, <c># TYPE</c>, then one sample per label set, in a stable order.
/// </summary>
public sealed class AgentMetrics
{
    private readonly object _lock = new();
    private readonly SortedDictionary<string, (string Type, string Help)> _families = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<string, double>> _samples = new(StringComparer.Ordinal);

    /// <summary>The content type of <see cref="Write"/>.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Declares a counter.</summary>
    public void Counter(string name, string help) => Declare(name, "counter", help);

    /// <summary>Declares a gauge.</summary>
    public void Gauge(string name, string help) => Declare(name, "gauge", help);

    private void Declare(string name, string type, string help)
    {
        lock (_lock)
        {
            _families[name] = (type, help);
            _samples.TryAdd(name, new SortedDictionary<string, double>(StringComparer.Ordinal));
        }
    }

    /// <summary>Adds <paramref name="by"/> to a counter.</summary>
    public void Increment(string name, double by = 1, params (string Name, string Value)[] labels) => Update(name, labels, v => v + by);

    /// <summary>Sets a gauge.</summary>
    public void Set(string name, double value, params (string Name, string Value)[] labels) => Update(name, labels, _ => value);

    /// <summary>Replaces every sample of a gauge family (labels that are gone disappear).</summary>
    public void SetAll(string name, IEnumerable<(IReadOnlyList<(string Name, string Value)> Labels, double Value)> samples)
    {
        lock (_lock)
        {
            var family = Family(name);
            family.Clear();
            foreach (var (labels, value) in samples)
            {
                family[Labels(labels)] = value;
            }
        }
    }

    /// <summary>The current value of a sample (0 when never set).</summary>
    public double Value(string name, params (string Name, string Value)[] labels)
    {
        lock (_lock)
        {
            return Family(name).TryGetValue(Labels(labels), out var value) ? value : 0;
        }
    }

    private void Update(string name, IReadOnlyList<(string Name, string Value)> labels, Func<double, double> change)
    {
        lock (_lock)
        {
            var family = Family(name);
            var key = Labels(labels);
            family[key] = change(family.TryGetValue(key, out var value) ? value : 0);
        }
    }

    private SortedDictionary<string, double> Family(string name) =>
        _samples.TryGetValue(name, out var family) ? family : throw new InvalidOperationException($"metric {name} is not declared");

    private static string Labels(IReadOnlyList<(string Name, string Value)> labels) => labels.Count == 0
        ? ""
        : "{" + string.Join(",", labels.OrderBy(l => l.Name, StringComparer.Ordinal).Select(l => $"{l.Name}=\"{Escape(l.Value)}\"")) + "}";

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Every family in the text format.</summary>
    public string Write()
    {
        var text = new StringBuilder();
        lock (_lock)
        {
            foreach (var (name, (type, help)) in _families)
            {
                text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
                text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
                var samples = _samples[name];
                if (samples.Count == 0 && type == "counter")
                {
                    text.Append(name).Append(" 0\n");
                }
                foreach (var (labels, value) in samples)
                {
                    text.Append(name).Append(labels).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
                }
            }
        }
        return text.ToString();
    }
}

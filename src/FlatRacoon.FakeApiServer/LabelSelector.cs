using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace FlatRacoon.Testing.Fake;

/// <summary>Label selectors as the API documents them: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k</c>, <c>!k</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>, comma = AND.</summary>
internal static class LabelSelector
{
    /// <summary>A predicate over an object's labels.</summary>
    public static Func<JsonObject?, bool> Parse(string selector)
    {
        var requirements = new List<Func<IReadOnlyDictionary<string, string>, bool>>();
        foreach (var raw in Split(selector))
        {
            var term = raw.Trim();
            if (term.Length == 0)
            {
                continue;
            }
            int i;
            if ((i = term.IndexOf(" notin ", StringComparison.Ordinal)) > 0)
            {
                var key = term[..i].Trim();
                var values = Values(term[(i + 7)..]);
                requirements.Add(l => !l.TryGetValue(key, out var v) || !values.Contains(v));
            }
            else if ((i = term.IndexOf(" in ", StringComparison.Ordinal)) > 0)
            {
                var key = term[..i].Trim();
                var values = Values(term[(i + 4)..]);
                requirements.Add(l => l.TryGetValue(key, out var v) && values.Contains(v));
            }
            else if ((i = term.IndexOf("!=", StringComparison.Ordinal)) > 0)
            {
                var key = term[..i].Trim();
                var value = term[(i + 2)..].Trim();
                requirements.Add(l => !l.TryGetValue(key, out var v) || v != value);
            }
            else if ((i = term.IndexOf('=')) > 0)
            {
                var key = term[..i].Trim();
                var value = term[(i + 1)..].TrimStart('=').Trim();
                requirements.Add(l => l.TryGetValue(key, out var v) && v == value);
            }
            else if (term.StartsWith('!'))
            {
                var key = term[1..].Trim();
                requirements.Add(l => !l.ContainsKey(key));
            }
            else
            {
                requirements.Add(l => l.ContainsKey(term));
            }
        }
        return labels =>
        {
            var map = labels?.ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "", StringComparer.Ordinal) ?? new Dictionary<string, string>();
            return requirements.All(r => r(map));
        };
    }

    private static HashSet<string> Values(string list) =>
        new(list.Trim().TrimStart('(').TrimEnd(')').Split(',').Select(v => v.Trim()), StringComparer.Ordinal);

    private static IEnumerable<string> Split(string selector)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            if (selector[i] == '(') depth++;
            else if (selector[i] == ')') depth--;
            else if (selector[i] == ',' && depth == 0)
            {
                yield return selector[start..i];
                start = i + 1;
            }
        }
        yield return selector[start..];
    }
}

using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace FlatRacoon.Testing.Fake;

/// <summary>
/// Field selectors as the API documents them (https://kubernetes.io/docs/concepts/overview/working-with-objects/field-selectors/):
/// <c>field=value</c>, <c>field==value</c>, <c>field!=value</c>, comma = AND. Every kind supports
/// <c>metadata.name</c> and <c>metadata.namespace</c>; a few add their own (Pod <c>status.phase</c>,
/// <c>spec.nodeName</c>; Secret <c>type</c>; Namespace <c>status.phase</c>; Node <c>spec.unschedulable</c>;
/// Event <c>type</c>, <c>reason</c>, <c>involvedObject.*</c>). Any other field is refused.
/// </summary>
internal static class FieldSelector
{
    private static readonly Dictionary<string, string[]> KindFields = new(StringComparer.Ordinal)
    {
        ["Pod"] = new[] { "status.phase", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.podIP" },
        ["Secret"] = new[] { "type" },
        ["Namespace"] = new[] { "status.phase" },
        ["Job"] = new[] { "status.successful" },
        ["Node"] = new[] { "spec.unschedulable" },
        ["Event"] = new[] { "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "type" },
    };

    /// <summary>A predicate over objects as the API returns them; <paramref name="unsupported"/> names a field the kind cannot select on.</summary>
    public static Func<JsonObject, bool> Parse(string selector, FakeResource resource, out string? unsupported)
    {
        unsupported = null;
        var terms = new List<(string Field, string Value, bool Equal)>();
        foreach (var raw in selector.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var term = raw.Trim();
            var notEqual = term.IndexOf("!=", StringComparison.Ordinal);
            var at = notEqual >= 0 ? notEqual : term.IndexOf('=');
            if (at <= 0)
            {
                unsupported = term;
                return _ => false;
            }
            var field = term[..at];
            var value = term[(at + (notEqual >= 0 ? 2 : term.Length > at + 1 && term[at + 1] == '=' ? 2 : 1))..];
            if (field is not ("metadata.name" or "metadata.namespace") && !(KindFields.TryGetValue(resource.Kind, out var allowed) && Array.IndexOf(allowed, field) >= 0))
            {
                unsupported = field;
                return _ => false;
            }
            terms.Add((field, value, notEqual < 0));
        }
        return o =>
        {
            foreach (var (field, value, equal) in terms)
            {
                JsonNode? node = o;
                foreach (var segment in field.Split('.'))
                {
                    node = (node as JsonObject)?[segment];
                }
                var actual = node is JsonValue v ? v.ToString() : "";
                if ((actual == value) != equal)
                {
                    return false;
                }
            }
            return true;
        };
    }
}

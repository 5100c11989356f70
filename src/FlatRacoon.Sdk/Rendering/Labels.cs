using System.Collections.Generic;

namespace FlatRacoon.Rendering;

/// <summary>The label and annotation keys every rendered object carries.</summary>
public static class Labels
{
    /// <summary>Always <c>flatracoon</c>.</summary>
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    /// <summary>The stack name.</summary>
    public const string PartOf = "app.kubernetes.io/part-of";
    /// <summary>The module name.</summary>
    public const string Name = "app.kubernetes.io/name";
    /// <summary>The module version.</summary>
    public const string Version = "app.kubernetes.io/version";
    /// <summary>The module name (FlatRacoon's own key, also on stack-wide objects as <c>stack</c>).</summary>
    public const string Module = "flatracoon.io/module";
    /// <summary>The module's layer.</summary>
    public const string Layer = "flatracoon.io/layer";
    /// <summary>Annotation: the apply wave.</summary>
    public const string Wave = "flatracoon.io/wave";
    /// <summary>KEP-3659: the ApplySet a member belongs to.</summary>
    public const string ApplySetPartOf = "applyset.kubernetes.io/part-of";
    /// <summary>KEP-3659: the id on the ApplySet parent.</summary>
    public const string ApplySetId = "applyset.kubernetes.io/id";
    /// <summary>KEP-3659: parent annotation naming the tool.</summary>
    public const string ApplySetTooling = "applyset.kubernetes.io/tooling";
    /// <summary>KEP-3659: parent annotation listing member group-kinds.</summary>
    public const string ApplySetContainsGroupKinds = "applyset.kubernetes.io/contains-group-kinds";
    /// <summary>KEP-3659: parent annotation listing member namespaces other than its own.</summary>
    public const string ApplySetAdditionalNamespaces = "applyset.kubernetes.io/additional-namespaces";

    /// <summary>A dictionary in ordinal key order, so YAML keys come out stable.</summary>
    public static SortedDictionary<string, string> Sorted(IEnumerable<KeyValuePair<string, string>>? pairs = null)
    {
        var result = new SortedDictionary<string, string>(System.StringComparer.Ordinal);
        if (pairs != null)
        {
            foreach (var pair in pairs)
            {
                result[pair.Key] = pair.Value;
            }
        }
        return result;
    }
}

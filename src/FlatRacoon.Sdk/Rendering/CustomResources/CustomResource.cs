using System.Collections.Generic;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace FlatRacoon.Rendering.CustomResources;

/// <summary>
/// Base of the small typed models of the custom resources FlatRacoon renders (Prometheus
/// Operator, External Secrets, Multus). Only the fields FlatRacoon writes are modelled;
/// properties are declared in the order they are serialized.
/// </summary>
/// <typeparam name="TSpec">The spec type.</typeparam>
public abstract class CustomResource<TSpec> : IKubernetesObject<V1ObjectMeta>, ISpec<TSpec>
{
    /// <summary>Creates the object with its API version and kind.</summary>
    protected CustomResource(string apiVersion, string kind)
    {
        ApiVersion = apiVersion;
        Kind = kind;
    }

    /// <inheritdoc />
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; }

    /// <inheritdoc />
    [JsonPropertyName("kind")]
    public string Kind { get; set; }

    /// <inheritdoc />
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <inheritdoc />
    [JsonPropertyName("spec")]
    public TSpec Spec { get; set; } = default!;
}

/// <summary>A reference to a Secret key (used by custom resources).</summary>
public sealed class SecretKeyRef
{
    /// <summary>Key inside the Secret.</summary>
    [JsonPropertyName("key")]
    public string? Key { get; set; }
    /// <summary>Secret name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }
    /// <summary>Secret namespace (cluster-scoped resources only).</summary>
    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }
}

/// <summary>Namespaces a monitor looks in.</summary>
public sealed class NamespaceSelector
{
    /// <summary>Namespace names.</summary>
    [JsonPropertyName("matchNames")]
    public IList<string>? MatchNames { get; set; }
}

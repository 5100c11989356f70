using System.Text.Json.Serialization;

namespace FlatRacoon.Rendering.CustomResources;

/// <summary>Multus <c>NetworkAttachmentDefinition</c> (k8s.cni.cncf.io/v1): a secondary pod network.</summary>
public sealed class NetworkAttachmentDefinition : CustomResource<NetworkAttachmentDefinitionSpec>
{
    /// <summary>Creates an empty definition.</summary>
    public NetworkAttachmentDefinition() : base("k8s.cni.cncf.io/v1", "NetworkAttachmentDefinition") { }
}

/// <summary>Spec of a <see cref="NetworkAttachmentDefinition"/>.</summary>
public sealed class NetworkAttachmentDefinitionSpec
{
    /// <summary>The CNI configuration, as a JSON string.</summary>
    [JsonPropertyName("config")]
    public string Config { get; set; } = "";
}

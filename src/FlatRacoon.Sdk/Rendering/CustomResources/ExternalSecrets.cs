using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace FlatRacoon.Rendering.CustomResources;

/// <summary>External Secrets Operator <c>ExternalSecret</c> (external-secrets.io/v1).</summary>
public sealed class ExternalSecret : CustomResource<ExternalSecretSpec>
{
    /// <summary>Creates an empty ExternalSecret.</summary>
    public ExternalSecret() : base("external-secrets.io/v1", "ExternalSecret") { }
}

/// <summary>Spec of an <see cref="ExternalSecret"/>.</summary>
public sealed class ExternalSecretSpec
{
    /// <summary>Keys of the target Secret and where each comes from.</summary>
    [JsonPropertyName("data")]
    public IList<ExternalSecretData> Data { get; set; } = new List<ExternalSecretData>();
    /// <summary>How often the value is read again.</summary>
    [JsonPropertyName("refreshInterval")]
    public string? RefreshInterval { get; set; }
    /// <summary>The store to read from.</summary>
    [JsonPropertyName("secretStoreRef")]
    public SecretStoreRef SecretStoreRef { get; set; } = new();
    /// <summary>The Secret to write.</summary>
    [JsonPropertyName("target")]
    public ExternalSecretTarget Target { get; set; } = new();
}

/// <summary>A store reference.</summary>
public sealed class SecretStoreRef
{
    /// <summary>SecretStore or ClusterSecretStore.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "ClusterSecretStore";
    /// <summary>Store name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";
}

/// <summary>The Secret an ExternalSecret writes.</summary>
public sealed class ExternalSecretTarget
{
    /// <summary>Owner: the Secret is deleted with the ExternalSecret.</summary>
    [JsonPropertyName("creationPolicy")]
    public string? CreationPolicy { get; set; }
    /// <summary>What happens to the Secret when the remote value disappears.</summary>
    [JsonPropertyName("deletionPolicy")]
    public string? DeletionPolicy { get; set; }
    /// <summary>Secret name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";
}

/// <summary>One key of the target Secret.</summary>
public sealed class ExternalSecretData
{
    /// <summary>Where the value is read.</summary>
    [JsonPropertyName("remoteRef")]
    public ExternalSecretRemoteRef RemoteRef { get; set; } = new();
    /// <summary>Key in the target Secret.</summary>
    [JsonPropertyName("secretKey")]
    public string SecretKey { get; set; } = "";
}

/// <summary>A value in the external store.</summary>
public sealed class ExternalSecretRemoteRef
{
    /// <summary>Path of the secret under the store's mount.</summary>
    [JsonPropertyName("key")]
    public string Key { get; set; } = "";
    /// <summary>Field of the secret.</summary>
    [JsonPropertyName("property")]
    public string? Property { get; set; }
}

/// <summary>External Secrets Operator <c>ClusterSecretStore</c> (external-secrets.io/v1), cluster-scoped.</summary>
public sealed class ClusterSecretStore : CustomResource<SecretStoreSpec>
{
    /// <summary>Creates an empty ClusterSecretStore.</summary>
    public ClusterSecretStore() : base("external-secrets.io/v1", "ClusterSecretStore") { }
}

/// <summary>Spec of a secret store.</summary>
public sealed class SecretStoreSpec
{
    /// <summary>Where secrets come from.</summary>
    [JsonPropertyName("provider")]
    public SecretStoreProvider Provider { get; set; } = new();
}

/// <summary>The store's provider.</summary>
public sealed class SecretStoreProvider
{
    /// <summary>HashiCorp Vault.</summary>
    [JsonPropertyName("vault")]
    public VaultProvider? Vault { get; set; }
}

/// <summary>HashiCorp Vault provider settings.</summary>
public sealed class VaultProvider
{
    /// <summary>How the operator logs in.</summary>
    [JsonPropertyName("auth")]
    public VaultAuth Auth { get; set; } = new();
    /// <summary>Mount path of the KV engine.</summary>
    [JsonPropertyName("path")]
    public string Path { get; set; } = "secret";
    /// <summary>Vault address.</summary>
    [JsonPropertyName("server")]
    public string Server { get; set; } = "";
    /// <summary>KV engine version (v2).</summary>
    [JsonPropertyName("version")]
    public string Version { get; set; } = "v2";
}

/// <summary>Vault authentication.</summary>
public sealed class VaultAuth
{
    /// <summary>AppRole login.</summary>
    [JsonPropertyName("appRole")]
    public VaultAppRoleAuth? AppRole { get; set; }
    /// <summary>Kubernetes service-account login.</summary>
    [JsonPropertyName("kubernetes")]
    public VaultKubernetesAuth? Kubernetes { get; set; }
}

/// <summary>Vault Kubernetes auth.</summary>
public sealed class VaultKubernetesAuth
{
    /// <summary>Mount path of the Kubernetes auth method.</summary>
    [JsonPropertyName("mountPath")]
    public string MountPath { get; set; } = "kubernetes";
    /// <summary>Vault role.</summary>
    [JsonPropertyName("role")]
    public string Role { get; set; } = "";
    /// <summary>The service account whose token logs in.</summary>
    [JsonPropertyName("serviceAccountRef")]
    public ServiceAccountRef? ServiceAccountRef { get; set; }
}

/// <summary>A service account reference.</summary>
public sealed class ServiceAccountRef
{
    /// <summary>Name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";
    /// <summary>Namespace.</summary>
    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }
}

/// <summary>Vault AppRole auth.</summary>
public sealed class VaultAppRoleAuth
{
    /// <summary>Mount path of the AppRole method.</summary>
    [JsonPropertyName("path")]
    public string Path { get; set; } = "approle";
    /// <summary>Secret holding the role id.</summary>
    [JsonPropertyName("roleRef")]
    public SecretKeyRef? RoleRef { get; set; }
    /// <summary>Secret holding the secret id.</summary>
    [JsonPropertyName("secretRef")]
    public SecretKeyRef SecretRef { get; set; } = new();
}

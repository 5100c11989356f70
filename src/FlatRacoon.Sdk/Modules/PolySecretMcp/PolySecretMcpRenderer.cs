using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using FlatRacoon.Rendering;
using FlatRacoon.Rendering.CustomResources;
using k8s.Models;

namespace FlatRacoon.Modules.PolySecretMcp;

/// <summary>
/// poly-secret-mcp: the secret-store module. Besides its server (the generic workload), it renders
/// the External Secrets <c>ClusterSecretStore</c> for every Vault KV v2 mount the stack's references
/// use (Kubernetes or AppRole auth), materialises its own SOPS age key from a reference at apply
/// time, and writes <c>secret-inventory.json</c>: every secret reference of the stack and how it
/// becomes a Secret. Values are never rendered. Its server (the stack program's
/// <c>mcp --http --tools secrets</c>) reports each materialised Secret's status: the access pass
/// (<see cref="IAccessRenderer"/>) grants it <c>get</c> on exactly those Secrets and their
/// ExternalSecrets, by name. See docs/modules/poly-secret-mcp.adoc.
/// </summary>
public sealed class PolySecretMcpRenderer : IModuleRenderer, IAccessRenderer
{
    /// <summary>Name of the Roles and RoleBindings that grant the server's reads.</summary>
    internal static string ReaderRoleName(string module) => module + "-status-reader";

    void IAccessRenderer.RenderAccess(ModuleRenderContext context)
    {
        var module = context.Module;
        var objects = context.StackObjects.Select(o => (o.Module, Body: FlatRacoon.Deployment.DeploymentSet.ToJson(o.Object)))
            .Concat(context.StackArtifacts
                .Where(a => a.RelativePath == $"{a.Module}/{ModuleSecrets.ApplyTimeFile}")
                .SelectMany(a => MaterializedSecret.FromApplyTimeArtifact(a.Module, context.Stack.Module(a.Module)?.Namespace ?? module.Namespace, a.Content)));
        var grants = new SortedDictionary<string, SortedDictionary<(string Group, string Resource), SortedSet<string>>>(StringComparer.Ordinal);
        void Grant(string ns, string group, string resource, string name)
        {
            if (!grants.TryGetValue(ns, out var byResource))
            {
                grants[ns] = byResource = new SortedDictionary<(string, string), SortedSet<string>>();
            }
            if (!byResource.TryGetValue((group, resource), out var names))
            {
                byResource[(group, resource)] = names = new SortedSet<string>(StringComparer.Ordinal);
            }
            names.Add(name);
        }
        foreach (var secret in MaterializedSecret.Of(objects))
        {
            Grant(secret.Namespace, "", "secrets", secret.Name);
            if (secret.ExternalSecret is { } external)
            {
                Grant(secret.Namespace, FlatRacoon.Observability.StatusReads.Group(external.ApiVersion), "externalsecrets", external.Name);
            }
        }
        var name = ReaderRoleName(module.Name);
        foreach (var (ns, byResource) in grants)
        {
            context.Add(new V1Role
            {
                ApiVersion = "rbac.authorization.k8s.io/v1",
                Kind = "Role",
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
                Rules = byResource.Select(g => new V1PolicyRule
                {
                    ApiGroups = new List<string> { g.Key.Group },
                    Resources = new List<string> { g.Key.Resource },
                    ResourceNames = g.Value.ToList(),
                    Verbs = new List<string> { "get" },
                }).ToList(),
            });
            context.Add(new V1RoleBinding
            {
                ApiVersion = "rbac.authorization.k8s.io/v1",
                Kind = "RoleBinding",
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = name },
                Subjects = new List<Rbacv1Subject> { new() { Kind = "ServiceAccount", Name = module.Name, NamespaceProperty = module.Namespace } },
            });
        }
    }

    /// <summary>Module name.</summary>
    public const string ModuleName = "poly-secret-mcp";
    /// <summary>Where the age key is mounted.</summary>
    public const string AgeKeyDirectory = "/var/run/secrets/flatracoon/sops";

    /// <inheritdoc />
    public void Render(ModuleRenderContext context)
    {
        var module = context.Module;
        var baseline = Baseline.Render(context);
        baseline.Template.Spec.AutomountServiceAccountToken = true;

        var vaultAddress = Pods.String(context, "vault_address", "https://vault.vault.svc:8200");
        var ownMount = Pods.String(context, "vault_mount", "secret").Trim('/');
        var inventory = Inventory(context.Stack);
        var mounts = inventory
            .Where(r => r.Reference.Source == SecretSource.Vault)
            .Select(r => ModuleSecrets.VaultLocation(r.Reference).Mount)
            .Append(ownMount)
            .Distinct(StringComparer.Ordinal)
            .OrderBy(m => m, StringComparer.Ordinal);
        var approle = Pods.String(context, "vault_auth_method", "kubernetes") == "approle";
        foreach (var mount in mounts)
        {
            context.Add(new ClusterSecretStore
            {
                Metadata = new V1ObjectMeta { Name = ModuleSecrets.VaultStoreName(mount) },
                Spec = new SecretStoreSpec
                {
                    Provider = new SecretStoreProvider
                    {
                        Vault = new VaultProvider
                        {
                            Server = vaultAddress,
                            Path = mount,
                            Version = "v2",
                            Auth = approle
                                ? new VaultAuth
                                {
                                    AppRole = new VaultAppRoleAuth
                                    {
                                        Path = "approle",
                                        RoleRef = new SecretKeyRef { Name = module.Name + "-approle", Key = "role_id", Namespace = module.Namespace },
                                        SecretRef = new SecretKeyRef { Name = module.Name + "-approle", Key = "secret_id", Namespace = module.Namespace },
                                    },
                                }
                                : new VaultAuth
                                {
                                    Kubernetes = new VaultKubernetesAuth
                                    {
                                        MountPath = "kubernetes",
                                        Role = Pods.String(context, "vault_auth_role", "flatracoon"),
                                        ServiceAccountRef = new ServiceAccountRef { Name = module.Name, Namespace = module.Namespace },
                                    },
                                },
                        },
                    },
                },
            });
        }

        if (ModuleSecrets.Reference(context, "sops_age_key") is { } ageKey)
        {
            var secretName = module.Name + "-sops-age";
            ModuleSecrets.Render(context, new[] { new SecretMaterialization(secretName, new[] { new SecretKeyReference("age.key", ageKey) }) });
            baseline.Template.Spec.Volumes.Add(new V1Volume { Name = "sops-age", Secret = new V1SecretVolumeSource { SecretName = secretName, DefaultMode = 0x120 } });
            baseline.Container.VolumeMounts.Add(new V1VolumeMount { Name = "sops-age", MountPath = AgeKeyDirectory, ReadOnlyProperty = true });
            baseline.AddEnv(new V1EnvVar { Name = "SOPS_AGE_KEY_FILE", Value = AgeKeyDirectory + "/age.key" });
        }
        baseline.AddEnv(new V1EnvVar { Name = "VAULT_ADDR", Value = vaultAddress });

        context.AddArtifact("secret-inventory.json", InventoryJson(inventory));
    }

    /// <summary>A secret reference of a module setting.</summary>
    public sealed record InventoryEntry(string Module, string Namespace, string Setting, SecretReference Reference)
    {
        /// <summary>How the reference becomes a Secret: <c>external-secret</c> (Vault) or <c>apply-time</c>.</summary>
        public string Materialization => Reference.Source == SecretSource.Vault ? "external-secret" : "apply-time";
    }

    /// <summary>Every secret reference of the stack, by module then setting.</summary>
    public static IReadOnlyList<InventoryEntry> Inventory(Stack stack) =>
        stack.Modules
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .SelectMany(m => ModuleSecrets.AllReferences(ConfigJson.ToElement(m.Config)).Select(r => new InventoryEntry(m.Name, m.Namespace, r.Key, r.Value)))
            .ToList();

    private static string InventoryJson(IReadOnlyList<InventoryEntry> inventory)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("note", "Secret references of the stack and how each becomes a Kubernetes Secret. References only; never a value.");
            w.WriteStartArray("references");
            foreach (var entry in inventory)
            {
                w.WriteStartObject();
                w.WriteString("materialization", entry.Materialization);
                w.WriteString("module", entry.Module);
                w.WriteString("namespace", entry.Namespace);
                w.WriteString("reference", entry.Reference.ToString());
                w.WriteString("setting", entry.Setting);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }
}

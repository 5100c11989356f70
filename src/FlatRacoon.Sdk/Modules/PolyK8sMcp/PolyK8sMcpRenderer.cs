using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using FlatRacoon.Rendering;
using k8s.Models;

namespace FlatRacoon.Modules.PolyK8sMcp;

/// <summary>The Kubernetes connection settings the stack's runtime uses (poly-k8s-mcp's configuration).</summary>
/// <param name="Kubeconfig">Path of a kubeconfig file; null uses the in-cluster service account (or the default kubeconfig outside a cluster).</param>
/// <param name="Context">Kubeconfig context; null uses the current one.</param>
/// <param name="NamespacePrefix">Prefix of the namespaces the stack creates.</param>
/// <param name="ReadOnly">Whether mutating operations are refused.</param>
public sealed record KubernetesConnection(string? Kubeconfig, string? Context, string NamespacePrefix, bool ReadOnly)
{
    /// <summary>The connection of <paramref name="stack"/>: from its poly-k8s-mcp module, else the defaults.</summary>
    public static KubernetesConnection For(Stack stack)
    {
        var module = stack.Module(PolyK8sMcpRenderer.ModuleName);
        if (module is null)
        {
            return new KubernetesConnection(null, null, "flatracoon", false);
        }
        var config = ConfigJson.ToElement(module.Config);
        string? Text(string name) => config.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return new KubernetesConnection(Text("kubeconfig"), Text("context"), Text("namespace_prefix") ?? "flatracoon",
            config.TryGetProperty("read_only", out var r) && r.ValueKind == JsonValueKind.True);
    }
}

/// <summary>
/// poly-k8s-mcp: the generic Deployment with a service-account token (it talks to the API), read
/// access everywhere through the built-in <c>view</c> ClusterRole (which excludes Secrets), write
/// access through the built-in <c>edit</c> ClusterRole only in the stack's own namespaces and
/// only when not <c>read_only</c>, and <c>kubernetes-connection.json</c>: the connection settings
/// the runtime uses. See docs/modules/poly-k8s-mcp.adoc.
/// </summary>
public sealed class PolyK8sMcpRenderer : IModuleRenderer
{
    /// <summary>Module name.</summary>
    public const string ModuleName = "poly-k8s-mcp";

    /// <inheritdoc />
    public void Render(ModuleRenderContext context)
    {
        var module = context.Module;
        var baseline = Baseline.Render(context);
        var connection = KubernetesConnection.For(context.Stack);
        baseline.Template.Spec.AutomountServiceAccountToken = true;
        baseline.AddEnv(new V1EnvVar { Name = "FLATRACOON_NAMESPACE_PREFIX", Value = connection.NamespacePrefix });
        baseline.AddEnv(new V1EnvVar { Name = "FLATRACOON_READ_ONLY", Value = connection.ReadOnly ? "true" : "false" });
        context.AddArtifact("kubernetes-connection.json", ConnectionJson(connection));

        var subject = new List<Rbacv1Subject> { new() { Kind = "ServiceAccount", Name = module.Name, NamespaceProperty = module.Namespace } };
        context.Add(new V1ClusterRoleBinding
        {
            ApiVersion = "rbac.authorization.k8s.io/v1",
            Kind = "ClusterRoleBinding",
            Metadata = new V1ObjectMeta { Name = module.Name + "-view" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "view" },
            Subjects = subject,
        });
        if (!connection.ReadOnly)
        {
            foreach (var ns in context.Stack.Modules.Select(m => m.Namespace).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal))
            {
                context.Add(new V1RoleBinding
                {
                    ApiVersion = "rbac.authorization.k8s.io/v1",
                    Kind = "RoleBinding",
                    Metadata = new V1ObjectMeta { Name = module.Name + "-edit", NamespaceProperty = ns },
                    RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "edit" },
                    Subjects = subject,
                });
            }
        }
    }

    private static string ConnectionJson(KubernetesConnection connection)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            if (connection.Context is null) { w.WriteNull("context"); } else { w.WriteString("context", connection.Context); }
            if (connection.Kubeconfig is null) { w.WriteNull("kubeconfig"); } else { w.WriteString("kubeconfig", connection.Kubeconfig); }
            w.WriteString("namespace_prefix", connection.NamespacePrefix);
            w.WriteBoolean("read_only", connection.ReadOnly);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }
}

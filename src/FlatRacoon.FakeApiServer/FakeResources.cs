using System.Collections.Generic;

namespace FlatRacoon.Testing.Fake;

/// <summary>A resource the fake serves: what discovery reports for it.</summary>
internal sealed record FakeResource(string Group, string Version, string Kind, string Plural, bool Namespaced, bool HasStatus = false, string[]? ShortNames = null, string[]? Categories = null)
{
    /// <summary>group/version, or version for the core group.</summary>
    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
}

/// <summary>The built-in resources of a Kubernetes 1.30-ish server the engine touches, plus CRD kinds a render may use.</summary>
internal static class FakeResources
{
    /// <summary>The built-in kinds.</summary>
    public static List<FakeResource> BuiltIn() => new()
    {
        new("", "v1", "Namespace", "namespaces", false, true, new[] { "ns" }),
        new("", "v1", "ConfigMap", "configmaps", true, false, new[] { "cm" }),
        new("", "v1", "Secret", "secrets", true),
        new("", "v1", "Service", "services", true, true, new[] { "svc" }, new[] { "all" }),
        new("", "v1", "ServiceAccount", "serviceaccounts", true, false, new[] { "sa" }),
        new("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true, true, new[] { "pvc" }),
        new("", "v1", "Pod", "pods", true, true, new[] { "po" }, new[] { "all" }),
        new("", "v1", "Node", "nodes", false, true, new[] { "no" }),
        new("", "v1", "Event", "events", true, false, new[] { "ev" }),
        new("apps", "v1", "Deployment", "deployments", true, true, new[] { "deploy" }, new[] { "all" }),
        new("apps", "v1", "StatefulSet", "statefulsets", true, true, new[] { "sts" }, new[] { "all" }),
        new("apps", "v1", "DaemonSet", "daemonsets", true, true, new[] { "ds" }, new[] { "all" }),
        new("batch", "v1", "Job", "jobs", true, true, null, new[] { "all" }),
        new("batch", "v1", "CronJob", "cronjobs", true, true, new[] { "cj" }, new[] { "all" }),
        new("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, true, new[] { "hpa" }, new[] { "all" }),
        new("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true, false, new[] { "netpol" }),
        new("networking.k8s.io", "v1", "Ingress", "ingresses", true, true, new[] { "ing" }),
        new("rbac.authorization.k8s.io", "v1", "Role", "roles", true),
        new("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true),
        new("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false),
        new("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false),
        new("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, true, new[] { "pdb" }),
        new("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false, true, new[] { "crd", "crds" }),
        new("node.k8s.io", "v1", "RuntimeClass", "runtimeclasses", false),
    };

    /// <summary>CRD kinds the module renders may use (installed CRDs of a typical cluster).</summary>
    public static List<FakeResource> CommonCrds() => new()
    {
        new("monitoring.coreos.com", "v1", "ServiceMonitor", "servicemonitors", true, false, new[] { "smon" }),
        new("monitoring.coreos.com", "v1", "PodMonitor", "podmonitors", true),
        new("monitoring.coreos.com", "v1", "PrometheusRule", "prometheusrules", true),
        new("external-secrets.io", "v1", "ExternalSecret", "externalsecrets", true, true, new[] { "es" }),
        new("external-secrets.io", "v1", "SecretStore", "secretstores", true, true),
        new("external-secrets.io", "v1", "ClusterSecretStore", "clustersecretstores", false, true),
        new("k8s.cni.cncf.io", "v1", "NetworkAttachmentDefinition", "network-attachment-definitions", true, false, new[] { "net-attach-def" }),
        new("cert-manager.io", "v1", "Certificate", "certificates", true, true, new[] { "cert", "certs" }),
    };
}

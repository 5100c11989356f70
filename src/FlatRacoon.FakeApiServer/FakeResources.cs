using System.Collections.Generic;

namespace FlatRacoon.Deployment.Tests.Fake;

/// <summary>A resource the fake serves: what discovery reports for it.</summary>
public sealed record FakeResource(string Group, string Version, string Kind, string Plural, bool Namespaced, bool HasStatus = false)
{
    /// <summary>group/version, or version for the core group.</summary>
    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
}

/// <summary>The built-in resources of a Kubernetes 1.30-ish server the engine touches, plus CRD kinds a render may use.</summary>
public static class FakeResources
{
    /// <summary>The built-in kinds.</summary>
    public static List<FakeResource> BuiltIn() => new()
    {
        new("", "v1", "Namespace", "namespaces", false, true),
        new("", "v1", "ConfigMap", "configmaps", true),
        new("", "v1", "Secret", "secrets", true),
        new("", "v1", "Service", "services", true, true),
        new("", "v1", "ServiceAccount", "serviceaccounts", true),
        new("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true, true),
        new("", "v1", "Pod", "pods", true, true),
        new("apps", "v1", "Deployment", "deployments", true, true),
        new("apps", "v1", "StatefulSet", "statefulsets", true, true),
        new("apps", "v1", "DaemonSet", "daemonsets", true, true),
        new("batch", "v1", "Job", "jobs", true, true),
        new("batch", "v1", "CronJob", "cronjobs", true, true),
        new("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true),
        new("networking.k8s.io", "v1", "Ingress", "ingresses", true, true),
        new("rbac.authorization.k8s.io", "v1", "Role", "roles", true),
        new("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true),
        new("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false),
        new("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false),
        new("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, true),
        new("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false, true),
        new("node.k8s.io", "v1", "RuntimeClass", "runtimeclasses", false),
    };

    /// <summary>CRD kinds the module renders may use (installed CRDs of a typical cluster).</summary>
    public static List<FakeResource> CommonCrds() => new()
    {
        new("monitoring.coreos.com", "v1", "ServiceMonitor", "servicemonitors", true),
        new("monitoring.coreos.com", "v1", "PodMonitor", "podmonitors", true),
        new("monitoring.coreos.com", "v1", "PrometheusRule", "prometheusrules", true),
        new("external-secrets.io", "v1", "ExternalSecret", "externalsecrets", true, true),
        new("external-secrets.io", "v1", "SecretStore", "secretstores", true, true),
        new("external-secrets.io", "v1", "ClusterSecretStore", "clustersecretstores", false, true),
        new("k8s.cni.cncf.io", "v1", "NetworkAttachmentDefinition", "network-attachment-definitions", true),
        new("cert-manager.io", "v1", "Certificate", "certificates", true, true),
    };
}

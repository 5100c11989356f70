using System;
using System.IO;
using System.Linq;
using FlatRacoon.Deployment;
using k8s;

namespace FlatRacoon.Cli;

/// <summary>Bad or missing connection settings; the message is one line for a person.</summary>
public sealed class KubeconfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KubeconfigException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>
/// Finds the cluster the way kubectl does: <c>--kubeconfig</c> alone when given; else every file
/// listed in <c>KUBECONFIG</c> (missing ones skipped), merged with the first file winning for a
/// name and for the current context; else <c>$HOME/.kube/config</c> (never a path relative to
/// the working folder when <c>HOME</c> is unset); else, inside a pod, its service account.
/// </summary>
public static class KubeconfigResolver
{
    /// <summary>The client configuration for <paramref name="kubeconfig"/> and <paramref name="context"/> (null: the defaults above).</summary>
    public static KubernetesClientConfiguration Resolve(string? kubeconfig, string? context)
    {
        var files = Files(kubeconfig);
        if (files.Length == 0)
        {
            if (KubernetesClientConfiguration.IsInCluster())
            {
                return KubernetesClientConfiguration.InClusterConfig();
            }
            throw new KubeconfigException("no kubeconfig found: pass --kubeconfig FILE, set KUBECONFIG, or create ~/.kube/config.");
        }
        var described = files.Length == 1 ? $"kubeconfig '{files[0].FullName}'" : $"the kubeconfig files of KUBECONFIG ({string.Join(", ", files.Select(f => f.FullName))})";
        k8s.KubeConfigModels.K8SConfiguration merged;
        try
        {
            merged = Merge(files.Select(f => KubernetesClientConfiguration.LoadKubeConfig(f, true)).ToArray());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new KubeconfigException($"cannot read {described}: {FirstLine(e)}", e);
        }
        if (merged is null || merged.Contexts is null || !merged.Contexts.Any())
        {
            throw new KubeconfigException($"{described} defines no context.");
        }
        if (context is not null && !merged.Contexts.Any(c => c.Name == context))
        {
            throw new KubeconfigException($"context '{context}' is not in {described}; it has: {string.Join(", ", merged.Contexts.Select(c => c.Name))}.");
        }
        if (context is null && string.IsNullOrEmpty(merged.CurrentContext))
        {
            throw new KubeconfigException($"{described} sets no current-context; pass --context NAME.");
        }
        AllowAnonymousUser(merged, context ?? merged.CurrentContext!);
        try
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigObject(merged, context);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new KubeconfigException($"cannot use {described}: {FirstLine(e)}", e);
        }
    }

    /// <summary>A client for the resolved cluster.</summary>
    public static KubeApiClient Connect(string? kubeconfig, string? context, RetryPolicy? retry = null)
    {
        var config = Resolve(kubeconfig, context);
        Kubernetes kubernetes;
        try
        {
            kubernetes = new Kubernetes(config);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new KubeconfigException($"cannot connect with the kubeconfig's settings: {FirstLine(e)}", e);
        }
        var credentials = kubernetes.Credentials;
        return new KubeApiClient(kubernetes.HttpClient, kubernetes.BaseUri,
            credentials is null ? null : (request, token) => credentials.ProcessHttpRequestAsync(request, token), retry, kubernetes);
    }

    /// <summary>The kubeconfig files to merge, in precedence order.</summary>
    public static FileInfo[] Files(string? kubeconfig)
    {
        if (kubeconfig is not null)
        {
            if (kubeconfig.Length == 0)
            {
                throw new KubeconfigException("--kubeconfig needs a file name, not an empty value.");
            }
            var file = new FileInfo(kubeconfig);
            return file.Exists ? new[] { file } : throw new KubeconfigException($"kubeconfig '{kubeconfig}' does not exist.");
        }
        var variable = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrEmpty(variable))
        {
            return variable!.Split(Path.PathSeparator)
                .Where(p => p.Length > 0)
                .Distinct(StringComparer.Ordinal)
                .Select(p => new FileInfo(p))
                .Where(f => f.Exists)
                .ToArray();
        }
        var home = Environment.GetEnvironmentVariable("HOME");
        if (string.IsNullOrEmpty(home) && OperatingSystem.IsWindows())
        {
            home = Environment.GetEnvironmentVariable("USERPROFILE");
        }
        if (string.IsNullOrEmpty(home) || !Path.IsPathRooted(home))
        {
            return Array.Empty<FileInfo>();
        }
        var standard = new FileInfo(Path.Combine(home!, ".kube", "config"));
        return standard.Exists ? new[] { standard } : Array.Empty<FileInfo>();
    }

    // kubectl talks to a server anonymously when the context's user has no credentials at all
    // (`user: {}`, as a local test server's kubeconfig has); KubernetesClient refuses such a user
    // ("does not have appropriate auth credentials"), but skips credentials for a context without
    // a user. So a credential-less user is dropped from the active context: the same requests
    // kubectl would send, with no Authorization header. A user named but not defined stays an error.
    private static void AllowAnonymousUser(k8s.KubeConfigModels.K8SConfiguration config, string contextName)
    {
        var active = config.Contexts.FirstOrDefault(c => c.Name == contextName);
        var userName = active?.ContextDetails?.User;
        if (active is null || string.IsNullOrEmpty(userName))
        {
            return;
        }
        var user = config.Users?.FirstOrDefault(u => u.Name == userName);
        if (user is not null && HasNoCredentials(user.UserCredentials))
        {
            active.ContextDetails.User = string.Empty;
        }
    }

    private static bool HasNoCredentials(k8s.KubeConfigModels.UserCredentials? c) =>
        c is null || (string.IsNullOrEmpty(c.Token) && string.IsNullOrEmpty(c.ClientCertificateData) && string.IsNullOrEmpty(c.ClientCertificate)
            && string.IsNullOrEmpty(c.ClientKeyData) && string.IsNullOrEmpty(c.ClientKey) && string.IsNullOrEmpty(c.UserName) && string.IsNullOrEmpty(c.Password)
            && c.AuthProvider is null && c.ExternalExecution is null && string.IsNullOrEmpty(c.Impersonate));

    // kubectl's merge: the first file that names a cluster, user or context wins, and the first
    // current-context set wins (KubernetesClient's own merge is not public).
    private static k8s.KubeConfigModels.K8SConfiguration Merge(k8s.KubeConfigModels.K8SConfiguration[] configs) => new()
    {
        ApiVersion = "v1",
        Kind = "Config",
        CurrentContext = configs.Select(c => c.CurrentContext).FirstOrDefault(c => !string.IsNullOrEmpty(c)),
        Clusters = configs.SelectMany(c => c.Clusters ?? Enumerable.Empty<k8s.KubeConfigModels.Cluster>()).GroupBy(c => c.Name, StringComparer.Ordinal).Select(g => g.First()).ToList(),
        Users = configs.SelectMany(c => c.Users ?? Enumerable.Empty<k8s.KubeConfigModels.User>()).GroupBy(u => u.Name, StringComparer.Ordinal).Select(g => g.First()).ToList(),
        Contexts = configs.SelectMany(c => c.Contexts ?? Enumerable.Empty<k8s.KubeConfigModels.Context>()).GroupBy(c => c.Name, StringComparer.Ordinal).Select(g => g.First()).ToList(),
    };

    // The most telling message of an exception chain, in one line: a YAML error with its position,
    // never a library's "Exception during deserialization" or a type name.
    private static string FirstLine(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            var message = current.Message.Split('\n')[0].Trim();
            if (message.Length == 0 || message.Contains("Exception", StringComparison.Ordinal))
            {
                continue;
            }
            return current is YamlDotNet.Core.YamlException yaml && yaml.Start.Line > 0
                ? $"{message.TrimEnd('.')} (line {yaml.Start.Line}, column {yaml.Start.Column})."
                : message;
        }
        return "it is not a kubeconfig (YAML with clusters, users and contexts).";
    }
}

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace FlatRacoon.Deployment;

/// <summary>A resource type as discovery describes it.</summary>
/// <param name="Group">API group ("" for core).</param>
/// <param name="Version">Version.</param>
/// <param name="Kind">Kind.</param>
/// <param name="Plural">Resource name in URLs.</param>
/// <param name="Namespaced">Whether objects live in a namespace.</param>
public sealed record ResourceType(string Group, string Version, string Kind, string Plural, bool Namespaced)
{
    /// <summary><c>/api/v1</c> or <c>/apis/group/version</c>.</summary>
    public string Prefix => Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";

    /// <summary>The collection URL (in <paramref name="namespace"/> when namespaced).</summary>
    public string CollectionPath(string? @namespace) => Namespaced && @namespace is not null
        ? $"{Prefix}/namespaces/{Uri.EscapeDataString(@namespace)}/{Plural}"
        : $"{Prefix}/{Plural}";

    /// <summary>The object URL.</summary>
    public string ObjectPath(string? @namespace, string name) => $"{CollectionPath(@namespace)}/{Uri.EscapeDataString(name)}";

    /// <summary><c>Kind.group</c> as the ApplySet annotation writes it (<c>Kind</c> for core).</summary>
    public string GroupKind => Group.Length == 0 ? Kind : $"{Kind}.{Group}";
}

/// <summary>
/// API discovery: which resource serves an apiVersion and kind, and whether it is namespaced.
/// Group versions are fetched once and cached; a kind the server does not serve (a CRD not yet
/// installed) triggers one refresh, then a clear error.
/// </summary>
public sealed class ResourceCatalog
{
    private readonly KubeApiClient _api;
    private readonly ConcurrentDictionary<string, Task<Dictionary<string, ResourceType>?>> _groupVersions = new(StringComparer.Ordinal);
    private readonly object _preferredLock = new();
    private Task<Dictionary<string, string>>? _preferred;

    /// <summary>Discovers through <paramref name="api"/>.</summary>
    public ResourceCatalog(KubeApiClient api) => _api = api;

    /// <summary>The resource for <paramref name="apiVersion"/> and <paramref name="kind"/>; throws <see cref="DeploymentException"/> when unknown.</summary>
    public async Task<ResourceType> ResolveAsync(string apiVersion, string kind, CancellationToken cancellation)
    {
        var found = await TryResolveAsync(apiVersion, kind, cancellation).ConfigureAwait(false);
        if (found is null)
        {
            // A CRD applied a moment ago: discovery may have been cached before it existed.
            _groupVersions.TryRemove(apiVersion, out _);
            found = await TryResolveAsync(apiVersion, kind, cancellation).ConfigureAwait(false);
        }
        return found ?? throw new DeploymentException(
            $"The cluster does not serve kind {kind} in {apiVersion} (is its CustomResourceDefinition installed?).");
    }

    /// <summary>The resource, or null when the server does not serve it.</summary>
    public async Task<ResourceType?> TryResolveAsync(string apiVersion, string kind, CancellationToken cancellation)
    {
        var types = await _groupVersions.GetOrAdd(apiVersion, v => FetchAsync(v, cancellation)).ConfigureAwait(false);
        return types is not null && types.TryGetValue(kind, out var type) ? type : null;
    }

    /// <summary>The resource for a <c>Kind.group</c> (ApplySet annotation form), at the group's preferred version.</summary>
    public async Task<ResourceType?> ResolveGroupKindAsync(string groupKind, CancellationToken cancellation)
    {
        var dot = groupKind.IndexOf('.');
        var kind = dot < 0 ? groupKind : groupKind[..dot];
        var group = dot < 0 ? "" : groupKind[(dot + 1)..];
        if (group.Length == 0)
        {
            return await TryResolveAsync("v1", kind, cancellation).ConfigureAwait(false);
        }
        Task<Dictionary<string, string>> fetch;
        lock (_preferredLock)
        {
            fetch = _preferred ??= FetchPreferredAsync(cancellation); // once, also when kinds are resolved at once
        }
        var preferred = await fetch.ConfigureAwait(false);
        return preferred.TryGetValue(group, out var groupVersion)
            ? await TryResolveAsync(groupVersion, kind, cancellation).ConfigureAwait(false)
            : null;
    }

    private async Task<Dictionary<string, ResourceType>?> FetchAsync(string apiVersion, CancellationToken cancellation)
    {
        var slash = apiVersion.IndexOf('/');
        var path = slash < 0 ? $"/api/{apiVersion}" : $"/apis/{apiVersion}";
        var answer = await _api.SendAsync(HttpMethod.Get, path, $"discover {apiVersion}", cancellation: cancellation).ConfigureAwait(false);
        if (answer.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        if (!answer.IsSuccess || answer.Body is null)
        {
            throw new KubeApiException($"discover {apiVersion}: the API answered {KubeApiClient.Describe(answer)}", answer.StatusCode, answer.StatusMessage ?? "");
        }
        var group = slash < 0 ? "" : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        var result = new Dictionary<string, ResourceType>(StringComparer.Ordinal);
        foreach (var resource in answer.Body["resources"]?.AsArray() ?? new JsonArray())
        {
            var name = resource?["name"]?.GetValue<string>();
            var kind = resource?["kind"]?.GetValue<string>();
            if (name is null || kind is null || name.Contains('/', StringComparison.Ordinal))
            {
                continue; // subresources (deployments/status) share the kind
            }
            result[kind] = new ResourceType(group, version, kind, name, resource!["namespaced"]?.GetValue<bool>() ?? false);
        }
        return result;
    }

    private async Task<Dictionary<string, string>> FetchPreferredAsync(CancellationToken cancellation)
    {
        var answer = await _api.SendAsync(HttpMethod.Get, "/apis", "discover API groups", cancellation: cancellation).ConfigureAwait(false);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in answer.Body?["groups"]?.AsArray() ?? new JsonArray())
        {
            var name = group?["name"]?.GetValue<string>();
            var preferred = group?["preferredVersion"]?["groupVersion"]?.GetValue<string>();
            if (name is not null && preferred is not null)
            {
                result[name] = preferred;
            }
        }
        return result;
    }
}

/// <summary>A deployment step failed; the message says what and where, never a secret value.</summary>
public class DeploymentException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DeploymentException(string message, Exception? inner = null) : base(message, inner) { }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using FlatRacoon.Deployment;
using FlatRacoon.Testing.Fake;

namespace FlatRacoon.Dashboard.Tests;

/// <summary>What the API server authorizes a request by (Kubernetes' RequestInfo): verb, group, resource[/subresource], namespace, name.</summary>
public sealed record RequestAttributes(string Verb, string Group, string Resource, string? Namespace, string? Name, string? NonResourcePath)
{
    /// <summary>Parses a request the way the API server does (k8s.io/apiserver/pkg/endpoints/request.RequestInfoFactory).</summary>
    public static RequestAttributes Parse(RecordedRequest request)
    {
        var parts = request.Path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        string group;
        string[] rest;
        if (parts.Length >= 2 && parts[0] == "api")
        {
            group = "";
            rest = parts[2..];
        }
        else if (parts.Length >= 3 && parts[0] == "apis")
        {
            group = parts[1];
            rest = parts[3..];
        }
        else
        {
            return new RequestAttributes(request.Method.ToLowerInvariant(), "", "", null, null, request.Path);
        }
        if (rest.Length == 0)
        {
            // /api/v1, /apis/apps/v1: discovery.
            return new RequestAttributes(request.Method.ToLowerInvariant(), "", "", null, null, request.Path);
        }
        string? ns = null;
        if (rest[0] == "namespaces" && rest.Length >= 3)
        {
            ns = rest[1];
            rest = rest[2..];
        }
        var resource = rest[0];
        var name = rest.Length > 1 ? rest[1] : null;
        if (rest.Length > 2)
        {
            resource += "/" + rest[2];
        }
        var verb = request.Method switch
        {
            "GET" or "HEAD" => name is null ? (request.Query.Contains("watch=true", StringComparison.Ordinal) ? "watch" : "list") : "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => name is null ? "deletecollection" : "delete",
            _ => request.Method.ToLowerInvariant(),
        };
        return new RequestAttributes(verb, group, resource, ns, name, null);
    }

    public override string ToString() => NonResourcePath is { } path
        ? $"{Verb} {path}"
        : $"{Verb} {(Group.Length == 0 ? "" : Group + "/")}{Resource}{(Namespace is null ? "" : $" in {Namespace}")}{(Name is null ? "" : $" named {Name}")}";
}

/// <summary>One thing a rule grants: a verb on a resource, in a namespace (null: cluster-wide), to one name (null: any).</summary>
public sealed record Grant(string Verb, string Group, string Resource, string? Namespace, string? Name);

/// <summary>
/// Kubernetes RBAC, evaluated over rendered objects for one service account: the rules of the
/// Roles and ClusterRoles that rendered bindings bind it to (the API server's RBAC authorizer,
/// k8s.io/kubernetes/plugin/pkg/auth/authorizer/rbac). Discovery is allowed, as the default
/// <c>system:discovery</c> ClusterRole allows it to every authenticated user.
/// </summary>
public sealed class RenderedRbac
{
    private readonly List<(string? Namespace, JsonObject Rule)> _rules = new();

    public RenderedRbac(IEnumerable<JsonObject> objects, string serviceAccountNamespace, string serviceAccount)
    {
        var all = objects.ToList();
        JsonObject? Find(string kind, string? ns, string name) => all.FirstOrDefault(o => KubeObject.Kind(o) == kind && KubeObject.Name(o) == name && KubeObject.Namespace(o) == ns);
        foreach (var binding in all.Where(o => KubeObject.Kind(o) is "RoleBinding" or "ClusterRoleBinding"))
        {
            var bound = (binding["subjects"] as JsonArray ?? new JsonArray()).OfType<JsonObject>().Any(s =>
                s["kind"]?.GetValue<string>() == "ServiceAccount" && s["name"]?.GetValue<string>() == serviceAccount && s["namespace"]?.GetValue<string>() == serviceAccountNamespace);
            if (!bound)
            {
                continue;
            }
            var roleKind = binding["roleRef"]!["kind"]!.GetValue<string>();
            var roleName = binding["roleRef"]!["name"]!.GetValue<string>();
            var bindingNamespace = KubeObject.Kind(binding) == "RoleBinding" ? KubeObject.Namespace(binding) : null;
            var role = roleKind == "Role" ? Find("Role", bindingNamespace, roleName) : Find("ClusterRole", null, roleName);
            if (role is null)
            {
                throw new InvalidOperationException($"{KubeObject.Display(binding)} refers to {roleKind} {roleName}, which the render does not define.");
            }
            foreach (var rule in (role["rules"] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
            {
                _rules.Add((bindingNamespace, rule));
            }
        }
    }

    /// <summary>Every single grant of the rules (wildcards stay "*").</summary>
    public IReadOnlyList<Grant> Grants => _rules.SelectMany(r =>
    {
        var names = Strings(r.Rule, "resourceNames");
        return from verb in Strings(r.Rule, "verbs")
               from g in Strings(r.Rule, "apiGroups")
               from resource in Strings(r.Rule, "resources")
               from name in names.Count == 0 ? new string?[] { null } : names.Select(n => (string?)n)
               select new Grant(verb, g, resource, r.Namespace, name);
    }).Distinct().ToList();

    private static List<string> Strings(JsonObject rule, string field) =>
        (rule[field] as JsonArray ?? new JsonArray()).Select(n => n!.GetValue<string>()).ToList();

    public static bool IsDiscovery(RequestAttributes a) => a.NonResourcePath is { } path && a.Verb == "get"
        && (path is "/api" or "/apis" or "/version" || path.StartsWith("/api/", StringComparison.Ordinal) || path.StartsWith("/apis/", StringComparison.Ordinal) || path.StartsWith("/openapi/", StringComparison.Ordinal));

    /// <summary>The grants that allow <paramref name="a"/> (empty: denied).</summary>
    public IReadOnlyList<Grant> Matching(RequestAttributes a) => a.NonResourcePath is not null
        ? Array.Empty<Grant>()
        : Grants.Where(g => (g.Verb == "*" || g.Verb == a.Verb) && (g.Group == "*" || g.Group == a.Group)
            && (g.Resource == "*" || g.Resource == a.Resource)
            && (g.Namespace is null || g.Namespace == a.Namespace)
            && (g.Name is null || g.Name == a.Name)).ToList();

    public bool Allows(RecordedRequest request)
    {
        var a = RequestAttributes.Parse(request);
        return IsDiscovery(a) || Matching(a).Count > 0;
    }

    /// <summary>
    /// Makes <paramref name="fake"/> answer 403 Forbidden to every request these rules do not
    /// allow, as the real API server's RBAC authorizer would (the fake does not authorize); clears
    /// the recorded requests and returns the list the denied ones are added to.
    /// </summary>
    public List<RecordedRequest> EnforceOn(FakeApiServer fake)
    {
        var denied = new List<RecordedRequest>();
        fake.Requests.Clear();
        fake.Faults.Add(new FaultRule
        {
            When = r =>
            {
                if (Allows(r))
                {
                    return false;
                }
                lock (denied)
                {
                    denied.Add(r);
                }
                return true;
            },
            Status = 403,
        });
        return denied;
    }

    /// <summary>The grants no request of <paramref name="requests"/> used.</summary>
    public IReadOnlyList<Grant> Unused(IEnumerable<RecordedRequest> requests)
    {
        var used = requests.Select(RequestAttributes.Parse).SelectMany(Matching).ToHashSet();
        return Grants.Where(g => !used.Contains(g)).ToList();
    }
}

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FlatRacoon.Narration;
using FlatRacoon.Rendering;
using FlatRacoon.Secrets;

namespace FlatRacoon.Deployment;

/// <summary>How apply behaves.</summary>
public sealed record DeployOptions
{
    /// <summary>The server-side apply field manager.</summary>
    public string FieldManager { get; init; } = "flatracoon";
    /// <summary>Take over fields other managers own (<c>--force-conflicts</c>).</summary>
    public bool ForceConflicts { get; init; }
    /// <summary>Roll back by itself when a wave fails (<c>--atomic</c>).</summary>
    public bool Atomic { get; init; }
    /// <summary>
    /// Objects of a wave applied at once (default 32: an apply spends most of its time waiting for
    /// answers, and an API server serves hundreds of requests at once; Argo CD applies 20 at a time,
    /// Helm a kind's objects all at once). Lower it for an API server that throttles you.
    /// </summary>
    public int Parallelism { get; init; } = 32;
    /// <summary>How long a wave may take to become ready.</summary>
    public TimeSpan WaveTimeout { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>Time between readiness checks.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>After a wave's workloads are ready, also require their modules' health endpoints (through the API server's service proxy) to answer 2xx.</summary>
    public bool CheckHealthEndpoints { get; init; } = true;
    /// <summary>Revisions kept in the cluster.</summary>
    public int HistoryMax { get; init; } = 10;
    /// <summary>Recorded as the revision's user.</summary>
    public string User { get; init; } = Environment.UserName;
    /// <summary>Resolves the references of the Secrets materialised at apply time (default: environment, file, sops CLI, Vault KV v2).</summary>
    public ISecretResolver SecretResolver { get; init; } = Secrets.SecretResolver.CreateDefault();
}

/// <summary>How an apply ended.</summary>
/// <param name="Changed">Whether anything was written.</param>
/// <param name="Revision">The revision the cluster is at (null: nothing was ever recorded).</param>
/// <param name="Plan">The plan it executed.</param>
public sealed record ApplyResult(bool Changed, int? Revision, Plan Plan);

/// <summary>Apply failed; <see cref="ClusterRevision"/> says where the cluster is.</summary>
public sealed class ApplyFailedException : DeploymentException
{
    /// <summary>Creates the exception.</summary>
    public ApplyFailedException(string message, int? clusterRevision, bool rolledBack, Exception inner) : base(message, inner)
    {
        ClusterRevision = clusterRevision;
        RolledBack = rolledBack;
    }

    /// <summary>The last good revision; with <see cref="RolledBack"/> the cluster is exactly at it.</summary>
    public int? ClusterRevision { get; }
    /// <summary>Whether the failed apply was undone.</summary>
    public bool RolledBack { get; }
}

/// <summary>Other field managers own fields apply would change.</summary>
public sealed class ConflictException : DeploymentException
{
    /// <summary>Creates the exception.</summary>
    public ConflictException(string message, IReadOnlyList<(string Object, FieldConflict Conflict)> conflicts) : base(message) => Conflicts = conflicts;
    /// <summary>Object and field of each conflict.</summary>
    public IReadOnlyList<(string Object, FieldConflict Conflict)> Conflicts { get; }
}

/// <summary>A workload did not become ready in time, or failed.</summary>
public sealed class ReadinessException : DeploymentException
{
    /// <summary>Creates the exception.</summary>
    public ReadinessException(string message) : base(message) { }
}

/// <summary>
/// The deployment engine: plan (server-side dry-run + field diff), apply (server-side apply wave by
/// wave, readiness waits), prune (ApplySet, KEP-3659), revisions, rollback, destroy, status. Every
/// step is narrated in plain words; no secret value is ever narrated.
/// </summary>
public sealed partial class Deployer
{
    private readonly KubeApiClient _api;
    private readonly INarrator _narrator;
    private readonly ResourceCatalog _catalog;
    private readonly object _narrationLock = new();
    private SecretRedactor? _redactor;

    /// <summary>An engine over <paramref name="api"/>, narrating to <paramref name="narrator"/>.</summary>
    public Deployer(KubeApiClient api, INarrator narrator, DeployOptions? options = null)
    {
        _api = api;
        _narrator = narrator;
        Options = options ?? new DeployOptions();
        _catalog = new ResourceCatalog(api);
        _api.OnRetry ??= notice => Say("api.retry",
            $"retrying {notice.What}: {notice.Answer}; next attempt ({notice.Attempt + 1}/{notice.MaxAttempts}) in {notice.Delay.TotalSeconds:0.##} s",
            new() { ["what"] = notice.What, ["attempt"] = notice.Attempt, ["delay_ms"] = (long)notice.Delay.TotalMilliseconds });
    }

    /// <summary>The options.</summary>
    public DeployOptions Options { get; }

    /// <summary>The revisions of <paramref name="stack"/>.</summary>
    public RevisionStore Revisions(string stack) => new(_api, stack, Options.FieldManager);

    private string Redact(string text) => _redactor?.Redact(text) ?? text;

    private void Say(string step, string message, Dictionary<string, object?>? data = null)
    {
        if (data is not null)
        {
            foreach (var key in data.Keys.ToList())
            {
                if (data[key] is string s)
                {
                    data[key] = Redact(s);
                }
            }
        }
        var e = new NarrationEvent(step, Redact(message), data);
        lock (_narrationLock)
        {
            // Waits and applies run in parallel; narrators write lines and need them whole.
            _narrator.Narrate(e);
        }
    }

    private static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    // ---------------------------------------------------------------- plan

    /// <summary>Plans <paramref name="set"/>: a server-side dry-run apply of every object and a field diff against live.</summary>
    public async Task<Plan> PlanAsync(DeploymentSet set, CancellationToken cancellation = default)
    {
        if (set.HasUnresolvedSecrets)
        {
            // The dry-run and the diff need the values; they never leave the set's redactor.
            set = await ResolveSecretsAsync(set, cancellation).ConfigureAwait(false);
        }
        _redactor = set.Redactor;
        var resources = new Dictionary<string, ResourceType?>(StringComparer.Ordinal);
        var pairs = set.Objects.Select(o => (ApiVersion: KubeObject.ApiVersion(o.Body), o.Kind)).Distinct().ToList();
        // The reads that do not depend on each other go at once: the live parent, and the discovery of
        // every group version the set uses (the loop below then reads the catalog's cache).
        var parentRead = ReadParentAsync();
        async Task<JsonObject?> ReadParentAsync() =>
            await GetAsync(await _catalog.ResolveAsync("v1", "ConfigMap", cancellation).ConfigureAwait(false), set.Parent.Body, cancellation).ConfigureAwait(false);
        // The group kinds the set's parent names are resolved too: the member lists need them (and, for a
        // group, the preferred versions of /apis), and need not wait for the live parent to ask.
        var parentKinds = (KubeObject.Annotation(set.Parent.Body, Labels.ApplySetContainsGroupKinds) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(gk => (Task)_catalog.ResolveGroupKindAsync(gk, cancellation));
        await Task.WhenAll(pairs.Select(p => p.ApiVersion).Distinct(StringComparer.Ordinal).Select(v => (Task)_catalog.TryResolveAsync(v, "", cancellation)).Concat(parentKinds)).ConfigureAwait(false);
        foreach (var pair in pairs)
        {
            var type = await _catalog.TryResolveAsync(pair.ApiVersion, pair.Kind, cancellation).ConfigureAwait(false);
            if (type is null && !set.Objects.Any(o => o.Kind == "CustomResourceDefinition" && CrdServes(o.Body, pair.ApiVersion, pair.Kind)))
            {
                type = await _catalog.ResolveAsync(pair.ApiVersion, pair.Kind, cancellation).ConfigureAwait(false); // throws the clear error
            }
            resources[pair.ApiVersion + "|" + pair.Kind] = type;
        }

        var liveParent = await parentRead.ConfigureAwait(false);
        var members = await ListMembersAsync(set, liveParent, cancellation).ConfigureAwait(false);
        var newNamespaces = new HashSet<string>(StringComparer.Ordinal);
        var planned = new PlannedObject?[set.Objects.Length];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Options.Parallelism), CancellationToken = cancellation };

        // Namespaces first: objects in a namespace that does not exist yet cannot be dry-run.
        var order = Enumerable.Range(0, set.Objects.Length).GroupBy(i => set.Objects[i].Kind == "Namespace" ? 0 : 1).OrderBy(g => g.Key);
        void Planned(int i, PlannedObject o)
        {
            planned[i] = o;
            if (o.Action == PlanAction.Create && set.Objects[i].Kind == "Namespace")
            {
                lock (newNamespaces)
                {
                    newNamespaces.Add(KubeObject.Name(set.Objects[i].Body));
                }
            }
        }
        foreach (var group in order)
        {
            // What needs no request (most objects of an unchanged or a new stack) is planned here, in
            // one pass; only the rest goes to the server, in parallel.
            // (Each object is looked at by one thread only.)
            // CPU work only: no more threads than cores (more would only take turns on them).
            var indices = group.ToArray();
            var cpu = new ParallelOptions { MaxDegreeOfParallelism = Math.Min(Environment.ProcessorCount, options.MaxDegreeOfParallelism), CancellationToken = cancellation };
            Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, indices.Length), cpu, range =>
            {
                for (var k = range.Item1; k < range.Item2; k++)
                {
                    var desired = set.Objects[indices[k]];
                    if (PlanWithoutRequest(set, desired, resources[KubeObject.ApiVersion(desired.Body) + "|" + desired.Kind], members, liveParent, newNamespaces) is { } local)
                    {
                        Planned(indices[k], local);
                    }
                }
            });
            var asked = indices.Where(i => planned[i] is null).ToList();
            await Parallel.ForEachAsync(asked, options, async (i, token) =>
            {
                var desired = set.Objects[i];
                var type = resources[KubeObject.ApiVersion(desired.Body) + "|" + desired.Kind];
                Planned(i, await PlanWithServerAsync(set, desired, type!, members, liveParent, token).ConfigureAwait(false));
            }).ConfigureAwait(false);
        }

        var desiredKeys = new HashSet<string>(set.Objects.Select(o => o.Key), StringComparer.Ordinal);
        var deletions = members.Values
            .Where(m => !desiredKeys.Contains(m.Key))
            .OrderByDescending(m => KubeObject.Wave(m.Live, int.MaxValue))
            .ThenBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => new PlannedObject(PlanAction.Delete, KubeObject.Label(m.Live, Labels.Module) ?? "?", KubeObject.Wave(m.Live, set.WaveCount),
                KubeObject.ApiVersion(m.Live), KubeObject.Kind(m.Live), KubeObject.Namespace(m.Live), KubeObject.Name(m.Live), Array.Empty<FieldChange>(), Array.Empty<FieldConflict>())
            { Live = m.Live, Resource = m.Type });
        var plan = new Plan(set, planned.Select(p => p!).Concat(deletions).ToList(), liveParent);
        Say("plan.done", $"Plan for stack '{set.StackName}': {plan.Summary}.", new()
        {
            ["stack"] = set.StackName, ["create"] = plan.Count(PlanAction.Create), ["update"] = plan.Count(PlanAction.Update),
            ["delete"] = plan.Count(PlanAction.Delete), ["unchanged"] = plan.Count(PlanAction.Unchanged),
        });
        return plan;
    }

    private async Task<DeploymentSet> ResolveSecretsAsync(DeploymentSet set, CancellationToken cancellation)
    {
        var count = set.Objects.Count(o => DeploymentSet.IsMaterializedSecret(o.Body));
        Say("secrets.resolve", $"Resolving the references of {Plural(count, "Secret")} materialised at apply time.", new() { ["secrets"] = count });
        var resolved = await set.ResolveSecretsAsync(Options.SecretResolver, cancellation).ConfigureAwait(false);
        _redactor = resolved.Redactor;
        return resolved;
    }

    private static bool CrdServes(JsonObject crd, string apiVersion, string kind) =>
        crd["spec"]?["group"]?.GetValue<string>() == KubeObject.Group(apiVersion) && crd["spec"]?["names"]?["kind"]?.GetValue<string>() == kind;

    private PlannedObject MakePlanned(DesiredObject desired, ResourceType? type, PlanAction action, IReadOnlyList<FieldChange> changes, IReadOnlyList<FieldConflict> conflicts, JsonObject? live) =>
        new(action, desired.Module, desired.Wave, KubeObject.ApiVersion(desired.Body), desired.Kind, KubeObject.Namespace(desired.Body), KubeObject.Name(desired.Body), changes, conflicts)
        { Desired = desired, Live = live, Resource = type };

    /// <summary>
    /// The plan of an object that needs no request: a creation whose CRD or namespace this apply
    /// creates, or a member whose live state (from the ApplySet lists) proves an apply a no-op; null
    /// when the server must be asked (<see cref="PlanWithServerAsync"/>).
    /// </summary>
    private PlannedObject? PlanWithoutRequest(DeploymentSet set, DesiredObject desired, ResourceType? type, IReadOnlyDictionary<string, Member> members,
        JsonObject? liveParent, HashSet<string> newNamespaces)
    {
        var body = desired.Body;
        if (type is null)
        {
            // Its CRD is created by this apply: nothing to dry-run against yet.
            return MakePlanned(desired, type, PlanAction.Create, ObjectDiff.Creation(body), Array.Empty<FieldConflict>(), null);
        }
        bool namespaceIsNew;
        lock (newNamespaces)
        {
            namespaceIsNew = type.Namespaced && KubeObject.Namespace(body) is { } ns && newNamespaces.Contains(ns);
        }
        if (namespaceIsNew)
        {
            // Its namespace does not exist yet, so neither does it: no read, and nothing to dry-run against.
            return MakePlanned(desired, type, PlanAction.Create, ObjectDiff.Creation(body), Array.Empty<FieldConflict>(), null);
        }
        if (members.TryGetValue(desired.Key, out var member)
            ? ApplyNoOp.Proven(body, member.Element, Options.FieldManager, (member.ApiVersion, member.Kind))
            : desired == set.Parent && liveParent is not null && ApplyNoOp.Proven(body, KubeObject.Element(liveParent), Options.FieldManager))
        {
            // Every declared field already has its value and we own no other field: the apply would
            // change nothing, so the server is not asked (the dry-run would say the same).
            return MakePlanned(desired, type, PlanAction.Unchanged, Array.Empty<FieldChange>(), Array.Empty<FieldConflict>(), KnownLive(set, desired, members, liveParent));
        }
        return null;
    }

    /// <summary>The live object when the plan already has it: a member of the ApplySet lists, or the parent.</summary>
    private static JsonObject? KnownLive(DeploymentSet set, DesiredObject desired, IReadOnlyDictionary<string, Member> members, JsonObject? liveParent) =>
        members.TryGetValue(desired.Key, out var member) ? member.Live : desired == set.Parent ? liveParent : null;

    /// <summary>The plan of an object <see cref="PlanWithoutRequest"/> could not plan: read it unless known, then a server-side dry-run apply and a diff.</summary>
    private async Task<PlannedObject> PlanWithServerAsync(DeploymentSet set, DesiredObject desired, ResourceType type, IReadOnlyDictionary<string, Member> members,
        JsonObject? liveParent, CancellationToken cancellation)
    {
        var body = desired.Body;
        PlannedObject Make(PlanAction action, IReadOnlyList<FieldChange> changes, IReadOnlyList<FieldConflict> conflicts, JsonObject? live) =>
            MakePlanned(desired, type, action, changes, conflicts, live);
        var known = KnownLive(set, desired, members, liveParent);
        ApiAnswer? answer = null;
        if (known is null && liveParent is null && desired != set.Parent)
        {
            // The stack has never been applied here, so this object is most likely new: the dry-run goes
            // first, and its 201 Created says the object does not exist (no read needed). Any other
            // answer: it is read below, as when the stack exists.
            answer = await SendApplyAsync(type, body, dryRun: true, cancellation).ConfigureAwait(false);
            if (answer.StatusCode == HttpStatusCode.Created)
            {
                return Make(PlanAction.Create, ObjectDiff.Creation(body), Array.Empty<FieldConflict>(), null);
            }
        }
        // The parent was read when the plan began: absent then is absent now.
        var live = known ?? (desired == set.Parent ? null : await GetAsync(type, body, cancellation).ConfigureAwait(false));
        if (known is null && live is not null && ApplyNoOp.Proven(body, KubeObject.Element(live), Options.FieldManager))
        {
            // Read just now (not a member yet): the same shortcut as for members.
            return Make(PlanAction.Unchanged, Array.Empty<FieldChange>(), Array.Empty<FieldConflict>(), live);
        }
        answer ??= await SendApplyAsync(type, body, dryRun: true, cancellation).ConfigureAwait(false);
        if (answer.StatusCode == HttpStatusCode.Conflict)
        {
            // The changes are what the apply would do if forced (a dry run): only the conflicting fields
            // change hands, every field of other managers stays, so they are no change of ours.
            var conflicts = ParseConflicts(answer);
            var forced = live is null ? null : await SendApplyAsync(type, body, dryRun: true, cancellation, force: true).ConfigureAwait(false);
            var result = forced is { IsSuccess: true, Body: { } merged } ? KubeObject.Comparable(merged) : KubeObject.Comparable(body);
            return Make(live is null ? PlanAction.Create : PlanAction.Update, ObjectDiff.Diff(live is null ? null : KubeObject.Comparable(live), result), conflicts, live);
        }
        if (!answer.IsSuccess || answer.Body is null)
        {
            throw new KubeApiException($"plan {desired.Display}: the API answered {KubeApiClient.Describe(answer, Redact)}", answer.StatusCode, Redact(answer.StatusMessage ?? ""));
        }
        if (live is null)
        {
            return Make(PlanAction.Create, ObjectDiff.Creation(body), Array.Empty<FieldConflict>(), null);
        }
        var changes = ObjectDiff.Diff(KubeObject.Comparable(live), KubeObject.Comparable(answer.Body));
        return Make(changes.Count == 0 ? PlanAction.Unchanged : PlanAction.Update, changes, Array.Empty<FieldConflict>(), live);
    }

    private static IReadOnlyList<FieldConflict> ParseConflicts(ApiAnswer answer)
    {
        var result = new List<FieldConflict>();
        foreach (var cause in answer.Body?["details"]?["causes"]?.AsArray() ?? new JsonArray())
        {
            var message = cause?["message"]?.GetValue<string>() ?? "";
            var manager = message.Split('"') is { Length: >= 2 } parts ? parts[1] : message;
            result.Add(new FieldConflict(manager, cause?["field"]?.GetValue<string>() ?? "?"));
        }
        if (result.Count == 0)
        {
            result.Add(new FieldConflict("?", answer.StatusMessage ?? "conflict"));
        }
        return result;
    }

    private async Task<JsonObject?> GetAsync(ResourceType type, JsonObject body, CancellationToken cancellation)
    {
        var answer = await _api.SendAsync(HttpMethod.Get, type.ObjectPath(KubeObject.Namespace(body), KubeObject.Name(body)), $"read {KubeObject.Display(body)}", redact: Redact, cancellation: cancellation).ConfigureAwait(false);
        if (answer.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        if (!answer.IsSuccess)
        {
            throw new KubeApiException($"read {KubeObject.Display(body)}: the API answered {KubeApiClient.Describe(answer, Redact)}", answer.StatusCode, Redact(answer.StatusMessage ?? ""));
        }
        return answer.Body;
    }

    /// <summary>A server-side apply of <paramref name="body"/>; a 2xx answer's body is parsed only when <paramref name="answerRead"/>.</summary>
    private Task<ApiAnswer> SendApplyAsync(ResourceType type, JsonObject body, bool dryRun, CancellationToken cancellation, bool? force = null, bool answerRead = true)
    {
        var query = $"?fieldManager={Uri.EscapeDataString(Options.FieldManager)}&force={(force ?? Options.ForceConflicts ? "true" : "false")}{(dryRun ? "&dryRun=All" : "")}";
        var path = type.ObjectPath(KubeObject.Namespace(body), KubeObject.Name(body)) + query;
        return _api.SendJsonAsync(HttpMethod.Patch, path, $"{(dryRun ? "dry-run apply" : "apply")} {KubeObject.Display(body)}", body, "application/apply-patch+yaml", Redact, answerRead, cancellation);
    }

    // ---------------------------------------------------------------- ApplySet members

    /// <summary>
    /// A live member as listed: read as parsed (<see cref="Element"/>) by the no-op proof, turned into a
    /// <see cref="JsonObject"/> (<see cref="Live"/>) only where one is needed (a deletion, a diff, a readiness wait).
    /// </summary>
    private sealed class Member(JsonElement element, ResourceType type, string apiVersion, string kind, string key)
    {
        private JsonObject? _live;

        public JsonElement Element => element;
        public ResourceType Type => type;
        /// <summary>The item's apiVersion, else the list's (list items may omit it).</summary>
        public string ApiVersion => apiVersion;
        /// <summary>The item's kind, else the list's.</summary>
        public string Kind => kind;
        /// <summary><see cref="KubeObject.Key(JsonObject)"/>.</summary>
        public string Key => key;

        /// <summary>The object with its apiVersion and kind, made once on first use.</summary>
        public JsonObject Live => LazyInitializer.EnsureInitialized(ref _live, () =>
        {
            var live = JsonObject.Create(element)!;
            live["apiVersion"] ??= apiVersion;
            live["kind"] ??= kind;
            return live;
        });
    }

    /// <summary>
    /// The live members of the set's ApplySet: listed by the part-of label in every group-kind and
    /// namespace the live parent names (and the new set has), and kept only when the label is
    /// exactly our id. Look-alike labels (same part-of stack name, another id) never qualify.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, Member>> ListMembersAsync(DeploymentSet set, JsonObject? liveParent, CancellationToken cancellation)
    {
        var groupKinds = new SortedSet<string>(StringComparer.Ordinal);
        var namespaces = new SortedSet<string>(StringComparer.Ordinal) { KubeObject.Namespace(set.Parent.Body) ?? StackRenderer.SystemNamespace };
        foreach (var parent in new[] { liveParent, set.Parent.Body })
        {
            if (parent is null)
            {
                continue;
            }
            foreach (var gk in (KubeObject.Annotation(parent, Labels.ApplySetContainsGroupKinds) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                groupKinds.Add(gk.Trim());
            }
            foreach (var ns in (KubeObject.Annotation(parent, Labels.ApplySetAdditionalNamespaces) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                namespaces.Add(ns.Trim());
            }
        }
        var selector = Uri.EscapeDataString($"{Labels.ApplySetPartOf}={set.ApplySetId}");
        var lists = new List<(ResourceType Type, string? Namespace)>();
        // Resolved at once (discovery is cached per group version), kept in the group-kinds' order.
        foreach (var type in await Task.WhenAll(groupKinds.Select(gk => _catalog.ResolveGroupKindAsync(gk, cancellation))).ConfigureAwait(false))
        {
            if (type is null)
            {
                continue; // the kind is no longer served (its CRD is gone): nothing of it can be left
            }
            lists.AddRange(type.Namespaced ? namespaces.Select(ns => (type, (string?)ns)) : new[] { (type, (string?)null) });
        }
        var result = new ConcurrentDictionary<string, Member>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(lists, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Options.Parallelism), CancellationToken = cancellation }, async (list, token) =>
        {
            // Kept as parsed: the no-op proof reads each item once, and most are never needed as a JsonObject.
            var answer = await _api.GetDocumentAsync($"{list.Type.CollectionPath(list.Namespace)}?labelSelector={selector}",
                $"list {list.Type.GroupKind} in {list.Namespace ?? "the cluster"}", Redact, token).ConfigureAwait(false);
            if (answer.StatusCode == HttpStatusCode.NotFound)
            {
                return;
            }
            if (!answer.IsSuccess)
            {
                throw new KubeApiException($"list {list.Type.GroupKind}: the API answered {KubeApiClient.Describe(answer, Redact)}", answer.StatusCode, Redact(answer.StatusMessage ?? ""));
            }
            if (answer.Document?.RootElement is not { ValueKind: JsonValueKind.Object } root || !root.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                return;
            }
            // Lists omit apiVersion/kind on items; they are the list's type.
            var listedVersion = list.Type.Group.Length == 0 ? list.Type.Version : $"{list.Type.Group}/{list.Type.Version}";
            foreach (var item in items.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }
                var metadata = Property(item, "metadata");
                if (Text(Property(metadata, "labels"), Labels.ApplySetPartOf) == set.ApplySetId)
                {
                    var apiVersion = Text(item, "apiVersion") ?? listedVersion;
                    var kind = Text(item, "kind") ?? list.Type.Kind;
                    var key = KubeObject.Key(KubeObject.Group(apiVersion), kind, Text(metadata, "namespace"), Text(metadata, "name") ?? "");
                    result[key] = new Member(item, list.Type, apiVersion, kind, key);
                }
            }
        }).ConfigureAwait(false);
        return result;
    }

    /// <summary>Property <paramref name="name"/> of an object (default when absent or not an object).</summary>
    private static JsonElement Property(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var value) ? value : default;

    /// <summary>String property <paramref name="name"/> of an object, as <see cref="KubeObject"/>'s accessors read it (null when absent or null).</summary>
    private static string? Text(JsonElement o, string name) => Property(o, name) is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) } value ? value.GetString() : null;
}

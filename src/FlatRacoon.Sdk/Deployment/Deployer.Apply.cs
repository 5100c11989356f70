using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FlatRacoon.Rendering;
using FlatRacoon.Secrets;

namespace FlatRacoon.Deployment;

public sealed partial class Deployer
{
    /// <summary>
    /// Applies <paramref name="set"/>: plan, then wave by wave server-side apply and readiness
    /// waits, then prune, then a recorded revision. With <see cref="DeployOptions.Atomic"/> a failure
    /// restores the previous revision. Nothing is written when the plan has no changes.
    /// </summary>
    public Task<ApplyResult> ApplyAsync(DeploymentSet set, CancellationToken cancellation = default) =>
        ApplyAsync(set, "apply", Options.Atomic, cancellation);

    private async Task<ApplyResult> ApplyAsync(DeploymentSet set, string description, bool atomic, CancellationToken cancellation)
    {
        var revisions = Revisions(set.StackName);
        if (set.HasUnresolvedSecrets)
        {
            // Every reference is resolved before the first write of any wave: a missing value
            // leaves the cluster exactly as it was.
            var before = await revisions.LatestAsync(cancellation).ConfigureAwait(false);
            try
            {
                set = await ResolveSecretsAsync(set, cancellation).ConfigureAwait(false);
            }
            catch (SecretResolutionException e)
            {
                var at = before?.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";
                Say("apply.failed", $"Apply failed: {e.Message}", new() { ["error"] = e.Message, ["reference"] = e.Reference.ToString(), ["revision"] = before?.Number });
                throw new ApplyFailedException($"Apply failed: {e.Message} Nothing was written; the cluster holds revision {at}.", before?.Number, false, e);
            }
        }
        // The revision history is read while the plan is made (neither needs the other).
        var historyRead = revisions.ListAsync(cancellation);
        var plan = await PlanAsync(set, cancellation).ConfigureAwait(false);
        var conflicts = plan.Conflicts.ToList();
        if (conflicts.Count > 0)
        {
            foreach (var (o, c) in conflicts)
            {
                Say("apply.conflict", $"conflict: {o.Display} field {c.Field} is managed by '{c.Manager}'",
                    new() { ["object"] = o.Display, ["field"] = c.Field, ["manager"] = c.Manager });
            }
            throw new ConflictException(
                $"{Plural(conflicts.Count, "field")} of {Plural(conflicts.Select(c => c.Object.Display).Distinct().Count(), "object")} are managed by other field managers "
                + $"({string.Join("; ", conflicts.Take(5).Select(c => $"{c.Object.Display} {c.Conflict.Field} by '{c.Conflict.Manager}'"))}); nothing was changed. "
                + "Use --force-conflicts to take them over.", conflicts.Select(c => (c.Object.Display, c.Conflict)).ToList());
        }
        var history = await historyRead.ConfigureAwait(false);
        var latest = history.LastOrDefault();
        // The identity covers Secret values too (keyed, so no oracle for them): a value an interrupted
        // run wrote without recording a revision makes it differ from the latest revision's. Its key
        // lives in the system namespace, so it is read only once the stack's objects exist.
        if (!plan.HasChanges)
        {
            var hash = set.Identity(await revisions.KeyAsync(cancellation).ConfigureAwait(false));
            if (latest is not null && latest.Hash == hash)
            {
                Say("apply.unchanged", $"No changes: the cluster already matches revision {latest.Number}.", new() { ["revision"] = latest.Number });
                return new ApplyResult(false, latest.Number, plan);
            }
            // Live already matches (an earlier run got this far) but no revision says so: record it.
            var recorded = await RecordAsync(revisions, set, hash, RevisionStore.Stored(set), history, plan, description, cancellation).ConfigureAwait(false);
            return new ApplyResult(true, recorded, plan);
        }

        var watch = Stopwatch.StartNew();
        // What the revision needs of the set, its stored bytes and its identity's input, is made while
        // the waves run, on another thread: it needs neither the cluster nor the key, and it only reads
        // the set's objects, as the waves do (reading a JsonNode tree from several threads is safe).
        var revisionInput = Task.Run(() => (Stored: RevisionStore.Stored(set), Identity: set.IdentityInput()), CancellationToken.None);
        Say("apply.start", $"Applying stack '{set.StackName}' in {Plural(set.WaveCount, "wave")}: {plan.Summary} (last revision: {latest?.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}).",
            new() { ["stack"] = set.StackName, ["waves"] = set.WaveCount, ["from_revision"] = latest?.Number });
        try
        {
            await ExecuteAsync(plan, cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DeploymentException or KubeApiException || (e is OperationCanceledException && !cancellation.IsCancellationRequested))
        {
            var at = latest?.Number;
            Say("apply.failed", $"Apply failed: {Redact(e.Message)}", new() { ["error"] = e.Message, ["revision"] = at });
            if (!atomic)
            {
                throw new ApplyFailedException(
                    $"Apply failed: {Redact(e.Message)} The cluster holds revision {at?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} with part of the new set applied; "
                    + "run apply again to converge, or rollback to return to the revision.", at, false, e);
            }
            try
            {
                await RestoreAsync(set, revisions, latest, cancellation).ConfigureAwait(false);
            }
            catch (Exception restore) when (restore is DeploymentException or KubeApiException)
            {
                throw new ApplyFailedException(
                    $"Apply failed: {Redact(e.Message)} The rollback to revision {at?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} failed too: {Redact(restore.Message)} "
                    + "The cluster holds part of both; run 'rollback' or apply again.", at, false, e);
            }
            throw new ApplyFailedException(at is null
                ? $"Apply failed: {Redact(e.Message)} --atomic removed what it had created; the stack is not installed."
                : $"Apply failed: {Redact(e.Message)} --atomic rolled back: the cluster is at revision {at}.", at, true, e);
        }
        var keyRead = revisions.KeyAsync(cancellation);
        var (stored, identityInput) = await revisionInput.ConfigureAwait(false);
        var key = await keyRead.ConfigureAwait(false);
        var identity = DeploymentSet.IdentityOf(identityInput.WrittenSpan, key);
        var number = await RecordAsync(revisions, set, identity, stored, history, plan, description, cancellation).ConfigureAwait(false);
        Say("apply.done", $"Applied stack '{set.StackName}': revision {number} ({plan.Summary}) in {watch.Elapsed.TotalSeconds:0.0} s.",
            new() { ["revision"] = number, ["elapsed_ms"] = watch.ElapsedMilliseconds });
        return new ApplyResult(true, number, plan);
    }

    /// <summary>Records the next revision after <paramref name="history"/> (the revisions read before the plan) and trims the history.</summary>
    private async Task<int> RecordAsync(RevisionStore revisions, DeploymentSet set, string identity, byte[] stored, IReadOnlyList<Revision> history, Plan plan, string description, CancellationToken cancellation)
    {
        var number = (history.LastOrDefault()?.Number ?? 0) + 1;
        var summary = $"{plan.Count(PlanAction.Create)} created, {plan.Count(PlanAction.Update)} updated, {plan.Count(PlanAction.Delete)} deleted";
        var revision = await revisions.RecordAsync(number, set, identity, stored, history, Options.User, summary, description, Options.HistoryMax, cancellation).ConfigureAwait(false);
        Say("revision.recorded", $"Recorded revision {number} ({revision.Hash[..24]}): {summary}.", new() { ["revision"] = number, ["hash"] = revision.Hash, ["summary"] = summary });
        return number;
    }

    /// <summary>--atomic: back to <paramref name="previous"/>, or nothing when there was none.</summary>
    private async Task RestoreAsync(DeploymentSet failed, RevisionStore revisions, Revision? previous, CancellationToken cancellation)
    {
        if (previous is null)
        {
            Say("rollback.start", "Rolling back: removing what the failed apply created (there is no earlier revision).");
            await DestroyCoreAsync(failed, cancellation, deleteRevisions: false).ConfigureAwait(false);
            return;
        }
        Say("rollback.start", $"Rolling back to revision {previous.Number}.", new() { ["revision"] = previous.Number });
        var set = await revisions.LoadAsync(previous.Number, cancellation).ConfigureAwait(false);
        var plan = await PlanAsync(set, cancellation).ConfigureAwait(false);
        await ExecuteAsync(plan, cancellation).ConfigureAwait(false);
        _redactor = failed.Redactor;
        Say("rollback.done", $"Rolled back: the cluster is at revision {previous.Number}.", new() { ["revision"] = previous.Number });
    }

    /// <summary>Re-applies revision <paramref name="to"/> (default: the one before the latest) and records it as a new revision.</summary>
    public async Task<ApplyResult> RollbackAsync(string stack, int? to = null, CancellationToken cancellation = default)
    {
        var revisions = Revisions(stack);
        var history = await revisions.ListAsync(cancellation).ConfigureAwait(false);
        if (history.Count == 0)
        {
            throw new DeploymentException($"Stack '{stack}' has no revisions to roll back to.");
        }
        var target = to ?? (history.Count >= 2 ? history[^2].Number : throw new DeploymentException($"Stack '{stack}' has only revision {history[0].Number}; give --to."));
        if (history.All(r => r.Number != target))
        {
            throw new DeploymentException($"Revision {target} of stack '{stack}' is not in the history (kept: {string.Join(", ", history.Select(r => r.Number))}).");
        }
        Say("rollback.start", $"Rolling back stack '{stack}' to revision {target}.", new() { ["revision"] = target });
        var set = await revisions.LoadAsync(target, cancellation).ConfigureAwait(false);
        return await ApplyAsync(set, $"rollback to {target}", Options.Atomic, cancellation).ConfigureAwait(false);
    }

    /// <summary>The recorded revisions, oldest first.</summary>
    public Task<IReadOnlyList<Revision>> HistoryAsync(string stack, CancellationToken cancellation = default) => Revisions(stack).ListAsync(cancellation);

    // ---------------------------------------------------------------- waves

    private async Task ExecuteAsync(Plan plan, CancellationToken cancellation)
    {
        var set = plan.Set;
        _redactor = set.Redactor;
        _applied.Clear();
        var parentUnion = UnionParent(set, plan.LiveParent);
        for (var wave = 0; wave < set.WaveCount; wave++)
        {
            var inWave = plan.Objects.Where(o => o.Desired is not null && o.Wave == wave).ToList();
            var changes = inWave.Where(o => o.Action is PlanAction.Create or PlanAction.Update).ToList();
            var label = $"wave {wave + 1}/{set.WaveCount} {set.WaveName(wave)}";
            if (wave == 0 && plan.HasChanges && !changes.Any(c => c.Desired == set.Parent))
            {
                // The parent must name every group-kind and namespace before new members exist (KEP-3659).
                changes.Insert(0, plan.Objects.First(o => o.Desired == set.Parent));
            }
            if (changes.Count == 0)
            {
                Say("apply.wave", $"{label}: nothing to change", new() { ["wave"] = wave, ["objects"] = 0 });
            }
            else
            {
                var modules = changes.Select(c => c.Module).Where(m => m != ManifestSet.StackFolder).Distinct(StringComparer.Ordinal).OrderBy(m => m, StringComparer.Ordinal).ToArray();
                Say("apply.wave", $"{label}: applying {Plural(changes.Count, "object")}{(modules.Length > 0 ? " for " + string.Join(", ", modules) : "")}",
                    new() { ["wave"] = wave, ["name"] = set.WaveName(wave), ["objects"] = changes.Count, ["modules"] = modules });
                // Namespaces and CRDs before the rest of their wave: the rest may live in or be one of them.
                // Materialised Secrets next: the module's workloads mount them.
                foreach (var group in changes.GroupBy(c => DeploymentSet.ApplyRank(c.Desired!.Body)).OrderBy(g => g.Key))
                {
                    await Parallel.ForEachAsync(group, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Options.Parallelism), CancellationToken = cancellation },
                        async (o, token) => await ApplyObjectAsync(o, o.Desired == set.Parent ? parentUnion : o.Desired!.Body, token).ConfigureAwait(false)).ConfigureAwait(false);
                }
            }
            await WaitForWaveAsync(label, inWave, cancellation).ConfigureAwait(false);
        }
        await PruneAsync(plan.Objects.Where(o => o.Action == PlanAction.Delete).ToList(), cancellation).ConfigureAwait(false);
        if (!KubeObject.Same(parentUnion, set.Parent.Body))
        {
            await ApplyObjectAsync(plan.Objects.First(o => o.Desired == set.Parent), set.Parent.Body, cancellation).ConfigureAwait(false);
        }
    }

    private static JsonObject UnionParent(DeploymentSet set, JsonObject? live)
    {
        var body = (JsonObject)set.Parent.Body.DeepClone();
        if (live is null || body["metadata"]?["annotations"] is not JsonObject annotations)
        {
            return body;
        }
        foreach (var key in new[] { Labels.ApplySetContainsGroupKinds, Labels.ApplySetAdditionalNamespaces })
        {
            var union = (KubeObject.Annotation(set.Parent.Body, key) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Union((KubeObject.Annotation(live, key) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal)
                .OrderBy(s => s, StringComparer.Ordinal);
            annotations[key] = string.Join(",", union);
        }
        return body;
    }

    private async Task ApplyObjectAsync(PlannedObject o, JsonObject body, CancellationToken cancellation)
    {
        var type = o.Resource ?? await _catalog.ResolveAsync(o.ApiVersion, o.Kind, cancellation).ConfigureAwait(false);
        // Only a workload the wave waits for reads its answer (the first readiness observation); any other
        // object's answer is not parsed.
        var waited = IsWaited(o);
        var answer = await SendApplyAsync(type, body, dryRun: false, cancellation, answerRead: waited).ConfigureAwait(false);
        if (answer.StatusCode == HttpStatusCode.Conflict)
        {
            var conflicts = ParseConflicts(answer);
            foreach (var c in conflicts)
            {
                Say("apply.conflict", $"conflict: {o.Display} field {c.Field} is managed by '{c.Manager}'", new() { ["object"] = o.Display, ["field"] = c.Field, ["manager"] = c.Manager });
            }
            throw new ConflictException($"{o.Display}: {string.Join(", ", conflicts.Select(c => $"{c.Field} is managed by '{c.Manager}'"))}; use --force-conflicts to take over.",
                conflicts.Select(c => (o.Display, c)).ToList());
        }
        if (!answer.IsSuccess)
        {
            throw new KubeApiException($"apply {o.Display}: the API answered {KubeApiClient.Describe(answer, Redact)}", answer.StatusCode, Redact(answer.StatusMessage ?? ""));
        }
        if (waited && answer.Body is { } applied && Readiness.IsWaitedOn(applied))
        {
            // What the server answered is the object as it is now: the readiness wait starts from it
            // instead of reading it again.
            _applied[o.Desired!] = applied;
        }
        Say("apply.object", $"  {(o.Action == PlanAction.Create ? "created" : "updated")} {o.Display}", new() { ["object"] = o.Display, ["action"] = o.Action.ToString().ToLowerInvariant() });
    }

    /// <summary>The apply answers of the workloads applied by the running apply (their first readiness observation).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<DesiredObject, JsonObject> _applied = new(ReferenceEqualityComparer.Instance);

    /// <summary>Whether the wave waits for <paramref name="o"/> to be ready: its desired body or, before the apply, its live object is a workload.</summary>
    private static bool IsWaited(PlannedObject o) =>
        o.Desired is not null && (Readiness.IsWaitedOn(o.Desired.Body) || (o.Live is not null && Readiness.IsWaitedOn(o.Live)));

    private async Task WaitForWaveAsync(string label, IReadOnlyList<PlannedObject> inWave, CancellationToken cancellation)
    {
        var waited = inWave.Where(IsWaited).ToList();
        if (waited.Count == 0)
        {
            return;
        }
        var deadline = DateTimeOffset.UtcNow + Options.WaveTimeout;
        await Task.WhenAll(waited.Select(o => WaitForObjectAsync(o, deadline, cancellation))).ConfigureAwait(false);
        if (Options.CheckHealthEndpoints)
        {
            await Task.WhenAll(waited.Select(o => HealthEndpoint(o, inWave) is { } endpoint
                ? WaitForHealthAsync(o, endpoint, deadline, cancellation)
                : Task.CompletedTask)).ConfigureAwait(false);
        }
        Say("wait.wave", $"{label}: {Plural(waited.Count, "workload")} ready", new() { ["workloads"] = waited.Count });
    }

    /// <summary>
    /// The module's health endpoint: the HTTP readiness probe of the workload's first container,
    /// reached through the API server's service proxy on the Service of the same name that
    /// exposes the probe's port (<c>/api/v1/namespaces/ns/services/name:port/proxy/path</c>).
    /// </summary>
    private static string? HealthEndpoint(PlannedObject workload, IReadOnlyList<PlannedObject> inWave)
    {
        var body = workload.Desired!.Body;
        var probe = body["spec"]?["template"]?["spec"]?["containers"]?[0]?["readinessProbe"]?["httpGet"];
        var port = probe?["port"]?.ToJsonString().Trim('"');
        var path = probe?["path"]?.GetValue<string>();
        var ns = KubeObject.Namespace(body);
        var name = KubeObject.Name(body);
        var service = inWave.FirstOrDefault(o => o.Kind == "Service" && o.Namespace == ns && o.Name == name)?.Desired?.Body;
        var exposed = service?["spec"]?["ports"]?.AsArray().Any(p => p?["name"]?.GetValue<string>() == port || p?["port"]?.ToJsonString() == port) == true;
        return port is null || path is null || ns is null || !exposed
            ? null
            : $"/api/v1/namespaces/{Uri.EscapeDataString(ns)}/services/{Uri.EscapeDataString(name)}:{Uri.EscapeDataString(port)}/proxy/{path.TrimStart('/')}";
    }

    private async Task WaitForHealthAsync(PlannedObject o, string endpoint, DateTimeOffset deadline, CancellationToken cancellation)
    {
        var module = o.Module;
        while (true)
        {
            string problem;
            try
            {
                var answer = await _api.SendAsync(HttpMethod.Get, endpoint, $"health endpoint of {module}", redact: Redact, cancellation: cancellation).ConfigureAwait(false);
                if (answer.IsSuccess)
                {
                    Say("wait.health", $"  healthy: {module} ({endpoint[(endpoint.IndexOf("/proxy", StringComparison.Ordinal) + 6)..]} answered {(int)answer.StatusCode})", new() { ["module"] = module, ["endpoint"] = endpoint });
                    return;
                }
                if (answer.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
                {
                    // No right to the service proxy, or no proxy: the workload's own readiness has to do.
                    Say("wait.health", $"  cannot reach the health endpoint of {module} ({KubeApiClient.Describe(answer, Redact)}); relying on workload readiness", new() { ["module"] = module, ["endpoint"] = endpoint });
                    return;
                }
                problem = KubeApiClient.Describe(answer, Redact);
            }
            catch (KubeApiException e)
            {
                problem = e.ApiMessage.Length > 0 ? e.ApiMessage : e.Message;
            }
            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new ReadinessException($"the health endpoint of {module} was not healthy within {Options.WaveTimeout.TotalSeconds:0.###} s ({problem}).");
            }
            Say("wait.health", $"  waiting for the health endpoint of {module}: {problem}", new() { ["module"] = module, ["endpoint"] = endpoint });
            await Task.Delay(Options.PollInterval, cancellation).ConfigureAwait(false);
        }
    }

    private async Task WaitForObjectAsync(PlannedObject o, DateTimeOffset deadline, CancellationToken cancellation)
    {
        var type = o.Resource ?? await _catalog.ResolveAsync(o.ApiVersion, o.Kind, cancellation).ConfigureAwait(false);
        string? last = null;
        // The first observation is the answer of the apply itself when there was one.
        var first = _applied.TryRemove(o.Desired!, out var applied) ? applied : null;
        while (true)
        {
            var live = first ?? await GetAsync(type, o.Desired!.Body, cancellation).ConfigureAwait(false);
            first = null;
            var status = live is null ? new ReadinessStatus(ReadinessState.InProgress, "not found yet") : Readiness.Evaluate(live);
            if (status.State == ReadinessState.Ready)
            {
                Say("wait.ready", $"  ready: {o.Display} ({status.Message})", new() { ["object"] = o.Display, ["status"] = status.Message });
                return;
            }
            if (status.State == ReadinessState.Failed)
            {
                throw new ReadinessException($"{o.Display} failed: {status.Message}.");
            }
            if (status.Message != last)
            {
                Say("wait.object", $"  waiting for {o.Display}: {status.Message}", new() { ["object"] = o.Display, ["status"] = status.Message });
                last = status.Message;
            }
            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new ReadinessException($"{o.Display} was not ready within {Options.WaveTimeout.TotalSeconds:0.###} s ({status.Message}).");
            }
            await Task.Delay(Options.PollInterval, cancellation).ConfigureAwait(false);
        }
    }

    // ---------------------------------------------------------------- prune and destroy

    private async Task PruneAsync(IReadOnlyList<PlannedObject> deletions, CancellationToken cancellation, bool keepShared = true, DeploymentSet? destroying = null)
    {
        foreach (var wave in deletions.GroupBy(d => d.Wave).OrderByDescending(g => g.Key))
        {
            if (destroying is not null)
            {
                // destroy narrates each wave as apply does, so a terminal shows one line per wave.
                var count = Math.Max(destroying.WaveCount, wave.Key + 1);
                var modules = wave.Select(d => d.Module).Where(m => m != ManifestSet.StackFolder && m != "?").Distinct(StringComparer.Ordinal).OrderBy(m => m, StringComparer.Ordinal).ToArray();
                Say("destroy.wave", $"wave {wave.Key + 1}/{count} {destroying.WaveName(wave.Key)}: deleting {Plural(wave.Count(), "object")}{(modules.Length > 0 ? " of " + string.Join(", ", modules) : "")}",
                    new() { ["wave"] = wave.Key, ["name"] = destroying.WaveName(wave.Key), ["objects"] = wave.Count(), ["modules"] = modules });
            }
            var deleted = new System.Collections.Concurrent.ConcurrentBag<(ResourceType Type, JsonObject Live)>();
            // Namespaces last within a wave: deleting one deletes what is inside.
            foreach (var group in wave.GroupBy(d => d.Kind == "Namespace" ? 1 : 0).OrderBy(g => g.Key))
            {
                await Parallel.ForEachAsync(group, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Options.Parallelism), CancellationToken = cancellation },
                    async (d, token) =>
                    {
                        if (keepShared && OtherManagers(d.Live!) is { Count: > 0 } others)
                        {
                            // Deleting it would delete fields other managers own (a sidecar, an operator's settings):
                            // prune never removes another manager's fields, so it stays and we say so.
                            var display = KubeObject.Display(d.Live!);
                            Say("prune.kept", $"  kept {display}: no longer declared, but {string.Join(", ", others.Select(o => $"'{o}'"))} also manage{(others.Count == 1 ? "s" : "")} its fields; delete it by hand if it should go",
                                new() { ["object"] = display, ["managers"] = others.ToArray() });
                            return;
                        }
                        if (await DeleteAsync(d.Resource!, d.Live!, "pruned", token).ConfigureAwait(false))
                        {
                            deleted.Add((d.Resource!, d.Live!));
                        }
                    }).ConfigureAwait(false);
            }
            if (destroying is not null)
            {
                // Reverse wave order means something only if a wave is gone before the one it depends
                // on goes: a custom resource's finalizer needs its operator and CRD, content its namespace.
                await WaitGoneAsync(deleted, cancellation).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Waits until every deleted object is gone (finalizers done, a namespace's content removed), as
    /// <c>kubectl delete --wait</c> does; an object re-created under the same name (another uid) counts as gone.
    /// Narrates <c>wait.object</c> for each it has to wait for and <c>wait.deleted</c> when it is gone.
    /// </summary>
    private async Task WaitGoneAsync(IReadOnlyCollection<(ResourceType Type, JsonObject Live)> deleted, CancellationToken cancellation)
    {
        var deadline = DateTimeOffset.UtcNow + Options.WaveTimeout;
        await Parallel.ForEachAsync(deleted, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Options.Parallelism), CancellationToken = cancellation },
            async (d, token) =>
            {
                var display = KubeObject.Display(d.Live);
                var uid = d.Live["metadata"]?["uid"]?.GetValue<string>();
                string? last = null;
                while (true)
                {
                    var live = await GetAsync(d.Type, d.Live, token).ConfigureAwait(false);
                    if (live is null || (uid is not null && live["metadata"]?["uid"]?.GetValue<string>() != uid))
                    {
                        if (last is not null)
                        {
                            Say("wait.deleted", $"  gone: {display}", new() { ["object"] = display });
                        }
                        return;
                    }
                    var status = Terminating(live);
                    if (status != last)
                    {
                        Say("wait.object", $"  waiting for {display}: {status}", new() { ["object"] = display, ["status"] = status });
                        last = status;
                    }
                    if (DateTimeOffset.UtcNow >= deadline)
                    {
                        throw new ReadinessException($"{display} was not gone within {Options.WaveTimeout.TotalSeconds:0.###} s ({status}); the earlier waves were not deleted. "
                            + "See what holds it (its finalizers, or for a namespace its remaining content), then run destroy again.");
                    }
                    await Task.Delay(Options.PollInterval, token).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
    }

    private static string Terminating(JsonObject live)
    {
        var finalizers = new[] { live["metadata"]?["finalizers"], live["spec"]?["finalizers"] }
            .OfType<JsonArray>().SelectMany(a => a).Select(f => f?.GetValue<string>()).OfType<string>()
            .Distinct(StringComparer.Ordinal).OrderBy(f => f, StringComparer.Ordinal).ToArray();
        return finalizers.Length == 0 ? "terminating" : $"terminating (finalizers: {string.Join(", ", finalizers)})";
    }

    /// <summary>
    /// Managers other than ours that own fields of the object outside metadata and status through the
    /// object itself. Writers of subresources (status; scale, as an HPA) are controllers acting on
    /// what we declared, not co-owners of the declaration.
    /// </summary>
    private List<string> OtherManagers(JsonObject live) =>
        (live["metadata"]?["managedFields"] as JsonArray ?? new JsonArray())
            .OfType<JsonObject>()
            .Where(m => m["manager"]?.GetValue<string>() is { } name && name != Options.FieldManager && m["subresource"] is null
                && m["fieldsV1"] is JsonObject fields && fields.Any(f => f.Key is not ("f:metadata" or "f:status")))
            .Select(m => m["manager"]!.GetValue<string>())
            .Distinct(StringComparer.Ordinal)
            .OrderBy(m => m, StringComparer.Ordinal)
            .ToList();

    /// <summary>Deletes one object; true when the API accepted the deletion (false: already gone, or replaced by another).</summary>
    private async Task<bool> DeleteAsync(ResourceType type, JsonObject live, string verb, CancellationToken cancellation)
    {
        // Never anything outside our ApplySet; the uid precondition keeps a re-created object safe.
        var uid = live["metadata"]?["uid"]?.GetValue<string>();
        var body = new JsonObject
        {
            ["kind"] = "DeleteOptions",
            ["apiVersion"] = "v1",
            ["propagationPolicy"] = "Background",
        };
        if (uid is not null)
        {
            body["preconditions"] = new JsonObject { ["uid"] = uid };
        }
        var display = KubeObject.Display(live);
        var answer = await _api.SendAsync(HttpMethod.Delete, type.ObjectPath(KubeObject.Namespace(live), KubeObject.Name(live)), $"delete {display}", body.ToJsonString(), redact: Redact, cancellation: cancellation).ConfigureAwait(false);
        if (answer.StatusCode == HttpStatusCode.NotFound)
        {
            Say("delete.gone", $"  already gone: {display}", new() { ["object"] = display });
            return false;
        }
        if (answer.StatusCode == HttpStatusCode.Conflict)
        {
            Say("delete.skipped", $"  kept {display}: it was replaced by another object of the same name", new() { ["object"] = display });
            return false;
        }
        if (!answer.IsSuccess)
        {
            throw new KubeApiException($"delete {display}: the API answered {KubeApiClient.Describe(answer, Redact)}", answer.StatusCode, Redact(answer.StatusMessage ?? ""));
        }
        Say("delete.object", $"  {verb} {display}", new() { ["object"] = display, ["action"] = verb });
        return true;
    }

    /// <summary>Deletes every member of the set's ApplySet in reverse wave order, then the parent and the revisions.</summary>
    public Task DestroyAsync(DeploymentSet set, CancellationToken cancellation = default) => DestroyCoreAsync(set, cancellation, deleteRevisions: true);

    private async Task DestroyCoreAsync(DeploymentSet set, CancellationToken cancellation, bool deleteRevisions)
    {
        _redactor = set.Redactor;
        var configMaps = await _catalog.ResolveAsync("v1", "ConfigMap", cancellation).ConfigureAwait(false);
        var liveParent = await GetAsync(configMaps, set.Parent.Body, cancellation).ConfigureAwait(false);
        var members = await ListMembersAsync(set, liveParent, cancellation).ConfigureAwait(false);
        var deletions = members.Values
            .Select(m => new PlannedObject(PlanAction.Delete, KubeObject.Label(m.Live, Labels.Module) ?? "?", KubeObject.Wave(m.Live, set.WaveCount),
                KubeObject.ApiVersion(m.Live), KubeObject.Kind(m.Live), KubeObject.Namespace(m.Live), KubeObject.Name(m.Live), Array.Empty<FieldChange>(), Array.Empty<FieldConflict>())
            { Live = m.Live, Resource = m.Type })
            .ToList();
        Say("destroy.start", $"Destroying stack '{set.StackName}': {Plural(deletions.Count, "object")} in reverse wave order.", new() { ["objects"] = deletions.Count });
        await PruneAsync(deletions, cancellation, keepShared: false, destroying: set).ConfigureAwait(false); // destroy means all of it
        if (liveParent is not null)
        {
            await DeleteAsync(configMaps, liveParent, "deleted", cancellation).ConfigureAwait(false);
        }
        if (deleteRevisions)
        {
            var revisions = Revisions(set.StackName);
            foreach (var revision in await revisions.ListAsync(cancellation).ConfigureAwait(false))
            {
                await revisions.DeleteAsync(revision.Number, cancellation).ConfigureAwait(false);
            }
            await revisions.DeleteKeyAsync(cancellation).ConfigureAwait(false);
            Say("destroy.done", $"Destroyed stack '{set.StackName}' and its history (namespace {StackRenderer.SystemNamespace} is kept: other stacks may use it).");
        }
    }

    // ---------------------------------------------------------------- status

    /// <summary>One object's state in <see cref="StatusAsync"/>.</summary>
    /// <param name="Object">Kind namespace/name.</param>
    /// <param name="Present">Whether it exists.</param>
    /// <param name="State">Readiness.</param>
    /// <param name="Message">In words.</param>
    public sealed record ObjectStatus(string Object, bool Present, ReadinessState State, string Message);

    /// <summary>Where the stack stands: its latest revision and, per object, presence and readiness. Reads only.</summary>
    public async Task<(Revision? Revision, IReadOnlyList<ObjectStatus> Objects)> StatusAsync(DeploymentSet set, CancellationToken cancellation = default)
    {
        _redactor = set.Redactor;
        var latest = await Revisions(set.StackName).LatestAsync(cancellation).ConfigureAwait(false);
        var result = new ObjectStatus[set.Objects.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, set.Objects.Length), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Options.Parallelism), CancellationToken = cancellation }, async (i, token) =>
        {
            var o = set.Objects[i];
            var type = await _catalog.TryResolveAsync(KubeObject.ApiVersion(o.Body), o.Kind, token).ConfigureAwait(false);
            var live = type is null ? null : await GetAsync(type, o.Body, token).ConfigureAwait(false);
            result[i] = live is null
                ? new ObjectStatus(o.Display, false, ReadinessState.InProgress, "missing")
                : Readiness.Evaluate(live) is var s ? new ObjectStatus(o.Display, true, s.State, s.Message) : null!;
        }).ConfigureAwait(false);
        var present = result.Count(r => r.Present);
        var ready = result.Count(r => r.Present && r.State == ReadinessState.Ready);
        Say("status.summary", $"Stack '{set.StackName}': revision {latest?.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}{(latest is null ? "" : $" ({latest.Time}, {latest.User}, {latest.Description})")}; {present}/{result.Length} objects present, {ready} ready.",
            new() { ["revision"] = latest?.Number, ["present"] = present, ["ready"] = ready, ["objects"] = result.Length });
        foreach (var r in result.Where(r => !r.Present || r.State != ReadinessState.Ready || Readiness.IsWaitedOn(set.Objects.First(o => o.Display == r.Object).Body)))
        {
            Say("status.object", $"  {r.Object}: {(r.Present ? r.State.ToString().ToLowerInvariant() : "missing")} ({r.Message})", new() { ["object"] = r.Object, ["present"] = r.Present, ["state"] = r.State.ToString().ToLowerInvariant() });
        }
        return (latest, result);
    }
}

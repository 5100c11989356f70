using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FlatRacoon.Rendering;

namespace FlatRacoon.Deployment;

/// <summary>A recorded revision (its set is loaded on demand).</summary>
/// <param name="Number">1, 2, 3, ...</param>
/// <param name="Hash">Hash of the set.</param>
/// <param name="Time">When it was recorded (UTC, ISO 8601).</param>
/// <param name="User">Who applied it.</param>
/// <param name="Summary">What changed ("3 created, 1 updated, 0 deleted").</param>
/// <param name="Description">"apply" or "rollback to 2".</param>
public sealed record Revision(int Number, string Hash, string Time, string User, string Summary, string Description);

/// <summary>
/// Revisions live in the cluster beside the ApplySet parent, one Secret per revision
/// (<c>flatracoon.&lt;stack&gt;.v&lt;n&gt;</c> in flatracoon-system, type <c>flatracoon.io/revision.v1</c>),
/// as Helm keeps releases: a Secret because the set may hold Secret objects. The set is stored
/// gzipped; history is bounded, the oldest revisions are deleted first. Revision Secrets carry no
/// ApplySet label, so pruning never sees them.
/// </summary>
public sealed class RevisionStore
{
    /// <summary>The Secret type.</summary>
    public const string SecretType = "flatracoon.io/revision.v1";
    /// <summary>Label: the stack the revision belongs to.</summary>
    public const string RevisionOfLabel = "flatracoon.io/revision-of";
    /// <summary>Label: the revision number.</summary>
    public const string RevisionLabel = "flatracoon.io/revision";

    private readonly KubeApiClient _api;
    private readonly string _stack;
    private readonly string _fieldManager;

    /// <summary>The store of <paramref name="stack"/>.</summary>
    public RevisionStore(KubeApiClient api, string stack, string fieldManager = "flatracoon")
    {
        _api = api;
        _stack = stack;
        _fieldManager = fieldManager;
    }

    private static string Collection => $"/api/v1/namespaces/{StackRenderer.SystemNamespace}/secrets";
    private string SecretName(int n) => $"flatracoon.{_stack}.v{n}";

    /// <summary>
    /// All revisions, oldest first. Read as metadata only: a revision's number, hash, time, user and
    /// summary are its labels and annotations, and its stored set (up to hundreds of KB each, ten kept)
    /// stays on the server; every apply, plan and status reads this list.
    /// </summary>
    public async Task<IReadOnlyList<Revision>> ListAsync(CancellationToken cancellation)
    {
        // The revision secrets carry both labels; the stack's key secret only the first.
        var selector = Uri.EscapeDataString($"{RevisionOfLabel}={_stack},{RevisionLabel}");
        var answer = await _api.GetMetadataAsync($"{Collection}?labelSelector={selector}", "list revisions", cancellation).ConfigureAwait(false);
        if (!answer.IsSuccess)
        {
            throw new KubeApiException($"list revisions: the API answered {KubeApiClient.Describe(answer)}", answer.StatusCode, answer.StatusMessage ?? "");
        }
        return (answer.Body?["items"]?.AsArray() ?? new JsonArray())
            .OfType<JsonObject>()
            .Where(s => s["type"] is null || s["type"]!.GetValue<string>() == SecretType) // no type in metadata only; a server that sends whole objects sends it
            .Select(ToRevision)
            .OrderBy(r => r.Number)
            .ToList();
    }

    /// <summary>The newest revision, or null.</summary>
    public async Task<Revision?> LatestAsync(CancellationToken cancellation) => (await ListAsync(cancellation).ConfigureAwait(false)).LastOrDefault();

    /// <summary>The set of revision <paramref name="number"/>.</summary>
    public async Task<DeploymentSet> LoadAsync(int number, CancellationToken cancellation)
    {
        var answer = await _api.SendAsync(HttpMethod.Get, $"{Collection}/{SecretName(number)}", $"read revision {number}", cancellation: cancellation).ConfigureAwait(false);
        if (answer.StatusCode == HttpStatusCode.NotFound)
        {
            throw new DeploymentException($"Revision {number} of stack '{_stack}' does not exist (see 'history').");
        }
        if (!answer.IsSuccess || answer.Body is null)
        {
            throw new KubeApiException($"read revision {number}: the API answered {KubeApiClient.Describe(answer)}", answer.StatusCode, answer.StatusMessage ?? "");
        }
        var packed = Convert.FromBase64String(answer.Body["data"]!["set"]!.GetValue<string>());
        using var input = new GZipStream(new MemoryStream(packed), CompressionMode.Decompress);
        using var reader = new StreamReader(input, Encoding.UTF8);
        return DeploymentSet.FromStored((JsonObject)JsonNode.Parse(await reader.ReadToEndAsync(cancellation).ConfigureAwait(false))!);
    }

    /// <summary>The Secret type of the revision-identity key.</summary>
    public const string KeySecretType = "flatracoon.io/revision-key.v1";

    private string KeySecretName => $"flatracoon.{_stack}.revision-key";

    /// <summary>
    /// The stack's revision-identity key (32 random bytes), kept in the cluster beside the revisions
    /// in a Secret of its own; made on first use. Never printed.
    /// </summary>
    public async Task<byte[]> KeyAsync(CancellationToken cancellation)
    {
        var answer = await _api.SendAsync(HttpMethod.Get, $"{Collection}/{KeySecretName}", "read the revision key", cancellation: cancellation).ConfigureAwait(false);
        if (answer.IsSuccess && answer.Body?["data"]?["key"]?.GetValue<string>() is { Length: > 0 } stored)
        {
            return Convert.FromBase64String(stored);
        }
        if (!answer.IsSuccess && answer.StatusCode != HttpStatusCode.NotFound)
        {
            throw new KubeApiException($"read the revision key: the API answered {KubeApiClient.Describe(answer)}", answer.StatusCode, answer.StatusMessage ?? "");
        }
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var secret = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = KeySecretName,
                ["namespace"] = StackRenderer.SystemNamespace,
                ["labels"] = new JsonObject { [Labels.ManagedBy] = "flatracoon", [RevisionOfLabel] = _stack },
            },
            ["type"] = KeySecretType,
            ["data"] = new JsonObject { ["key"] = Convert.ToBase64String(key) },
        };
        var written = await _api.SendAsync(HttpMethod.Patch, $"{Collection}/{KeySecretName}?fieldManager={_fieldManager}", "make the revision key", secret.ToJsonString(), "application/apply-patch+yaml",
            text => text.Replace(Convert.ToBase64String(key), "[redacted]", StringComparison.Ordinal), cancellation).ConfigureAwait(false);
        if (!written.IsSuccess)
        {
            throw new KubeApiException($"make the revision key: the API answered {KubeApiClient.Describe(written)}", written.StatusCode, written.StatusMessage ?? "");
        }
        return key;
    }

    /// <summary>Deletes the revision key (with the history, on destroy).</summary>
    public async Task DeleteKeyAsync(CancellationToken cancellation)
    {
        var answer = await _api.SendAsync(HttpMethod.Delete, $"{Collection}/{KeySecretName}", "delete the revision key", cancellation: cancellation).ConfigureAwait(false);
        if (!answer.IsSuccess && answer.StatusCode != HttpStatusCode.NotFound)
        {
            throw new KubeApiException($"delete the revision key: the API answered {KubeApiClient.Describe(answer)}", answer.StatusCode, answer.StatusMessage ?? "");
        }
    }

    /// <summary>Records <paramref name="set"/> as revision <paramref name="number"/>, then trims history to <paramref name="keep"/>.</summary>
    public Task<Revision> RecordAsync(int number, DeploymentSet set, string user, string summary, string description, int keep, CancellationToken cancellation) =>
        RecordAsync(number, set, set.Hash(), user, summary, description, keep, cancellation);

    /// <summary>Records <paramref name="set"/> as revision <paramref name="number"/> with identity <paramref name="identity"/>, then trims history to <paramref name="keep"/>.</summary>
    public Task<Revision> RecordAsync(int number, DeploymentSet set, string identity, string user, string summary, string description, int keep, CancellationToken cancellation) =>
        RecordAsync(number, set, identity, Stored(set), null, user, summary, description, keep, cancellation);

    /// <summary>The set as a revision Secret holds it: its stored JSON (<see cref="DeploymentSet.WriteStored"/>), gzipped.</summary>
    internal static byte[] Stored(DeploymentSet set)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        using (var writer = new System.Text.Json.Utf8JsonWriter(gzip))
        {
            set.WriteStored(writer);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// <see cref="RecordAsync(int, DeploymentSet, string, string, string, string, int, CancellationToken)"/> with the set's
    /// <see cref="Stored"/> bytes made already; with <paramref name="history"/>, the revisions as the caller read them
    /// before this one, the history is trimmed from it instead of from another list.
    /// </summary>
    internal async Task<Revision> RecordAsync(int number, DeploymentSet set, string identity, byte[] stored, IReadOnlyList<Revision>? history,
        string user, string summary, string description, int keep, CancellationToken cancellation)
    {
        var revision = new Revision(number, identity, DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), user, summary, description);
        var secret = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = SecretName(number),
                ["namespace"] = StackRenderer.SystemNamespace,
                ["labels"] = new JsonObject
                {
                    [Labels.ManagedBy] = "flatracoon",
                    [RevisionOfLabel] = _stack,
                    [RevisionLabel] = number.ToString(CultureInfo.InvariantCulture),
                },
                ["annotations"] = new JsonObject
                {
                    ["flatracoon.io/hash"] = revision.Hash,
                    ["flatracoon.io/time"] = revision.Time,
                    ["flatracoon.io/user"] = revision.User,
                    ["flatracoon.io/summary"] = revision.Summary,
                    ["flatracoon.io/description"] = revision.Description,
                    ["flatracoon.io/applyset-id"] = set.ApplySetId,
                },
            },
            ["type"] = SecretType,
            ["data"] = new JsonObject { ["set"] = Convert.ToBase64String(stored) },
        };
        var path = $"{Collection}/{SecretName(number)}?fieldManager={_fieldManager}&force=true";
        var answer = await _api.SendJsonAsync(HttpMethod.Patch, path, $"record revision {number}", secret, "application/apply-patch+yaml", set.Redactor.Redact, successBody: true, cancellation).ConfigureAwait(false);
        if (!answer.IsSuccess)
        {
            throw new KubeApiException($"record revision {number}: the API answered {KubeApiClient.Describe(answer, set.Redactor.Redact)}", answer.StatusCode, set.Redactor.Redact(answer.StatusMessage ?? ""));
        }
        var numbers = history is null
            ? (await ListAsync(cancellation).ConfigureAwait(false)).Select(r => r.Number)
            : history.Select(r => r.Number).Where(n => n != number).Append(number).Order();
        foreach (var old in numbers.SkipLast(Math.Max(1, keep)).ToList())
        {
            await DeleteAsync(old, cancellation).ConfigureAwait(false);
        }
        return revision;
    }

    /// <summary>Deletes revision <paramref name="number"/> (gone already is fine).</summary>
    public async Task DeleteAsync(int number, CancellationToken cancellation)
    {
        var answer = await _api.SendAsync(HttpMethod.Delete, $"{Collection}/{SecretName(number)}", $"delete revision {number}", cancellation: cancellation).ConfigureAwait(false);
        if (!answer.IsSuccess && answer.StatusCode != HttpStatusCode.NotFound)
        {
            throw new KubeApiException($"delete revision {number}: the API answered {KubeApiClient.Describe(answer)}", answer.StatusCode, answer.StatusMessage ?? "");
        }
    }

    private static Revision ToRevision(JsonObject secret)
    {
        string A(string key) => KubeObject.Annotation(secret, "flatracoon.io/" + key) ?? "";
        return new Revision(int.Parse(KubeObject.Label(secret, RevisionLabel) ?? "0", CultureInfo.InvariantCulture), A("hash"), A("time"), A("user"), A("summary"), A("description"));
    }
}

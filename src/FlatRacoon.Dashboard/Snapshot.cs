using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;

namespace FlatRacoon.Dashboard;

/// <summary>Where the stack stands at one moment: what the page shows, and what <c>/status</c> answers.</summary>
/// <param name="Stack">The stack's name.</param>
/// <param name="Environment">The environment it was declared for.</param>
/// <param name="Title">The page title.</param>
/// <param name="Revision">The stack's latest revision in the cluster, or null before the first apply.</param>
/// <param name="Modules">Every module, by wave then name.</param>
/// <param name="Problem">Why the cluster could not be read (then the modules show what is declared only), or null.</param>
public sealed record StackSnapshot(
    string Stack,
    string Environment,
    string Title,
    RevisionInfo? Revision,
    IReadOnlyList<ModuleStatus> Modules,
    string? Problem = null);

/// <summary>A revision the deployment engine recorded.</summary>
/// <param name="Number">Its number.</param>
/// <param name="Time">When (as recorded).</param>
/// <param name="User">Who applied it.</param>
/// <param name="Description">"apply" or "rollback to 2".</param>
/// <param name="Summary">Its diff summary ("3 created, 1 updated, 0 deleted").</param>
public sealed record RevisionInfo(int Number, string Time, string User, string Description, string Summary);

/// <summary>One module's live state.</summary>
/// <param name="Name">Module name.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Layer">Its layer (platform, network, ...).</param>
/// <param name="Wave">Its deployment wave, counted from 1 (0 when unknown).</param>
/// <param name="State">ready, progressing, failed, missing or unknown.</param>
/// <param name="Message">The state in words ("2/3 ready").</param>
/// <param name="DesiredReplicas">Replicas its workloads want.</param>
/// <param name="ReadyReplicas">Replicas ready.</param>
/// <param name="Health">Its health endpoint's answer, or null when it has none.</param>
/// <param name="Warnings">Recent warning events of its namespace, newest first.</param>
public sealed record ModuleStatus(
    string Name,
    string Namespace,
    string Layer,
    int Wave,
    string State,
    string Message,
    int DesiredReplicas,
    int ReadyReplicas,
    HealthAnswer? Health,
    IReadOnlyList<WarningEvent> Warnings);

/// <summary>What a health endpoint answered.</summary>
/// <param name="Endpoint">The endpoint (service, port and path).</param>
/// <param name="StatusCode">The HTTP status code, or 0 when it could not be reached.</param>
/// <param name="Answer">The first line of the answer, or why it could not be reached.</param>
public sealed record HealthAnswer(string Endpoint, int StatusCode, string Answer)
{
    /// <summary>Whether it answered 2xx.</summary>
    public bool Healthy => StatusCode is >= 200 and < 300;
}

/// <summary>A warning event.</summary>
/// <param name="Object">The object it is about (Kind/name).</param>
/// <param name="Reason">Its reason.</param>
/// <param name="Message">Its message.</param>
/// <param name="Count">How often it happened.</param>
/// <param name="LastSeen">When it last happened.</param>
public sealed record WarningEvent(string Object, string Reason, string Message, int Count, string LastSeen);

/// <summary>Where the dashboard's snapshots come from: the cluster (the <c>dashboard</c> command), or a status endpoint (in the cluster).</summary>
public interface IDashboardSource
{
    /// <summary>Reads the stack's state now. Failures to reach the cluster belong in <see cref="StackSnapshot.Problem"/>, not in an exception.</summary>
    Task<StackSnapshot> ReadAsync(CancellationToken cancellation);
}

/// <summary>The JSON form of a snapshot (snake_case, stable member order: two equal states serialize to equal bytes).</summary>
public static class SnapshotJson
{
    /// <summary>The serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = false,
    };

    /// <summary>Serializes a snapshot.</summary>
    public static string Write(StackSnapshot snapshot) => JsonSerializer.Serialize(snapshot, Options);

    /// <summary>Reads a snapshot; throws <see cref="JsonException"/> on malformed input.</summary>
    public static StackSnapshot Read(string json) =>
        JsonSerializer.Deserialize<StackSnapshot>(json, Options) ?? throw new JsonException("the status document is empty.");
}

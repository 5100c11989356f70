using System.Linq;
using System.Text.Json.Nodes;

namespace FlatRacoon.Deployment;

/// <summary>Where an object stands: ready, still progressing, or failed for good.</summary>
public enum ReadinessState
{
    /// <summary>Done.</summary>
    Ready,
    /// <summary>Not yet.</summary>
    InProgress,
    /// <summary>Will not get there without a change (a failed Job, a rollout past its deadline).</summary>
    Failed,
}

/// <summary>A readiness verdict with a message in plain words ("2/3 ready").</summary>
/// <param name="State">The state.</param>
/// <param name="Message">Why.</param>
public sealed record ReadinessStatus(ReadinessState State, string Message);

/// <summary>
/// Readiness in the manner of kstatus and Pulumi's await logic: the controller must have seen the
/// latest generation (<c>status.observedGeneration</c>), then each workload kind has its own rule.
/// Objects without a rule are ready once they exist; custom resources with a <c>Ready</c>
/// condition follow it.
/// </summary>
public static class Readiness
{
    /// <summary>Whether the kind is waited on.</summary>
    public static bool IsWaitedOn(JsonObject o) => KubeObject.Kind(o) is "Deployment" or "StatefulSet" or "DaemonSet" or "Job"
        || Conditions(o).Any(c => Type(c) == "Ready");

    /// <summary>Evaluates <paramref name="live"/>.</summary>
    public static ReadinessStatus Evaluate(JsonObject live)
    {
        var status = live["status"] as JsonObject;
        var generation = Long(live["metadata"]?["generation"]);
        var observed = Long(status?["observedGeneration"]);
        var kind = KubeObject.Kind(live);
        if (kind is "Deployment" or "StatefulSet" or "DaemonSet" && (status is null || observed < generation))
        {
            return new(ReadinessState.InProgress, "the controller has not seen the new generation yet");
        }
        switch (kind)
        {
            case "Deployment":
            {
                if (Conditions(live).FirstOrDefault(c => Type(c) == "Progressing") is { } progressing
                    && progressing["reason"]?.GetValue<string>() == "ProgressDeadlineExceeded")
                {
                    return new(ReadinessState.Failed, "the rollout exceeded its progress deadline");
                }
                var replicas = Long(live["spec"]?["replicas"], 1);
                var updated = Long(status!["updatedReplicas"]);
                var ready = Long(status["readyReplicas"]);
                var available = Long(status["availableReplicas"]);
                var total = Long(status["replicas"]);
                if (updated < replicas)
                {
                    return new(ReadinessState.InProgress, $"{updated}/{replicas} updated");
                }
                if (total > updated)
                {
                    return new(ReadinessState.InProgress, $"{total - updated} old replicas still running");
                }
                return available >= replicas && ready >= replicas
                    ? new(ReadinessState.Ready, $"{ready}/{replicas} ready")
                    : new(ReadinessState.InProgress, $"{ready}/{replicas} ready");
            }
            case "StatefulSet":
            {
                var replicas = Long(live["spec"]?["replicas"], 1);
                var ready = Long(status!["readyReplicas"]);
                var updated = Long(status["updatedReplicas"]);
                var rolling = live["spec"]?["updateStrategy"]?["type"]?.GetValue<string>() is null or "RollingUpdate";
                if (ready < replicas)
                {
                    return new(ReadinessState.InProgress, $"{ready}/{replicas} ready");
                }
                if (rolling && (updated < replicas || status["currentRevision"]?.GetValue<string>() != status["updateRevision"]?.GetValue<string>()))
                {
                    return new(ReadinessState.InProgress, $"{updated}/{replicas} updated");
                }
                return new(ReadinessState.Ready, $"{ready}/{replicas} ready");
            }
            case "DaemonSet":
            {
                var desired = Long(status!["desiredNumberScheduled"]);
                var ready = Long(status["numberReady"]);
                var updated = Long(status["updatedNumberScheduled"]);
                var available = Long(status["numberAvailable"]);
                return updated >= desired && ready >= desired && available >= desired
                    ? new(ReadinessState.Ready, $"{ready}/{desired} ready")
                    : new(ReadinessState.InProgress, $"{ready}/{desired} ready");
            }
            case "Job":
            {
                if (Conditions(live).Any(c => Type(c) == "Failed" && IsTrue(c)))
                {
                    return new(ReadinessState.Failed, "the job failed");
                }
                return Conditions(live).Any(c => Type(c) == "Complete" && IsTrue(c))
                    ? new(ReadinessState.Ready, "complete")
                    : new(ReadinessState.InProgress, $"{Long(status?["succeeded"])} succeeded, not complete");
            }
        }
        if (Conditions(live).FirstOrDefault(c => Type(c) == "Ready") is { } readyCondition)
        {
            if (observed < generation && status?["observedGeneration"] is not null)
            {
                return new(ReadinessState.InProgress, "the controller has not seen the new generation yet");
            }
            return IsTrue(readyCondition)
                ? new(ReadinessState.Ready, "Ready")
                : new(ReadinessState.InProgress, readyCondition["message"]?.GetValue<string>() ?? "not Ready");
        }
        return new(ReadinessState.Ready, "exists");
    }

    private static JsonObject[] Conditions(JsonObject o) =>
        (o["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().ToArray() ?? System.Array.Empty<JsonObject>();

    private static string? Type(JsonObject condition) => condition["type"]?.GetValue<string>();
    private static bool IsTrue(JsonObject condition) => condition["status"]?.GetValue<string>() == "True";

    private static long Long(JsonNode? node, long fallback = 0) =>
        node is JsonValue v && long.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var l) ? l : fallback;
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlatRacoon.Deployment;

/// <summary>What apply will do to one object.</summary>
public enum PlanAction
{
    /// <summary>It does not exist yet.</summary>
    Create,
    /// <summary>It exists and some fields change.</summary>
    Update,
    /// <summary>It left the stack: pruned after the new set is healthy.</summary>
    Delete,
    /// <summary>Nothing to do.</summary>
    Unchanged,
}

/// <summary>A field another field manager owns with a different value.</summary>
/// <param name="Manager">The other manager.</param>
/// <param name="Field">The field (<c>.spec.replicas</c>).</param>
public sealed record FieldConflict(string Manager, string Field);

/// <summary>The plan for one object.</summary>
/// <param name="Action">What happens.</param>
/// <param name="Module">Owning module.</param>
/// <param name="Wave">Its wave.</param>
/// <param name="ApiVersion">apiVersion.</param>
/// <param name="Kind">Kind.</param>
/// <param name="Namespace">Namespace, or null.</param>
/// <param name="Name">Name.</param>
/// <param name="Changes">Changed fields (for a create: every field set).</param>
/// <param name="Conflicts">Fields other managers own with another value.</param>
public sealed record PlannedObject(PlanAction Action, string Module, int Wave, string ApiVersion, string Kind, string? Namespace, string Name,
    IReadOnlyList<FieldChange> Changes, IReadOnlyList<FieldConflict> Conflicts)
{
    /// <summary><c>Kind namespace/name</c>.</summary>
    public string Display => Namespace is null ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";
    internal DesiredObject? Desired { get; init; }
    internal JsonObject? Live { get; init; }
    internal ResourceType? Resource { get; init; }
}

/// <summary>The result of <c>plan</c>: per object, create, update, delete or unchanged, with the changed fields.</summary>
public sealed class Plan
{
    internal Plan(DeploymentSet set, IReadOnlyList<PlannedObject> objects, JsonObject? liveParent)
    {
        Set = set;
        Objects = objects;
        LiveParent = liveParent;
    }

    /// <summary>The set planned.</summary>
    public DeploymentSet Set { get; }
    /// <summary>Every object: the set's in apply order, then deletions in prune order.</summary>
    public IReadOnlyList<PlannedObject> Objects { get; }
    internal JsonObject? LiveParent { get; }

    /// <summary>Count of objects with <paramref name="action"/>.</summary>
    public int Count(PlanAction action) => Objects.Count(o => o.Action == action);
    /// <summary>Whether apply would change anything.</summary>
    public bool HasChanges => Objects.Any(o => o.Action != PlanAction.Unchanged);
    /// <summary>All conflicts.</summary>
    public IEnumerable<(PlannedObject Object, FieldConflict Conflict)> Conflicts => Objects.SelectMany(o => o.Conflicts.Select(c => (o, c)));

    /// <summary>"2 to create, 1 to update, 0 to delete, 40 unchanged".</summary>
    public string Summary => $"{Count(PlanAction.Create)} to create, {Count(PlanAction.Update)} to update, {Count(PlanAction.Delete)} to delete, {Count(PlanAction.Unchanged)} unchanged";

    /// <summary>The plan for people.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.Append($"Plan for stack '{Set.StackName}': {Summary}.\n");
        foreach (var o in Objects.Where(o => o.Action != PlanAction.Unchanged))
        {
            var sign = o.Action switch { PlanAction.Create => "+", PlanAction.Update => "~", _ => "-" };
            text.Append($"  {sign} {o.Action.ToString().ToLowerInvariant(),-6} {o.Display} (wave {o.Wave}, {o.Module})\n");
            if (o.Action == PlanAction.Update)
            {
                foreach (var change in o.Changes)
                {
                    text.Append($"      {change.Path}: {change.Before ?? "(absent)"} -> {change.After ?? "(absent)"}\n");
                }
            }
            foreach (var conflict in o.Conflicts)
            {
                text.Append($"      ! conflict: {conflict.Field} is managed by '{conflict.Manager}'\n");
            }
        }
        return text.ToString();
    }

    /// <summary>The plan for tools.</summary>
    public JsonObject ToJson() => new()
    {
        ["stack"] = Set.StackName,
        ["applySetId"] = Set.ApplySetId,
        ["summary"] = new JsonObject
        {
            ["create"] = Count(PlanAction.Create),
            ["update"] = Count(PlanAction.Update),
            ["delete"] = Count(PlanAction.Delete),
            ["unchanged"] = Count(PlanAction.Unchanged),
        },
        ["objects"] = new JsonArray(Objects.Select(o => (JsonNode)new JsonObject
        {
            ["action"] = o.Action.ToString().ToLowerInvariant(),
            ["apiVersion"] = o.ApiVersion,
            ["kind"] = o.Kind,
            ["namespace"] = o.Namespace,
            ["name"] = o.Name,
            ["module"] = o.Module,
            ["wave"] = o.Wave,
            ["changes"] = new JsonArray(o.Changes.Select(c => (JsonNode)new JsonObject
            {
                ["path"] = c.Path,
                ["before"] = c.Before is null ? null : JsonNode.Parse(c.Before),
                ["after"] = c.After is null ? null : JsonNode.Parse(c.After),
            }).ToArray()),
            ["conflicts"] = new JsonArray(o.Conflicts.Select(c => (JsonNode)new JsonObject { ["manager"] = c.Manager, ["field"] = c.Field }).ToArray()),
        }).ToArray()),
    };

    /// <summary>The JSON as indented text.</summary>
    public string ToJsonText() => ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}

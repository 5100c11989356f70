using System;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlatRacoon.Deployment;
using Xunit;

namespace FlatRacoon.Sdk.Tests;

/// <summary>
/// The no-op proof reads live objects as parsed (JsonElement) instead of as JsonNode trees. Its answer
/// must be exactly the one the tree form gave (kept below as the reference) on every kind of
/// difference: a changed, added, removed or null value, a list of another length, a number written
/// another way, a field we own that is no longer declared, no Apply entry of ours, and list items
/// without their apiVersion and kind.
/// </summary>
public class ApplyNoOpTests
{
    private const string Manager = "flatracoon";

    // ------------------------------------------------------------ the reference: the proof over JsonNode trees

    private static bool ReferenceProven(JsonObject desired, JsonObject live)
    {
        if (live["metadata"]?["managedFields"] is not JsonArray managed)
        {
            return false;
        }
        JsonObject? ours = null;
        foreach (var entry in managed.OfType<JsonObject>())
        {
            if (entry["manager"]?.GetValueKind() == JsonValueKind.String && entry["manager"]!.GetValue<string>() == Manager
                && entry["operation"]?.GetValueKind() == JsonValueKind.String && entry["operation"]!.GetValue<string>() == "Apply"
                && entry["subresource"] is null)
            {
                if (ours is not null || entry["fieldsV1"] is not JsonObject fields)
                {
                    return false;
                }
                ours = fields;
            }
        }
        return ours is not null && ReferenceSubset(desired, live) && ReferenceDeclared(ours, desired);
    }

    private static bool ReferenceSubset(JsonNode? desired, JsonNode? live) => desired switch
    {
        null => false,
        JsonObject d => live is JsonObject l && d.All(p => p.Value is null
            ? !(l.TryGetPropertyValue(p.Key, out var present) && present is not null)
            : l.TryGetPropertyValue(p.Key, out var lv) && ReferenceSubset(p.Value, lv)),
        JsonArray da => live is JsonArray la && la.Count == da.Count && Enumerable.Range(0, da.Count).All(i => ReferenceSubset(da[i], la[i])),
        _ => live is JsonValue && JsonNode.DeepEquals(desired, live),
    };

    private static bool ReferenceDeclared(JsonObject fields, JsonNode? desired)
    {
        foreach (var (key, child) in fields)
        {
            if (key == ".")
            {
                continue;
            }
            JsonNode? next;
            if (key.StartsWith("f:", StringComparison.Ordinal))
            {
                if (desired is not JsonObject o || !o.TryGetPropertyValue(key[2..], out next))
                {
                    return false;
                }
            }
            else if (key.StartsWith("i:", StringComparison.Ordinal) && desired is JsonArray a && int.Parse(key[2..], System.Globalization.CultureInfo.InvariantCulture) < a.Count)
            {
                next = a[int.Parse(key[2..], System.Globalization.CultureInfo.InvariantCulture)];
            }
            else
            {
                return false;
            }
            if (child is JsonObject grandchildren && grandchildren.Count > 0 && !ReferenceDeclared(grandchildren, next))
            {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------ generated cases

    private static readonly string[] Keys = { "name", "image", "replicas", "labels", "ports", "app.kubernetes.io/name", "é", "enabled" };
    private static readonly JsonNode?[] Leaves = { "text", "", "ümlaut", 0, 1, 2.5, true, false, "1", null };

    private static JsonNode? Value(Random random, int depth) => (depth <= 0 ? 2 : random.Next(3)) switch
    {
        0 => new JsonObject(Keys.OrderBy(_ => random.Next()).Take(1 + random.Next(3)).Select(k => new System.Collections.Generic.KeyValuePair<string, JsonNode?>(k, Value(random, depth - 1)))),
        1 => new JsonArray(Enumerable.Range(0, 1 + random.Next(3)).Select(_ => Value(random, depth - 1)).ToArray()),
        _ => Leaves[random.Next(Leaves.Length)]?.DeepClone(),
    };

    /// <summary>The FieldsV1 set of every field and list item of <paramref name="node"/> (as the API server records an apply of it).</summary>
    private static JsonObject Fields(JsonNode? node)
    {
        var fields = new JsonObject();
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    fields["f:" + key] = Fields(value);
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    fields["i:" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Fields(a[i]);
                }
                break;
        }
        return fields;
    }

    /// <summary>Some value somewhere in <paramref name="node"/> changed, dropped, nulled, or a list made longer.</summary>
    private static void Mutate(Random random, JsonNode node)
    {
        for (var step = 0; step < 8; step++)
        {
            switch (node)
            {
                case JsonObject o when o.Count > 0:
                    var key = o.ElementAt(random.Next(o.Count)).Key;
                    if (o[key] is { } child && (child is JsonObject { Count: > 0 } || child is JsonArray { Count: > 0 }) && random.Next(2) == 0)
                    {
                        node = child;
                        continue;
                    }
                    switch (random.Next(4))
                    {
                        case 0: o.Remove(key); break;
                        case 1: o[key] = null; break;
                        case 2: o[key] = Leaves[random.Next(Leaves.Length)]?.DeepClone(); break;
                        default: o["extra"] = "added"; break;
                    }
                    return;
                case JsonArray a when a.Count > 0:
                    if (a[random.Next(a.Count)] is { } item && (item is JsonObject { Count: > 0 } || item is JsonArray { Count: > 0 }) && random.Next(2) == 0)
                    {
                        node = item;
                        continue;
                    }
                    a.Add("more");
                    return;
                default:
                    return;
            }
        }
    }

    private static JsonElement Element(JsonNode node) => JsonDocument.Parse(node.ToJsonString()).RootElement;

    [Fact]
    public void An_objects_element_is_the_serializers_to_the_byte_on_generated_objects()
    {
        // The plan gives the proof a live object it read as KubeObject.Element (no serializer metadata);
        // it must be what JsonSerializer.SerializeToElement gave, for built and for parsed objects.
        var random = new Random(23);
        for (var i = 0; i < 500; i++)
        {
            var built = Value(random, 3) as JsonObject ?? new JsonObject { ["value"] = Value(random, 0) };
            built["text"] = "ünïcödé <tag> & \"quoted\" \u2028 \\ end";
            var parsed = (JsonObject)JsonNode.Parse(built.ToJsonString())!;
            foreach (var o in new[] { built, parsed })
            {
                Assert.Equal(JsonSerializer.SerializeToElement(o).GetRawText(), KubeObject.Element(o).GetRawText());
            }
        }
    }

    [Fact]
    public void The_proof_over_parsed_JSON_answers_as_the_proof_over_JsonNode_trees_on_generated_objects()
    {
        var random = new Random(17);
        var (proven, refused) = (0, 0);
        for (var i = 0; i < 3000; i++)
        {
            var spec = Value(random, 3) as JsonObject ?? new JsonObject { ["value"] = Value(random, 0) };
            var desired = new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = "Deployment",
                ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = "shop" },
                ["spec"] = spec,
            };
            var live = (JsonObject)JsonNode.Parse(desired.ToJsonString())!; // values backed by parsed JSON, as answers are
            var owned = Fields(desired);
            switch (random.Next(6))
            {
                case 0: Mutate(random, live["spec"]!); break; // the live object differs
                case 1: ((JsonObject)owned["f:spec"]!)["f:gone"] = new JsonObject(); break; // we own a field no longer declared
                case 2: live["spec"]!.AsObject()["replicas"] = JsonValue.Create(JsonDocument.Parse(random.Next(2) == 0 ? "1.0" : "1").RootElement); break; // a number, maybe written another way
            }
            live["status"] = new JsonObject { ["ready"] = true };
            var managers = new JsonArray(new JsonObject { ["manager"] = "kubectl", ["operation"] = "Update", ["fieldsV1"] = new JsonObject { ["f:status"] = new JsonObject() } });
            if (random.Next(8) != 0)
            {
                managers.Add(new JsonObject { ["manager"] = Manager, ["operation"] = "Apply", ["fieldsType"] = "FieldsV1", ["fieldsV1"] = owned });
            }
            live["metadata"]!.AsObject()["managedFields"] = managers;

            live = (JsonObject)JsonNode.Parse(live.ToJsonString())!; // as an answer is: every value parsed
            var expected = ReferenceProven(desired, live);
            Assert.Equal(expected, ApplyNoOp.Proven(desired, Element(live), Manager));
            (proven, refused) = expected ? (proven + 1, refused) : (proven, refused + 1);

            // As listed: the item without apiVersion and kind, which are the list's.
            var listed = (JsonObject)live.DeepClone();
            listed.Remove("apiVersion");
            listed.Remove("kind");
            Assert.Equal(expected, ApplyNoOp.Proven(desired, Element(listed), Manager, ("apps/v1", "Deployment")));
            Assert.False(ApplyNoOp.Proven(desired, Element(listed), Manager, ("apps/v1beta1", "Deployment")));
        }
        // Both answers came up often enough for the comparison to mean something.
        Assert.True(proven > 300 && refused > 300, $"proven {proven}, refused {refused}");
    }

    [Fact]
    public void A_subresource_entry_or_two_apply_entries_of_ours_prove_nothing()
    {
        var desired = JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"data":{"k":"v"}}""")!.AsObject();
        JsonElement Live(string managed) => JsonDocument.Parse($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","managedFields":[{{{managed}}}]},"data":{"k":"v"}}""").RootElement;
        const string ours = """{"manager":"flatracoon","operation":"Apply","fieldsV1":{"f:data":{"f:k":{}},"f:metadata":{"f:name":{}}}}""";
        Assert.True(ApplyNoOp.Proven(desired, Live(ours), Manager));
        Assert.False(ApplyNoOp.Proven(desired, Live(ours + "," + ours), Manager));
        Assert.False(ApplyNoOp.Proven(desired, Live(ours.Replace("\"Apply\"", "\"Apply\",\"subresource\":\"status\"", StringComparison.Ordinal)), Manager));
        Assert.True(ApplyNoOp.Proven(desired, Live(ours.Replace("\"Apply\"", "\"Apply\",\"subresource\":null", StringComparison.Ordinal)), Manager));
    }
}

using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace FlatRacoon.Deployment.Tests;

/// <summary>
/// The canonical JSON that revision hashes and identities are computed over is written straight to
/// UTF-8; its bytes must stay exactly those of the text form it had (keys sorted and escaped as
/// JsonSerializer does, values as ToJsonString writes them), or every stored revision would stop
/// matching the cluster it describes.
/// </summary>
public class CanonicalJsonTests
{
    /// <summary>The text form, as it was written before (a StringBuilder, keys by JsonSerializer.Serialize).</summary>
    private static string Reference(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => JsonSerializer.Serialize(p.Key) + ":" + Reference(p.Value))) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Reference)) + "]",
        _ => node.ToJsonString(),
    };

    private static readonly string[] Keys = { "a", "B", "b", "", "ä", "é", "\u00e9t\u00e9", "<tag>", "a&b", "quote\"d", "back\\slash", "tab\there", "line\nbreak", "emoji\U0001F600", "app.kubernetes.io/name", "+x", "'single'", "\u2028", "Z", "10", "9" };
    private static readonly JsonNode?[] Leaves = { null, "text", "", "<script>&'\"", "ümlaut", "\u0001control", "emoji\U0001F600", 0, -1, 2.5, 1e300, long.MaxValue, true, false, "1.0", "null" };

    private static JsonNode? Generate(Random random, int depth)
    {
        var pick = depth <= 0 ? 2 : random.Next(3);
        switch (pick)
        {
            case 0:
                var o = new JsonObject();
                foreach (var key in Keys.OrderBy(_ => random.Next()).Take(random.Next(6)))
                {
                    o[key] = Generate(random, depth - 1);
                }
                return o;
            case 1:
                return new JsonArray(Enumerable.Range(0, random.Next(4)).Select(_ => Generate(random, depth - 1)).ToArray());
            default:
                return Leaves[random.Next(Leaves.Length)]?.DeepClone();
        }
    }

    [Fact]
    public void Canonical_text_is_byte_for_byte_the_reference_form_for_escaped_keys_unicode_numbers_and_nesting()
    {
        var random = new Random(11);
        for (var i = 0; i < 2000; i++)
        {
            var node = Generate(random, 4);
            var expected = Reference(node);
            Assert.Equal(expected, KubeObject.Canonical(node));
            // The same node parsed back from text (values backed by JSON elements, not CLR values).
            var parsed = JsonNode.Parse(node?.ToJsonString() ?? "null");
            Assert.Equal(Reference(parsed), KubeObject.Canonical(parsed));
            Assert.True(KubeObject.Same(node, parsed));
        }
    }

    [Fact]
    public void Same_ignores_key_order_and_sees_any_difference_of_value()
    {
        Assert.True(KubeObject.Same(JsonNode.Parse("{\"b\":1,\"a\":[1,{\"y\":2,\"x\":\"s\"}]}"), JsonNode.Parse("{\"a\":[1,{\"x\":\"s\",\"y\":2}],\"b\":1}")));
        Assert.False(KubeObject.Same(JsonNode.Parse("{\"a\":[1,2]}"), JsonNode.Parse("{\"a\":[2,1]}")));
        Assert.False(KubeObject.Same(JsonNode.Parse("{\"a\":\"1\"}"), JsonNode.Parse("{\"a\":1}")));
        Assert.False(KubeObject.Same(null, JsonNode.Parse("{}")));
        Assert.True(KubeObject.Same(null, null));
    }

    [Fact]
    public void The_revision_identity_is_the_keyed_hash_of_module_wave_and_canonical_text_of_every_object()
    {
        var random = new Random(5);
        var objects = Enumerable.Range(0, 50).Select(i =>
        {
            var body = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new JsonObject { ["name"] = $"c{i}", ["namespace"] = "ns", ["labels"] = new JsonObject { ["ä"] = "<x>" } },
                ["data"] = new JsonObject { ["v"] = Generate(random, 3)?.ToJsonString() ?? "null" },
            };
            return new DesiredObject($"módule{i % 3}", i % 4, body);
        }).ToList();
        objects.Add(new DesiredObject("_stack", 0, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "s-applyset", ["namespace"] = "ns", ["labels"] = new JsonObject { [FlatRacoon.Rendering.Labels.ApplySetId] = "applyset-x" } },
        }));
        var set = new DeploymentSet("s", "applyset-x", objects);
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var o in set.Objects)
        {
            var text = Encoding.UTF8.GetBytes($"{o.Module}\n{o.Wave}\n{Reference(o.Body)}\n");
            hmac.AppendData(text);
            sha.AppendData(text);
        }
        Assert.Equal("hmac-sha256:" + Convert.ToHexString(hmac.GetHashAndReset()).ToLowerInvariant(), set.Identity(key));
        Assert.Equal("sha256:" + Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant(), set.Hash());
    }
}

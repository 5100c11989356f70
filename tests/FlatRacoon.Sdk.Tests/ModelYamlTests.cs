using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using FlatRacoon.Rendering;
using FlatRacoon.Rendering.CustomResources;
using k8s;
using k8s.Models;
using Xunit;

namespace FlatRacoon.Sdk.Tests;

/// <summary>
/// The YAML fast path must give exactly KubernetesYaml's bytes, or step aside: every case is
/// compared with KubernetesYaml itself (the reference), and the fast path must really be taken
/// for the objects the renderers make (or the speed-up would be a fiction).
/// </summary>
public class ModelYamlTests
{
    private static string Reference(object obj) => ModelYaml.Slow(obj);

    private static (bool Fast, string Yaml) Fast(object obj)
    {
        var buffer = new YamlBuffer(16);
        return ModelYaml.TryWrite(obj, buffer) ? (true, Encoding.UTF8.GetString(buffer.Span)) : (false, "");
    }

    [Fact]
    public void Every_object_of_a_rendered_stack_takes_the_fast_path_with_the_reference_bytes()
    {
        var set = StackRenderer.Render(TestModules.ThreeWaveStack().Build());
        Assert.NotEmpty(set.Objects);
        foreach (var obj in set.Objects)
        {
            var (fast, yaml) = Fast(obj.Object);
            Assert.True(fast, $"{obj.DisplayName} left the fast path");
            Assert.Equal(Reference(obj.Object), yaml);
        }
    }

    [Fact]
    public void Objects_outside_the_models_or_with_bytes_are_left_to_KubernetesYaml_and_still_come_out_the_same()
    {
        var secret = new V1Secret { ApiVersion = "v1", Kind = "Secret", Metadata = new V1ObjectMeta { Name = "s" }, Data = new Dictionary<string, byte[]> { ["a"] = "hello"u8.ToArray() } };
        var custom = new ExternalSecret { Metadata = new V1ObjectMeta { Name = "e" } };
        var withFloat = new V1Deployment { ApiVersion = "apps/v1", Kind = "Deployment", Metadata = new V1ObjectMeta { Name = "f" } };
        foreach (var obj in new object[] { secret, custom })
        {
            Assert.False(Fast(obj).Fast, obj.GetType().Name);
            var buffer = new YamlBuffer();
            Assert.Equal(Reference(obj), Encoding.UTF8.GetString(ModelYaml.ToUtf8(obj, buffer)));
        }
        Assert.Equal(Reference(withFloat), Encoding.UTF8.GetString(ModelYaml.ToUtf8(withFloat, new YamlBuffer())));
    }

    [Fact]
    public void Numbers_booleans_quantities_ports_empty_collections_and_nested_sequences_match_the_reference()
    {
        var deployment = new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = "d", Labels = new Dictionary<string, string>(), Annotations = new Dictionary<string, string> { ["1"] = "true", ["a b"] = "0.1.0" } },
            Spec = new V1DeploymentSpec
            {
                Replicas = -3,
                Selector = new V1LabelSelector(),
                Template = new V1PodTemplateSpec
                {
                    Spec = new V1PodSpec
                    {
                        TerminationGracePeriodSeconds = 30L,
                        HostNetwork = false,
                        Containers = new List<V1Container>
                        {
                            new()
                            {
                                Name = "c",
                                Args = new List<string>(),
                                Command = new List<string> { "sh", "-c", "echo hi\nexit 0\n", "@::1", "-", "+1", "yes" },
                                Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("1.5Gi") } },
                                ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Port = "8080", Path = "/x" }, TcpSocket = new V1TCPSocketAction { Port = 80 } },
                                Env = new List<V1EnvVar> { new() { Name = "A", Value = "line one\nline two" } },
                            },
                        },
                        Volumes = new List<V1Volume> { new() { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() } },
                    },
                },
            },
        };
        var buffer = new YamlBuffer();
        Assert.Equal(Reference(deployment), Encoding.UTF8.GetString(ModelYaml.ToUtf8(deployment, buffer)));

        var plain = new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = new V1ObjectMeta { Name = "s", Annotations = new Dictionary<string, string> { ["x"] = "a: b" } },
            Spec = new V1ServiceSpec { Ports = new List<V1ServicePort> { new() { Port = 53, TargetPort = 5353, Protocol = "UDP" } }, Selector = new Dictionary<string, string>() },
        };
        var (fast, yaml) = Fast(plain);
        Assert.True(fast);
        Assert.Equal(Reference(plain), yaml);
    }

    /// <summary>
    /// Strings built from the characters and words that change how YAML quotes a scalar, placed as
    /// a value, a key, a sequence item and a nested value: wherever the fast path answers, it must
    /// answer exactly; and it must answer for most of them.
    /// </summary>
    [Fact]
    public void Generated_strings_in_every_position_match_the_reference_wherever_the_fast_path_answers()
    {
        string[] pieces =
        {
            "a", "Z", "0", "1", "9", ".", "-", "+", "e", "E", ":", "/", "#", " ", "'", "\"", "@", "%", "`", "!", "&", "*", "|", ">",
            "?", ",", "[", "]", "{", "}", "~", "_", "=", "\n", "\t", "é", "\\", "yes", "no", "on", "Off", "null", "True", "false",
            "0x", "0o", "0b", ".inf", ".nan", "---", "...", "::", "1.0", "12:30", "v1", "http://x", "${A}", "a b",
        };
        var random = new Random(20261201);
        var fastCount = 0;
        var total = 0;
        for (var n = 0; n < 2500; n++)
        {
            var count = random.Next(1, 5);
            var text = string.Concat(Enumerable.Range(0, count).Select(_ => pieces[random.Next(pieces.Length)]));
            foreach (var obj in Placements(text))
            {
                total++;
                var (fast, yaml) = Fast(obj);
                if (!fast)
                {
                    continue;
                }
                fastCount++;
                var reference = Reference(obj);
                Assert.True(reference == yaml, $"fast path differs for {System.Text.Json.JsonSerializer.Serialize(text)}\n--- reference\n{reference}\n--- fast\n{yaml}");
            }
        }
        Assert.True(fastCount > total / 2, $"the fast path answered only {fastCount} of {total}");
    }

    private static IEnumerable<object> Placements(string text)
    {
        yield return new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "n" }, Data = new Dictionary<string, string> { ["k"] = text } };
        yield return new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "n" }, Data = new Dictionary<string, string> { [text] = "v" } };
        yield return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = text },
            Spec = new V1PodSpec { Containers = new List<V1Container> { new() { Name = "c", Args = new List<string> { text, "x" }, Env = new List<V1EnvVar> { new() { Name = "E", Value = text } } } } },
        };
    }

    /// <summary>
    /// Every model type of KubernetesClient with its simple properties set (key order, names,
    /// numbers, booleans): the fast path must match the reference wherever it answers.
    /// </summary>
    [Fact]
    public void Every_KubernetesClient_model_with_its_simple_properties_set_matches_the_reference()
    {
        var models = typeof(V1Pod).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == "k8s.Models" && t.IsClass && !t.IsAbstract && !t.IsGenericType && t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();
        var fastCount = 0;
        foreach (var type in models)
        {
            var obj = Activator.CreateInstance(type)!;
            var i = 0;
            foreach (var property in type.GetProperties().Where(p => p.CanWrite))
            {
                i++;
                var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                object? value = t == typeof(string) ? $"v{i}" : t == typeof(int) ? i : t == typeof(long) ? (long)-i : t == typeof(bool) ? i % 2 == 0 : null;
                if (value is not null)
                {
                    property.SetValue(obj, value);
                }
            }
            var (fast, yaml) = Fast(obj);
            if (fast)
            {
                fastCount++;
                Assert.True(Reference(obj) == yaml, $"{type.Name}\n--- reference\n{Reference(obj)}\n--- fast\n{yaml}");
            }
        }
        Assert.True(fastCount > models.Count / 2, $"the fast path answered for {fastCount} of {models.Count} models");
    }

    [Fact]
    public void Serializing_on_all_cores_gives_the_bytes_of_one_core()
    {
        var stack = StackBuilder.Create("wide");
        for (var i = 0; i < 200; i++)
        {
            stack.AddModule(new ModuleDescriptor
            {
                Name = $"m{i:D3}",
                Version = "1.0.0",
                Layer = Layer.Network,
                Requires = ImmutableArray.Create("kubernetes"),
                Provides = ImmutableArray.Create($"cap{i:D3}"),
                HealthEndpoint = new Endpoint(8080, "/healthz"),
            }, EmptyModuleConfig.Instance);
        }
        var set = StackRenderer.Render(stack.Build());
        var parallel = GitOpsWriter.Utf8Files(set);
        var files = GitOpsWriter.Files(set);
        Assert.Equal(files.Count, parallel.Count);
        var modules = set.Objects.GroupBy(o => o.RelativePath).ToDictionary(g => g.Key, g => g.ToArray());
        for (var i = 0; i < files.Count; i++)
        {
            Assert.Equal(files[i].Key, parallel[i].Path);
            Assert.Equal(files[i].Value, Encoding.UTF8.GetString(parallel[i].Content));
            if (modules.TryGetValue(files[i].Key, out var objects))
            {
                Assert.Equal(string.Join("---\n", objects.Select(o => Reference(o.Object))), files[i].Value);
            }
        }
        Assert.Equal(201, modules.Count);
    }
}

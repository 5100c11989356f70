using System;
using System.Linq;
using FlatRacoon.Rendering;
using k8s.Models;
using Xunit;

namespace FlatRacoon.Sdk.Tests;

public class RenderTests
{
    private static ManifestSet Render(StackEnvironment? environment = null) =>
        StackRenderer.Render(TestModules.ThreeWaveStack(environment).Build());

    [Fact]
    public void Namespaces_and_the_applyset_parent_come_first_then_module_waves_in_order()
    {
        var set = Render();

        Assert.All(set.Objects.TakeWhile(o => o.Wave == 0), o => Assert.True(o.Object.Kind is "Namespace" or "ConfigMap"));
        Assert.Equal("Namespace", set.Objects[0].Object.Kind);
        Assert.Equal(StackRenderer.SystemNamespace, set.Objects[0].Object.Metadata.Name);
        Assert.Equal(set.Objects.Select(o => o.Wave).OrderBy(w => w), set.Objects.Select(o => o.Wave));
        Assert.Equal(new[] { "secrets", "overlay", "storage", "dashboard" },
            set.Objects.Where(o => o.Wave > 0).Select(o => o.Module).Distinct());
        // Every namespace a module uses is created in wave 0.
        var namespaces = set.Objects.Where(o => o.Object.Kind == "Namespace").Select(o => o.Object.Metadata.Name).ToHashSet();
        Assert.All(set.Objects.Where(o => o.Object.Metadata.NamespaceProperty is not null),
            o => Assert.Contains(o.Object.Metadata.NamespaceProperty, namespaces));
    }

    [Fact]
    public void Every_object_carries_the_stack_labels_and_applyset_membership()
    {
        var set = Render();
        foreach (var obj in set.Objects)
        {
            var labels = obj.Object.Metadata.Labels;
            Assert.Equal("flatracoon", labels[Labels.ManagedBy]);
            Assert.Equal("demo", labels[Labels.PartOf]);
            Assert.True(obj.Object.Metadata.Annotations.ContainsKey(Labels.Wave), obj.DisplayName);
            if (obj.Module != ManifestSet.StackFolder)
            {
                Assert.Equal(obj.Module, labels[Labels.Module]);
                Assert.Equal(set.ApplySetId, labels[Labels.ApplySetPartOf]);
            }
        }
        var parent = set.Objects.Single(o => o.Object.Metadata.Labels.ContainsKey(Labels.ApplySetId));
        Assert.Equal(set.ApplySetId, parent.Object.Metadata.Labels[Labels.ApplySetId]);
        Assert.Equal("ConfigMap,DaemonSet.apps,Deployment.apps,Namespace,Service,ServiceAccount,StatefulSet.apps",
            parent.Object.Metadata.Annotations[Labels.ApplySetContainsGroupKinds]);
        Assert.Equal("dashboard,overlay,secrets,storage", parent.Object.Metadata.Annotations[Labels.ApplySetAdditionalNamespaces]);
    }

    [Fact]
    public void ApplySet_id_follows_KEP_3659()
    {
        // base64url(sha256("name.ns.ConfigMap.")) without padding, as kubectl computes it.
        var id = StackRenderer.ApplySetId("name", "ns", "ConfigMap", "");
        var expected = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData("name.ns.ConfigMap."u8.ToArray()))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal($"applyset-{expected}-v1", id);
        Assert.DoesNotContain("=", id);
    }

    [Fact]
    public void Workloads_follow_the_manifest_and_the_configuration()
    {
        var set = Render();
        var storage = (V1StatefulSet)set.Objects.Single(o => o.Object is V1StatefulSet).Object;
        Assert.Equal(3, storage.Spec.Replicas);
        Assert.Equal("storage", storage.Spec.ServiceName);
        var container = Assert.Single(storage.Spec.Template.Spec.Containers);
        Assert.Equal(new[] { ("health", 9094), ("metrics", 5001) }, container.Ports.Select(p => (p.Name, p.ContainerPort)));
        Assert.Equal("/health", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("750m", container.Resources.Limits["cpu"].ToString());
        Assert.Equal("64Mi", container.Resources.Requests["memory"].ToString());

        var dashboard = (V1Deployment)set.Objects.Single(o => o.Object is V1Deployment && o.Module == "dashboard").Object;
        Assert.Equal(2, dashboard.Spec.Replicas);
        // Health and metrics on one port become one "http" port.
        Assert.Equal("http", Assert.Single(dashboard.Spec.Template.Spec.Containers[0].Ports).Name);

        Assert.Single(set.Objects, o => o.Object is V1DaemonSet);
        var headless = (V1Service)set.Objects.Single(o => o.Object is V1Service s && s.Metadata.Name == "storage").Object;
        Assert.Equal("None", headless.Spec.ClusterIP);
    }

    [Fact]
    public void Pods_meet_the_restricted_profile_and_every_container_has_limits()
    {
        foreach (var obj in Render().Objects)
        {
            var pod = obj.Object switch
            {
                V1Deployment d => d.Spec.Template.Spec,
                V1StatefulSet s => s.Spec.Template.Spec,
                V1DaemonSet d => d.Spec.Template.Spec,
                _ => null,
            };
            if (pod is null)
            {
                continue;
            }
            Assert.True(pod.SecurityContext.RunAsNonRoot);
            Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
            foreach (var c in pod.Containers)
            {
                Assert.False(c.SecurityContext.AllowPrivilegeEscalation);
                Assert.Equal(new[] { "ALL" }, c.SecurityContext.Capabilities.Drop);
                Assert.Null(c.SecurityContext.Capabilities.Add);
                Assert.NotNull(c.Resources.Limits["cpu"]);
                Assert.NotNull(c.Resources.Limits["memory"]);
                Assert.DoesNotContain(":latest", c.Image);
            }
        }
    }

    [Fact]
    public void Ipv6_only_stacks_render_single_stack_IPv6_services()
    {
        var services = Render(new StackEnvironment("prod", ipv6Only: true)).Objects.Select(o => o.Object).OfType<V1Service>().ToList();
        Assert.NotEmpty(services);
        Assert.All(services, s =>
        {
            Assert.Equal("SingleStack", s.Spec.IpFamilyPolicy);
            Assert.Equal(new[] { "IPv6" }, s.Spec.IpFamilies);
        });
        var dual = Render(new StackEnvironment("lab", ipv6Only: false)).Objects.Select(o => o.Object).OfType<V1Service>();
        Assert.All(dual, s => Assert.Null(s.Spec.IpFamilies));
    }

    [Fact]
    public void Configuration_is_rendered_in_a_configmap_with_references_only_and_not_again_as_an_artifact()
    {
        var set = Render();
        var configMap = (V1ConfigMap)set.Objects.Single(o => o.Object is V1ConfigMap c && c.Metadata.Name == "dashboard-config").Object;
        Assert.Contains("\"token\": \"vault://secret/demo/dash#token\"", configMap.Data[WorkloadRenderer.ConfigFileName]);
        Assert.DoesNotContain(set.Artifacts, a => a.RelativePath == "dashboard/config.json");
    }

    [Fact]
    public void An_invalid_topology_does_not_render()
    {
        var stack = StackBuilder.Create("broken");
        stack.AddModule(TestModules.Storage, EmptyModuleConfig.Instance);
        var ex = Assert.Throws<StackValidationException>(() => stack.Build());
        Assert.Contains(ex.Issues, i => i.RuleId == "FR1001" && i.Capability == "overlay-network");
        Assert.Throws<StackValidationException>(() => StackRenderer.Render(stack.Freeze()));
    }
}

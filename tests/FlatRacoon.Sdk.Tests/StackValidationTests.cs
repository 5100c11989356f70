using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using FlatRacoon.Stacks.Rules;
using FlatRacoon.Topology;
using Xunit;

namespace FlatRacoon.Sdk.Tests;

/// <summary>The rule engine at run time (<see cref="StackValidation"/>), on hand-made modules.</summary>
public class StackValidationTests
{
    private static readonly ModuleDescriptor OtherOverlay = TestModules.Module("other-overlay", Layer.Overlay, new[] { "kubernetes" }, new[] { "overlay-network" });

    private static string[] Rules(StackBuilder stack) => stack.Freeze().Validate().Select(f => f.RuleId).OrderBy(r => r).ToArray();

    [Fact]
    public void A_bound_ipfs_module_in_a_complete_stack_is_valid()
    {
        var stack = StackBuilder.Create("demo");
        stack.AddModule(TestModules.Secrets, EmptyModuleConfig.Instance);
        var overlay = stack.AddModule(TestModules.Overlay, EmptyModuleConfig.Instance);
        stack.AddModule(TestModules.Storage, EmptyModuleConfig.Instance).WithOverlay(overlay);
        Assert.Empty(Rules(stack));
    }

    [Fact]
    public void Two_overlays_without_a_choice_are_FR1006_and_a_binding_makes_the_choice()
    {
        var undecided = StackBuilder.Create("demo");
        undecided.AddModule(TestModules.Secrets, EmptyModuleConfig.Instance);
        undecided.AddModule(TestModules.Overlay, EmptyModuleConfig.Instance);
        undecided.AddModule(OtherOverlay, EmptyModuleConfig.Instance);
        var storage = undecided.AddModule(TestModules.Storage, EmptyModuleConfig.Instance);
        Assert.Equal(new[] { "FR1004", "FR1006" }, Rules(undecided));

        var decided = StackBuilder.Create("demo");
        decided.AddModule(TestModules.Secrets, EmptyModuleConfig.Instance);
        var overlay = decided.AddModule(TestModules.Overlay, EmptyModuleConfig.Instance);
        decided.AddModule(OtherOverlay, EmptyModuleConfig.Instance);
        decided.AddModule(TestModules.Storage, EmptyModuleConfig.Instance).WithOverlay(overlay);
        Assert.Empty(Rules(decided));
    }

    [Fact]
    public void Ipfs_bound_to_a_module_that_is_no_overlay_is_FR1004()
    {
        var stack = StackBuilder.Create("demo");
        var secrets = stack.AddModule(TestModules.Secrets, EmptyModuleConfig.Instance);
        stack.AddModule(TestModules.Overlay, EmptyModuleConfig.Instance);
        stack.AddModule(TestModules.Storage, EmptyModuleConfig.Instance).WithOverlay(secrets);
        var finding = Assert.Single(stack.Freeze().Validate());
        Assert.Equal("FR1004", finding.RuleId);
        Assert.Contains("'secrets', which does not provide 'overlay-network'", finding.Message);
    }

    [Fact]
    public void Ipv4_in_configuration_is_FR1005_only_in_an_ipv6_only_stack()
    {
        var ipv4Config = new JsonConfig("""{"resolvers": ["192.0.2.53"], "status": "http://10.0.0.1:8080/x", "listen": "/ip4/0.0.0.0/tcp/1"}""");
        var ipv6Only = StackBuilder.Create("demo", StackEnvironment.Default);
        ipv6Only.AddModule(TestModules.Secrets, ipv4Config);
        Assert.Equal(new[] { "FR1005", "FR1005", "FR1005" }, Rules(ipv6Only));

        var dualStack = StackBuilder.Create("demo", new StackEnvironment("lab", ipv6Only: false));
        dualStack.AddModule(TestModules.Secrets, ipv4Config);
        Assert.Empty(Rules(dualStack));
    }

    [Fact]
    public void A_secret_looking_string_setting_that_is_no_reference_is_FR2001_without_echoing_it()
    {
        var stack = StackBuilder.Create("demo");
        stack.AddModule(TestModules.Secrets, new JsonConfig("""{"admin_password": "hunter2", "api_token": "env://API_TOKEN"}"""));
        var finding = Assert.Single(stack.Freeze().Validate());
        Assert.Equal("FR2001", finding.RuleId);
        Assert.DoesNotContain("hunter2", finding.Message);
    }

    [Fact]
    public async Task Validate_exits_0_on_warnings_only()
    {
        var stack = StackBuilder.Create("demo");
        stack.AddModule(TestModules.Secrets with { Image = new ImageReference("ghcr.io/example/secrets", "latest") }, EmptyModuleConfig.Instance);
        var stdout = new StringWriter();
        var code = await stack.RunAsync(new[] { "validate" }, stdout, new StringWriter());
        Assert.Equal(0, code);
        Assert.Contains("FR3001 warning secrets", stdout.ToString());
        Assert.Contains("is valid", stdout.ToString());
    }

    [Fact]
    public void Configuration_json_flattens_to_key_paths()
    {
        var values = new List<StackRules.Setting>();
        using var document = System.Text.Json.JsonDocument.Parse("""{"a": {"b": [1, {"c": "x"}], "d": null, "e": true}, "f": "\u0041"}""");
        StackRules.Flatten(document.RootElement, "", values);
        Assert.Equal(new[] { "a.b=1", "a.b.c=x", "a.e=true", "f=A" }, values.Select(v => $"{v.Key}={v.Value}"));
    }

    private sealed class JsonConfig(string json) : IModuleConfig
    {
        public void WriteJson(System.Text.Json.Utf8JsonWriter writer) => System.Text.Json.JsonDocument.Parse(json).WriteTo(writer);
    }
}

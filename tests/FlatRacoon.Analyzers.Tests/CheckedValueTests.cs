using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace FlatRacoon.Analyzers.Tests;

/// <summary>
/// The analyzer checks a WHOLE constant where it becomes a checked value, in any position real code
/// puts it (field initializers, helper returns, WithConfig lambdas, other methods), and never a
/// fragment of a value (interpolation neighbours, environment variable names, switch arms).
/// </summary>
public class CheckedValueTests
{
    private const string Usings = """
        using System;
        using FlatRacoon;
        using FlatRacoon.Generated;

        """;

    [Theory]
    [InlineData("FR0101", "ZeroTierNetworkId", "\"not-a-network\"")]
    [InlineData("FR0102", "Ipv6Prefix", "\"2001:db8::1/48\"")]
    [InlineData("FR0102", "IpPrefix", "\"300.1.1.0/24\"")]
    [InlineData("FR0104", "DnsName", "\"-bad-.example\"")]
    [InlineData("FR0104", "DnsLabel", "\"Upper_Case\"")]
    [InlineData("FR0107", "Ipv6Address", "\"192.0.2.1\"")]
    [InlineData("FR0108", "AbsoluteUri", "\"not a url\"")]
    public Task A_constant_in_a_static_readonly_field_is_checked_where_it_converts(string id, string type, string literal)
    {
        var source = Usings + $$"""
            public static class Values
            {
                public static readonly {{type}} Value = {{literal}};
            }
            """;
        return TopologyVerifier<NoFix>.VerifyAnalyzerAsync(source, TopologyVerifier<NoFix>.At(id, source, literal));
    }

    [Fact]
    public Task Helper_returns_WithConfig_lambdas_and_const_fields_are_checked()
    {
        var source = Usings + """
            public static class Net
            {
                private const string BadPrefix = "2001:db8::/200";
                public static ZeroTierNetworkId NetworkId() => "f1a7c0de00f1000";
                public static StackBuilder Create(StackEnvironment environment)
                {
                    var stack = StackBuilder.Create("net", environment);
                    var hosts = stack.AddFlatracoonOs();
                    var k8s = stack.AddPolyK8sMcp();
                    var secrets = stack.AddPolySecretMcp(k8s);
                    stack.AddZerotierK8sLink(hosts, k8s, secrets)
                        .WithConfig(c => c with { OverlayPrefix = BadPrefix, NetworkId = NetworkId() });
                    return stack;
                }
            }
            """;
        return TopologyVerifier<NoFix>.VerifyAnalyzerAsync(source,
            TopologyVerifier<NoFix>.At("FR0101", source, "\"f1a7c0de00f1000\""),
            TopologyVerifier<NoFix>.At("FR0102", source, "OverlayPrefix = |BadPrefix"));
    }

    [Fact]
    public Task A_number_outside_the_schema_range_is_reported_where_it_is_set()
    {
        var source = Usings + """
            internal static class Storage
            {
                public static IpfsOverlayConfig Big(IpfsOverlayConfig c) => c with { Replicas = 0 };
            }
            """;
        return TopologyVerifier<NoFix>.VerifyAnalyzerAsync(source, TopologyVerifier<NoFix>.At("FR0106", source, "Replicas = |0"));
    }

    [Fact]
    public Task Fragments_names_and_switch_arms_are_never_taken_for_the_value()
    {
        // Each of these is valid at run time (or checked there): none is a whole constant that becomes the value.
        var source = Usings + """
            public static class Team
            {
                public static DnsName Host(string team) => $"dashboard.{team}.flatracoon.internal";
                public static ZeroTierNetworkId FromVariable() => Environment.GetEnvironmentVariable("ZT_NETWORK_ID") ?? "f1a7c0de00f10003";
                public static Ipv6Prefix ByEnvironment(string name) => name switch
                {
                    "development" => "fdf1:a7de::/48",
                    _ => "2001:db8:f1a7::/48",
                };
                public static string NotASetting() => "2001:db8::1/48 is a typo nobody converts";
            }
            """;
        return TopologyVerifier<NoFix>.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public Task A_plain_string_parsed_as_a_secret_reference_is_FR2001_without_echoing_it()
    {
        var source = Usings + """
            public static class Secrets
            {
                public static SecretReference Key() => SecretReference.Parse("hunter2");
            }
            """;
        return TopologyVerifier<NoFix>.VerifyAnalyzerAsync(source, TopologyVerifier<NoFix>.At("FR2001", source, "\"hunter2\""));
    }

    [Fact]
    public Task The_full_sample_stack_is_silent()
    {
        var sample = System.IO.File.ReadAllText(System.IO.Path.Combine(Harness.RepoRoot(), "samples", "FlatRacoon.NetStack", "NetStack.cs"));
        return TopologyVerifier<NoFix>.VerifyAnalyzerAsync(sample);
    }

    [Theory]
    [InlineData("ZeroTierNetworkId", "\"xyz\"", "FR0101")]
    [InlineData("Ipv6Prefix", "\"2001:db8::1/48\"", "FR0102")]
    [InlineData("DnsName", "\"a..b\"", "FR0104")]
    [InlineData("AbsoluteUri", "\"::\"", "FR0108")]
    public void The_analyzer_and_the_run_time_check_give_the_same_rule(string type, string literal, string id)
    {
        var source = Usings + $"public static class V {{ public static {type} Make(string s) => s; public static readonly {type} X = {literal}; }}";
        var (_, _, analyzer) = Harness.Analyze(new[] { source }, Harness.RepoInputs);
        Assert.Equal(id, Assert.Single(analyzer).Id);
        var parse = typeof(StackBuilder).Assembly.GetType("FlatRacoon." + type)!.GetMethod("Parse")!;
        var thrown = Assert.Throws<System.Reflection.TargetInvocationException>(() => parse.Invoke(null, new object[] { literal.Trim('"') }));
        Assert.Equal(id, Assert.IsType<StackDeclarationException>(thrown.InnerException).RuleId);
    }
}

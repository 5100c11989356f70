using System.Threading.Tasks;
using FlatRacoon.Analyzers.CodeFixes;
using Xunit;

namespace FlatRacoon.Analyzers.Tests;

public class CodeFixTests
{
    [Fact]
    public Task Binds_ipfs_to_the_overlay_local()
    {
        var source = StackCases.Wrap(StackCases.Full(replace: ("ipfs", "stack.AddIpfsOverlay();")));
        var fixedSource = StackCases.Wrap(StackCases.Full(replace: ("ipfs", "stack.AddIpfsOverlay().WithOverlay(overlay);")));
        return TopologyVerifier<BindToOverlayCodeFix>.VerifyFixAsync(source,
            new[] { TopologyVerifier<BindToOverlayCodeFix>.At("FR1004", source, "stack.AddIpfsOverlay()") }, fixedSource);
    }

    [Fact]
    public Task Binds_ipfs_to_an_overlay_added_without_a_local_by_keeping_it_in_one()
    {
        var source = StackCases.Wrap(StackCases.Full(replace: new[] { ("overlay", "stack.AddZerotierK8sLink();"), ("ipfs", "stack.AddIpfsOverlay();") }));
        var fixedSource = StackCases.Wrap(StackCases.Full(replace: new[] { ("overlay", "var overlay = stack.AddZerotierK8sLink();"), ("ipfs", "stack.AddIpfsOverlay().WithOverlay(overlay);") }));
        return TopologyVerifier<BindToOverlayCodeFix>.VerifyFixAsync(source,
            new[] { TopologyVerifier<BindToOverlayCodeFix>.At("FR1004", source, "stack.AddIpfsOverlay()") }, fixedSource);
    }

    [Fact]
    public Task Adds_the_missing_provider_module()
    {
        var source = StackCases.Wrap(StackCases.Full(replace: new[] { ("secrets", ""), ("overlay", ""), ("ipfs", "") }));
        var fixedSource = StackCases.Wrap(StackCases.Full(replace: new[] { ("secrets", ""), ("overlay", ""), ("ipfs", ""), ("twingate", "stack.AddPolySecretMcp();\nstack.AddTwingateHelmDeploy();") }));
        return TopologyVerifier<AddMissingProviderCodeFix>.VerifyFixAsync(source,
            new[] { TopologyVerifier<AddMissingProviderCodeFix>.At("FR1001", source, "stack.AddTwingateHelmDeploy()") }, fixedSource);
    }

    [Fact]
    public Task Replaces_a_dual_stack_family_with_ipv6_single_stack()
    {
        var source = StackCases.Named("FR1005-dual-stack").Source;
        var fixedSource = StackCases.Wrap(StackCases.Full(replace: ("dashboard", "stack.AddNetworkDashboard(c => c with { IpFamily = NetworkDashboardIpFamily.Ipv6 });")));
        return TopologyVerifier<UseIpv6SingleStackCodeFix>.VerifyFixAsync(source,
            new[] { TopologyVerifier<UseIpv6SingleStackCodeFix>.At("FR1005", source, "NetworkDashboardIpFamily.DualStack") }, fixedSource);
    }

    [Fact]
    public Task Replaces_a_plain_secret_with_a_reference_placeholder()
    {
        var source = StackCases.Named("FR2001-plain-secret").Source;
        var fixedSource = StackCases.Wrap(StackCases.Full(replace: ("twingate", "stack.AddTwingateHelmDeploy(c => c with { AccessToken = SecretReference.Parse(\"vault://secret/flatracoon/twingate-helm-deploy#access_token\") });")));
        return TopologyVerifier<ReferenceSecretCodeFix>.VerifyFixAsync(source,
            new[] { TopologyVerifier<ReferenceSecretCodeFix>.At("FR2001", source, "\"tg-access-123\"") }, fixedSource);
    }
}

using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace FlatRacoon.Analyzers.Tests;

/// <summary>
/// Typed wiring: a missing provider or a wrong one is a C# error at the Add call wherever the code lives;
/// the code fix passes a provider that is in scope.
/// </summary>
public class ProviderTests
{
    private static string[] CompilerErrors(string body)
    {
        var source = """
            using FlatRacoon;
            using FlatRacoon.Generated;
            internal static class S
            {
            """ + body + "\n}\n";
        var (_, compiler, _) = Harness.Analyze(new[] { source }, Harness.RepoInputs);
        return compiler.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).Select(d => d.Id).ToArray();
    }

    [Fact]
    public void A_helper_that_adds_IPFS_without_the_overlay_does_not_compile()
    {
        var errors = CompilerErrors("""
                public static void AddStorage(this StackBuilder s, IKubernetesApi k8s, ISecretStore secrets) => s.AddIpfsOverlay(k8s, secrets);
            """);
        Assert.Contains("CS1503", errors);
    }

    [Fact]
    public void IPFS_bound_to_something_that_is_not_an_overlay_does_not_compile()
    {
        var errors = CompilerErrors("""
                public static void Add(StackBuilder s, IKubernetesApi k8s, ISecretStore secrets) => s.AddIpfsOverlay(overlay: secrets, kubernetesApi: k8s, secretStore: secrets);
            """);
        Assert.Equal(new[] { "CS1503" }, errors);
    }

    [Fact]
    public void A_provider_from_the_cluster_is_declared_with_AddExternal()
    {
        var errors = CompilerErrors("""
                public static void Add(StackBuilder s) { var k8s = s.AddExternalKubernetesApi(); s.AddPolySecretMcp(k8s); }
            """);
        Assert.Empty(errors);
    }

    [Fact]
    public Task The_fix_passes_the_overlay_in_scope()
    {
        const string source = """
            using FlatRacoon;
            using FlatRacoon.Generated;

            internal static class S
            {
                public static void Add(StackBuilder s, IOverlayNetwork mesh, IKubernetesApi k8s, ISecretStore secrets)
                {
                    s.{|CS7036:AddIpfsOverlay|}(kubernetesApi: k8s, secretStore: secrets);
                }
            }
            """;
        const string fixedSource = """
            using FlatRacoon;
            using FlatRacoon.Generated;

            internal static class S
            {
                public static void Add(StackBuilder s, IOverlayNetwork mesh, IKubernetesApi k8s, ISecretStore secrets)
                {
                    s.AddIpfsOverlay(kubernetesApi: k8s, secretStore: secrets, overlay: mesh);
                }
            }
            """;
        var test = new TopologyVerifier<FlatRacoon.Analyzers.CodeFixes.PassProviderCodeFix> { TestCode = source, FixedCode = fixedSource };
        return test.RunAsync();
    }
}

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
        Assert.NotEmpty(errors);
        Assert.All(errors, id => Assert.Contains(id, new[] { "CS7036", "CS1503" }));
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
    public void Helpers_over_ModuleResource_of_a_config_take_generated_resources_and_chains_keep_the_type()
    {
        var errors = CompilerErrors("""
                public static T Tuned<T>(ModuleResource<T> module) where T : IModuleConfig => module.WithNamespace("tuned").Config;
                public static void Add(StackBuilder s)
                {
                    var k8s = s.AddPolyK8sMcp();
                    var secrets = s.AddPolySecretMcp(k8s);
                    var overlay = s.AddZerotierK8sLink(s.AddFlatracoonOs(), k8s, secrets).WithNamespace("mesh").WaitFor(k8s);
                    IpfsOverlayConfig config = Tuned(s.AddIpfsOverlay(overlay, k8s, secrets));
                }
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
        // The testing library's workspace does not run source generators for code fixes (the IDE does):
        // the generated code goes in as ordinary sources, on both sides.
        var (compilation, _, _) = Harness.Analyze(new[] { source.Replace("{|CS7036:", "").Replace("|}", "") }, Harness.RepoInputs);
        var generated = compilation.SyntaxTrees.Skip(1).Select((t, i) => ($"/0/Generated{i}.cs", t.ToString())).ToArray();
        var test = new PlainFixTest { TestCode = source, FixedCode = fixedSource };
        foreach (var file in generated)
        {
            test.TestState.Sources.Add(file);
            test.FixedState.Sources.Add(file);
        }
        return test.RunAsync();
    }

    private sealed class PlainFixTest : Microsoft.CodeAnalysis.CSharp.Testing.CSharpCodeFixTest<CheckedValueAnalyzer, FlatRacoon.Analyzers.CodeFixes.PassProviderCodeFix, DefaultVerifier>
    {
        public PlainFixTest()
        {
            ReferenceAssemblies = new ReferenceAssemblies("net10.0-local");
            TestState.AdditionalReferences.AddRange(Harness.References);
        }

        protected override Microsoft.CodeAnalysis.ParseOptions CreateParseOptions() => Harness.ParseOptions;

        protected override Microsoft.CodeAnalysis.CompilationOptions CreateCompilationOptions() =>
            ((Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions)base.CreateCompilationOptions())
                .WithNullableContextOptions(Microsoft.CodeAnalysis.NullableContextOptions.Enable);
    }
}

using Microsoft.CodeAnalysis.Diagnostics;
using System.Linq;
using Xunit;

namespace FlatRacoon.Analyzers.Tests;

/// <summary>An analyzer never throws: broken inputs and half-written code give no AD0001 and no FR noise.</summary>
public class RobustnessTests
{
    [Theory]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{\"module\": 3, \"layer\": null}")]
    [InlineData("{\"module\": \"ipfs-overlay\", \"layer\": \"storage\", \"requires\": \"oops\", \"config_schema\": \"../../../x.ncl\"}")]
    public void Malformed_manifests_do_not_break_the_analyzer(string manifest)
    {
        var inputs = Harness.RepoInputs.Append(("/broken/m/flatracoon.module.json", manifest)).Append(("/broken/environments.json", "{\"environments\": 7"));
        var (_, _, analyzer) = Harness.Analyze(new[] { Wrap("var stack = StackBuilder.Create(\"x\"); var k8s = stack.AddPolyK8sMcp(); stack.AddPolySecretMcp(k8s); return stack;") }, inputs);
        Assert.DoesNotContain(analyzer, d => d.Id == "AD0001");
    }

    [Theory]
    [InlineData("var stack = StackBuilder.Create(\"x\"); stack.AddIpfsOverlay(null!, null!, null!, c => c with { ListenAddresses = ; return stack;")]
    [InlineData("var stack = StackBuilder.Create(\"x\"); stack.AddIpfsOverlay(null!, null!, null!).WithOverlay(null!); return stack;")]
    [InlineData("var stack = StackBuilder.Create(\"x\"); ZeroTierNetworkId id = ; return stack;")]
    [InlineData("StackBuilder? stack = null; stack!.AddModule(null!, EmptyModuleConfig.Instance); return stack;")]
    [InlineData("var stack = StackBuilder.Create(\"x\", null); var o = stack.AddZerotierK8sLink(null!, null!, null!); o.BindTo(\"\", o); return stack;")]
    public void Half_written_code_does_not_break_the_analyzer(string body)
    {
        var (_, _, analyzer) = Harness.Analyze(new[] { Wrap(body) }, Harness.RepoInputs);
        Assert.DoesNotContain(analyzer, d => d.Id == "AD0001");
    }

    private static string Wrap(string body) => "using FlatRacoon;\nusing FlatRacoon.Generated;\npublic static class C\n{\n    public static StackBuilder Create()\n    {\n" + body + "\n    }\n}\n";

    [Fact]
    public void A_project_without_the_sdk_is_left_alone()
    {
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("plain",
            new[] { Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("class C { void M() { System.Console.WriteLine(\"192.0.2.1\"); } }") },
            new[] { Microsoft.CodeAnalysis.MetadataReference.CreateFromFile(typeof(object).Assembly.Location) });
        var diagnostics = compilation.WithAnalyzers(System.Collections.Immutable.ImmutableArray.Create<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer>(new CheckedValueAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        Assert.Empty(diagnostics);
    }
}

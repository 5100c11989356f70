using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace FlatRacoon.Generators.Tests;

/// <summary>
/// A module's typed API is emitted when the code names it, in any of the ways C# can name a type
/// or a method, and only then (docs/reference/generated-code.md, on demand).
/// </summary>
public sealed class OnDemandTests
{
    private static readonly Lazy<List<AdditionalText>> s_modules = new(() => GeneratorHarness.ModuleCopies(12));

    public static TheoryData<string, bool> Code => new()
    {
        { "class C { void M(FlatRacoon.StackBuilder s) => s.AddModule0003(); }", true },
        { "using X = FlatRacoon.Generated.Module0003Config; class C { }", true },
        { "namespace FlatRacoon.Generated { internal sealed partial record Module0003Config { public int Extra => 1; } }", true },
        { "class C { object t = typeof(FlatRacoon.Generated.Module0003Resource); }", true },
        { "class C { System.Func<FlatRacoon.Generated.Module0003Config, int>? f; }", true },
        { "using static FlatRacoon.Generated.Module0003StackBuilderExtensions; class C { }", true },
        { "/// <see cref=\"FlatRacoon.Generated.Module0003ConnectionManager\"/>\nclass C { }", true },
        { "class C { object p = FlatRacoon.Generated.Module0003Profile.Server; }", true },
        { "class C { object d = FlatRacoon.Generated.FlatRacoonModules.Module0003; }", true },
        { "class C { string n = nameof(FlatRacoon.Generated.Module0003Config); }", true },
        { "class C { string s = \"AddModule0003\"; }", false },
        { "class C { } // AddModule0003, in a comment", false },
        { "#if NEVER\nclass C { void M(FlatRacoon.StackBuilder s) => s.AddModule0003(); }\n#endif\nclass D { }", false },
        { "class C { void M(FlatRacoon.StackBuilder s) => s.AddModule00031(); }", false },
    };

    [Theory]
    [MemberData(nameof(Code))]
    public void A_module_is_emitted_exactly_when_the_code_names_it(string code, bool named)
    {
        var compilation = GeneratorHarness.CreateCompilation(code);
        var sources = GeneratorHarness.CreateDriver(s_modules.Value).RunGenerators(compilation).GetRunResult().Results.Single()
            .GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());

        var placeholders = sources["ModulesOnDemand.g.cs"];
        var descriptors = sources["FlatRacoonModules.g.cs"];
        Assert.Equal(named, sources.ContainsKey("Module0003.g.cs"));
        Assert.Equal(!named, placeholders.Contains("public static void AddModule0003(this global::FlatRacoon.StackBuilder builder)", StringComparison.Ordinal));
        Assert.Equal(named, descriptors.Contains("public static global::FlatRacoon.ModuleDescriptor Module0003 { get; }", StringComparison.Ordinal));
        Assert.Equal(!named, descriptors.Contains("{\\\"name\\\":\\\"module-0003\\\"", StringComparison.Ordinal));
        // The other eleven stay placeholders whatever the code says about module-0003.
        Assert.Equal(named ? 4 : 3, sources.Count);
        Assert.Equal(named ? 11 : 12, placeholders.Split("public static void AddModule").Length - 1);
    }
}

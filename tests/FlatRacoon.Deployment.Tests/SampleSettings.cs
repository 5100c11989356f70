using System;
using System.Collections.Generic;
using FlatRacoon.Rendering;
using FlatRacoon.Samples.Testing;

namespace FlatRacoon.Deployment.Tests;

/// <summary>The sample stack with some top-level module settings replaced (secret references of tests).</summary>
internal static class SampleSettings
{
    public static StackBuilder With(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> replacements) =>
        SampleWithSettings.Create(replacements);

    public static DeploymentSet Set(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> replacements) =>
        DeploymentSet.From(StackRenderer.Render(With(replacements).Build()));
}

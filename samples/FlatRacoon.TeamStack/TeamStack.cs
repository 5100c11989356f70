using System.Collections.Generic;
using FlatRacoon.Rendering;
using FlatRacoon.TeamStack.Generated;
using k8s.Models;

namespace FlatRacoon.TeamStack;

/// <summary>
/// A team's stack: its own module (team-cache, from modules/team-cache) with its own renderer, a
/// transform that patches what the renderer made, and two environments.
/// </summary>
public static class TeamStack
{
    /// <summary>The stack's name.</summary>
    public const string Name = "team-stack";

    /// <summary>The team's environments.</summary>
    public static readonly StackEnvironment Development = new("development");
    /// <summary>The team's environments.</summary>
    public static readonly StackEnvironment Production = new("production");

    /// <summary>Declares the stack for <paramref name="environment"/>: a function of the environment.</summary>
    public static StackBuilder Create(StackEnvironment environment)
    {
        var stack = StackBuilder.Create(Name, environment);
        stack.AddTeamCache(c => c with { Replicas = environment.Name == "production" ? 3 : 1 });
        return stack;
    }

    /// <summary>What the team adds to the program: its renderer, a transform, its environments.</summary>
    public static void Configure(StackProgramOptions options) => options
        .AddRenderer("team-cache", new TeamCacheRenderer())
        // A platform rule the renderer does not know: every Deployment of the team gets a cost-centre label.
        .AddTransform(ObjectTransforms.For<V1Deployment>(d => d.Metadata.Labels = new Dictionary<string, string>(d.Metadata.Labels ?? new Dictionary<string, string>()) { ["example.com/cost-centre"] = "team-42" }))
        .AddEnvironment(Development)
        .AddEnvironment(Production, isDefault: true);
}

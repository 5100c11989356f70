using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace FlatRacoon;

/// <summary>
/// Every environment the program knows, by name. The generated <c>Environments</c> class
/// registers those of <c>configs/environments.json</c> when the assembly loads; a program may
/// register its own. The stack program's <c>--environment NAME</c> picks one, and the build
/// evaluates the declaration for each of them.
/// </summary>
public static class EnvironmentCatalog
{
    private static ImmutableSortedDictionary<string, StackEnvironment> s_environments =
        ImmutableSortedDictionary.Create<string, StackEnvironment>(StringComparer.Ordinal);
    private static string? s_default;

    /// <summary>Registered environments in ordinal name order; <see cref="StackEnvironment.Default"/> alone when none is.</summary>
    public static IReadOnlyList<StackEnvironment> All =>
        s_environments.Count == 0 ? new[] { StackEnvironment.Default } : s_environments.Values.ToArray();

    /// <summary>
    /// The environment commands use without <c>--environment</c>: the one named by
    /// <c>FLATRACOON_ENVIRONMENT</c>, else the registered default (configs' <c>default_environment</c>),
    /// else <c>production</c> when registered, else the only or first one.
    /// </summary>
    public static StackEnvironment Default
    {
        get
        {
            var fromVariable = System.Environment.GetEnvironmentVariable("FLATRACOON_ENVIRONMENT");
            if (!string.IsNullOrEmpty(fromVariable) && Find(fromVariable!) is { } chosen)
            {
                return chosen;
            }
            if (s_default is not null && Find(s_default) is { } declared)
            {
                return declared;
            }
            return Find("production") ?? All[0];
        }
    }

    /// <summary>The environment named <paramref name="name"/>, or null.</summary>
    public static StackEnvironment? Find(string name) =>
        s_environments.TryGetValue(name, out var environment) ? environment
        : s_environments.Count == 0 && name == StackEnvironment.Default.Name ? StackEnvironment.Default
        : null;

    /// <summary>Registers environments; a later registration of the same name wins.</summary>
    /// <param name="environments">The environments.</param>
    /// <param name="defaultName">The one to use without <c>--environment</c>, if the configuration names one.</param>
    public static void Register(IEnumerable<StackEnvironment> environments, string? defaultName = null)
    {
        var list = environments.ToArray();
        ImmutableInterlocked.Update(ref s_environments, current => current.SetItems(list.Select(e => new KeyValuePair<string, StackEnvironment>(e.Name, e))));
        if (defaultName is not null)
        {
            s_default = defaultName;
        }
    }
}

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;

namespace FlatRacoon;

/// <summary>
/// Every module the program knows (its manifests, compiled in by the generator). The
/// generated code registers its descriptors here from a module initializer, so a stack
/// that misses a provider can be told which module would provide it.
/// </summary>
public static class ModuleCatalog
{
    private static ImmutableSortedDictionary<string, ModuleDescriptor> s_modules =
        ImmutableSortedDictionary.Create<string, ModuleDescriptor>(System.StringComparer.Ordinal);

    /// <summary>Known modules, ordinal name order.</summary>
    public static IEnumerable<ModuleDescriptor> All => s_modules.Values;

    /// <summary>Registers descriptors; a later registration of the same name wins.</summary>
    public static void Register(IEnumerable<ModuleDescriptor> descriptors)
    {
        // The generated registration runs when the program loads: the earliest point at which a
        // build-time evaluation run can catch a declaration that throws before RunAsync.
        Cli.BuildEvaluation.InstallIfRequested();
        var list = descriptors.ToArray();
        ImmutableInterlocked.Update(ref s_modules, current => current.SetItems(list.Select(d => new KeyValuePair<string, ModuleDescriptor>(d.Name, d))));
    }
}

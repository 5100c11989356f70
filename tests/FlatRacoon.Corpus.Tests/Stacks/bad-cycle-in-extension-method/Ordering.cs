using FlatRacoon;

namespace Corpus;

internal static class Ordering
{
    /// <summary>The team's wrapper around WaitFor: the WaitFor that closes the cycle is this one.</summary>
    public static ModuleResource<TConfig> StartsAfter<TConfig>(this ModuleResource<TConfig> module, IModuleResource other)
        where TConfig : IModuleConfig
        => module.WaitFor(other); // expect: FR1002
}

using FlatRacoon.Generated;

namespace Corpus;

internal static class Ordering
{
    /// <summary>The team's wrapper around WaitFor: the WaitFor that closes the cycle is this one.</summary>
    public static BgpBackboneLabResource StartsAfter(this BgpBackboneLabResource lab, Ipv6SiteEnforcerResource edge) => lab.WaitFor(edge); // expect: FR1002
}

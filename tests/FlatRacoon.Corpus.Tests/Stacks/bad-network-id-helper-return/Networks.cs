using FlatRacoon;

namespace Corpus;

internal static class Networks
{
    /// <summary>The lab's ZeroTier network (someone pasted its name, not its id).</summary>
    public static ZeroTierNetworkId Lab() => "flatracoon-lab"; // expect: FR0101
}

using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class StorageExtensions
{
    /// <summary>Adds the team's IPFS storage with three replicas.</summary>
    public static StackBuilder AddStorage(this StackBuilder stack, IOverlayNetwork overlay, IKubernetesApi api)
    {
        stack.AddIpfsOverlay(overlay, api, configure: c => c with { Replicas = 3 }); // expect: CS7036
        return stack;
    }
}

using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class Secrets
{
    public static ISecretStore Add(StackBuilder stack, IKubernetesApi api) => stack.AddPolySecretMcp(api);
}

internal static class Storage
{
    // The storage helper brings its own secret store: the stack now has two.
    public static void Add(StackBuilder stack, IOverlayNetwork overlay, IKubernetesApi api)
    {
        var secrets = stack.AddPolySecretMcp(api); // expect: FR1006
        stack.AddIpfsOverlay(overlay, api, secrets);
    }
}

using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal sealed class Sites
{
    public Sites(StackEnvironment env)
    {
        Network = StackBuilder.Create("network", env);
        var os = Network.AddFlatracoonOs();
        var k8s = Network.AddPolyK8sMcp();
        var secrets = Network.AddPolySecretMcp(k8s);
        Overlay = Network.AddZerotierK8sLink(os, k8s, secrets);

        Storage = StackBuilder.Create("storage", env);
        var storageApi = Storage.AddPolyK8sMcp();
        var storageSecrets = Storage.AddPolySecretMcp(storageApi);
        // The overlay belongs to the network stack, not to this one.
        Storage.AddIpfsOverlay(Overlay, storageApi, storageSecrets); // expect: FR1007
    }

    public StackBuilder Network { get; }
    public StackBuilder Storage { get; }
    public ZerotierK8sLinkResource Overlay { get; }
}

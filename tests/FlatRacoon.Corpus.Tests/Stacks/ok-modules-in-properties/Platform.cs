using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal sealed class Platform
{
    public Platform(StackEnvironment env)
    {
        Stack = StackBuilder.Create("platform", env);
        Hosts = Stack.AddFlatracoonOs();
        Cluster = Stack.AddPolyK8sMcp();
        Secrets = Stack.AddPolySecretMcp(Cluster);
        Overlay = Stack.AddZerotierK8sLink(Hosts, Cluster, Secrets);
    }

    public StackBuilder Stack { get; }
    public FlatracoonOsResource Hosts { get; }
    public PolyK8sMcpResource Cluster { get; }
    public PolySecretMcpResource Secrets { get; }
    public ZerotierK8sLinkResource Overlay { get; }

    public Platform WithStorage()
    {
        Stack.AddIpfsOverlay(Overlay, Cluster, Secrets);
        return this;
    }

    public Platform WithAccess()
    {
        Stack.AddTwingateHelmDeploy(Cluster, Secrets).WaitFor(Overlay);
        return this;
    }
}

using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

/// <summary>The platform team's base: modules exposed as properties for product teams to build on.</summary>
internal sealed class Platform
{
    public Platform(StackEnvironment env)
    {
        Stack = StackBuilder.Create("platform", env);
        Hosts = Stack.AddFlatracoonOs();
        Cluster = Stack.AddPolyK8sMcp();
        Secrets = Stack.AddPolySecretMcp(Cluster);
    }

    public StackBuilder Stack { get; }
    public FlatracoonOsResource Hosts { get; }
    public PolyK8sMcpResource Cluster { get; }
    public PolySecretMcpResource Secrets { get; }

    public Platform WithStorage()
    {
        Stack.AddIpfsOverlay(Cluster, Cluster, Secrets); // expect: CS1503
        return this;
    }
}

using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("netstack", env);
        var k8s = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp(k8s);
        var network = Network(stack, k8s);
        stack.AddIpfsOverlay(
            network, // expect: CS1503
            k8s,
            secrets);
        return stack;
    }

    // "The network" of this stack is the IPv6 site enforcer, not an overlay.
    private static Ipv6SiteEnforcerResource Network(StackBuilder stack, IKubernetesApi api) =>
        stack.AddIpv6SiteEnforcer(stack.AddFlatracoonOs(), api);
}

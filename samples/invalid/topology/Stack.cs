// Expected: FR1001 FR1002 FR1003 FR1006
using FlatRacoon;
using FlatRacoon.Generated;

namespace Invalid;

public static class TopologyStack
{
    public static StackBuilder Create()
    {
        var stack = StackBuilder.Create("invalid-topology", Environments.Production.Environment);
        stack.AddFlatracoonOs();
        var k8s = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp();
        k8s.WaitFor(secrets);                        // FR1002: poly-k8s-mcp → poly-secret-mcp → poly-k8s-mcp
        var overlay = stack.AddZerotierK8sLink();
        stack.AddIpfsOverlay().WithOverlay(overlay);
        stack.AddEdgeCache();                        // FR1003: platform layer needs ipfs-storage (storage layer)
        stack.AddHesiodDnsMap();                     // FR1001: ipv6-ingress has no provider
        stack.AddZerotierK8sLink();                  // FR1006: added twice
        return stack;
    }
}

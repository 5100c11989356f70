using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("netstack", env);
        var k8s = stack.AddPolyK8sMcp();
        var observability = stack.AddPolyObservabilityMcp(k8s);
        AddDashboard();
        return stack;

        void AddDashboard()
        {
            // The dashboard also needs service discovery (hesiod-dns-map); it is not passed.
            stack.AddNetworkDashboard(k8s, observability); // expect: CS7036
        }
    }
}

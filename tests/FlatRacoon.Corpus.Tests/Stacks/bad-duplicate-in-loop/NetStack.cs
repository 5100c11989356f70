using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    private static readonly string[] Sites = { "f1a7c0de00de0001", "f1a7c0de00de0002" };

    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("netstack", env);
        var os = stack.AddFlatracoonOs();
        var k8s = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp(k8s);
        // One overlay per site: the module can be added once only.
        foreach (var site in Sites)
        {
            stack.AddZerotierK8sLink(os, k8s, secrets, c => c with { NetworkId = site }); // expect: FR1006
        }
        return stack;
    }
}

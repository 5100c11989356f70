using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    private static int ScaleFactor => int.Parse("6", System.Globalization.CultureInfo.InvariantCulture);

    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("netstack", env);
        var os = stack.AddFlatracoonOs();
        var k8s = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp(k8s);
        var overlay = stack.AddZerotierK8sLink(os, k8s, secrets);
        var replicas = env.Name == "production" ? 3 * ScaleFactor : 2;
        stack.AddIpfsOverlay(overlay, k8s, secrets, c => c with { Replicas = replicas }); // expect: FR0106
        return stack;
    }
}

using System;
using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal sealed class Declarations
{
    private readonly Lazy<StackBuilder> _stack;

    public Declarations(StackEnvironment env) => _stack = new Lazy<StackBuilder>(() => Declare(env));

    public StackBuilder Stack => _stack.Value;

    private static StackBuilder Declare(StackEnvironment env)
    {
        var stack = StackBuilder.Create("netstack", env);
        var os = stack.AddFlatracoonOs();
        var k8s = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp(k8s);
        var overlay = stack.AddZerotierK8sLink(os, k8s, secrets);
        stack.AddIpfsOverlay(overlay, k8s, secrets);
        return stack;
    }
}

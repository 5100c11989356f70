using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

/// <summary>The stack as an object: the builder and the shared providers live in fields.</summary>
internal sealed class SiteStack
{
    private readonly StackBuilder _stack;
    private readonly IKubernetesApi _api;
    private readonly ISecretStore _secrets;
    private readonly IContainerHosts _hosts;

    public SiteStack(StackEnvironment env)
    {
        _stack = StackBuilder.Create("site", env);
        _hosts = _stack.AddFlatracoonOs();
        var k8s = _stack.AddPolyK8sMcp();
        _api = k8s;
        _secrets = _stack.AddPolySecretMcp(k8s);
    }

    public StackBuilder Declare()
    {
        var overlay = AddOverlay();
        _stack.AddIpfsOverlay(overlay, _api, _secrets);
        return _stack;
    }

    private IOverlayNetwork AddOverlay() => _stack.AddZerotierK8sLink(_hosts, _api); // expect: CS7036
}

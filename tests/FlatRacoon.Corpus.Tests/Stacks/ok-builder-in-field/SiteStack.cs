using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal sealed class SiteStack
{
    private readonly StackBuilder _stack;
    private readonly IContainerHosts _hosts;
    private readonly IKubernetesApi _api;
    private readonly ISecretStore _secrets;
    private IOverlayNetwork? _overlay;

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
        _stack.AddIpfsOverlay(Overlay, _api, _secrets);
        return _stack;
    }

    private IOverlayNetwork Overlay => _overlay ??= _stack.AddZerotierK8sLink(_hosts, _api, _secrets);
}

using System;
using System.Collections.Generic;

namespace FlatRacoon.Rendering;

/// <summary>Renders one module into Kubernetes objects and text artifacts.</summary>
public interface IModuleRenderer
{
    /// <summary>Adds the module's objects and artifacts to <paramref name="context"/>.</summary>
    void Render(ModuleRenderContext context);
}

/// <summary>
/// A renderer whose output depends on what the rest of the stack renders (the Hesiod zone lists
/// every Service; the IPv6 ingress policy covers the namespaces that have no policy of their
/// own). It runs after every other module's renderer, in wave order among its kind, and finds
/// their objects in <see cref="ModuleRenderContext.StackObjects"/>. Its objects still apply in
/// its own module's wave.
/// </summary>
public interface IStackWideRenderer : IModuleRenderer
{
}

/// <summary>
/// Which renderer a module gets: a module-specific one registered under its name (see
/// <c>src/FlatRacoon.Sdk/Modules/</c>), or <see cref="WorkloadRenderer"/>, which renders any
/// manifest (a team's own modules included) from its descriptor and configuration.
/// </summary>
public sealed class ModuleRenderers
{
    private readonly Dictionary<string, IModuleRenderer> _byModule = new(StringComparer.Ordinal);

    /// <summary>The renderers this SDK ships.</summary>
    public static ModuleRenderers Default => new ModuleRenderers()
        .With(Modules.BgpBackboneLab.BgpTopology.ModuleName, new Modules.BgpBackboneLab.BgpBackboneLabRenderer())
        .With(Modules.HesiodDnsMap.HesiodDnsMapRenderer.ModuleName, new Modules.HesiodDnsMap.HesiodDnsMapRenderer())
        .With(Modules.Ipv6SiteEnforcer.Ipv6SiteEnforcerRenderer.ModuleName, new Modules.Ipv6SiteEnforcer.Ipv6SiteEnforcerRenderer())
        .With(Modules.ZerotierK8sLink.ZerotierK8sLinkRenderer.ModuleName, new Modules.ZerotierK8sLink.ZerotierK8sLinkRenderer())
        .With(Modules.IpfsOverlay.IpfsOverlayRenderer.ModuleName, new Modules.IpfsOverlay.IpfsOverlayRenderer())
        .With(Modules.TwingateHelmDeploy.TwingateHelmDeployRenderer.ModuleName, new Modules.TwingateHelmDeploy.TwingateHelmDeployRenderer())
        .With(Modules.NetworkDashboard.NetworkDashboardRenderer.ModuleName, new Modules.NetworkDashboard.NetworkDashboardRenderer())
        .With(Modules.PolyObservabilityMcp.PolyObservabilityMcpRenderer.ModuleName, new Modules.PolyObservabilityMcp.PolyObservabilityMcpRenderer())
        .With(Modules.PolySecretMcp.PolySecretMcpRenderer.ModuleName, new Modules.PolySecretMcp.PolySecretMcpRenderer())
        .With(Modules.PolyK8sMcp.PolyK8sMcpRenderer.ModuleName, new Modules.PolyK8sMcp.PolyK8sMcpRenderer())
        .With(Modules.FlatracoonOs.FlatracoonOsRenderer.ModuleName, new Modules.FlatracoonOs.FlatracoonOsRenderer());

    /// <summary>The renderer for any module without a specific one.</summary>
    public IModuleRenderer Fallback { get; init; } = new WorkloadRenderer();

    /// <summary>Uses <paramref name="renderer"/> for <paramref name="module"/>.</summary>
    public ModuleRenderers With(string module, IModuleRenderer renderer)
    {
        _byModule[module] = renderer;
        return this;
    }

    /// <summary>The renderer for <paramref name="module"/>.</summary>
    public IModuleRenderer For(string module) =>
        _byModule.TryGetValue(module, out var renderer) ? renderer : Fallback;
}

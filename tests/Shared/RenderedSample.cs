using System.Linq;
using FlatRacoon.Rendering;
using FlatRacoon.Samples;

namespace FlatRacoon.Tests.Shared;

/// <summary>The sample stack as rendered, and what the tests that feed real software read from it.</summary>
internal static class RenderedSample
{
    public static ManifestSet Render() => StackRenderer.Render(NetStack.Create().Build());

    /// <summary>The artifact <c>&lt;module&gt;/&lt;file&gt;</c> of the render.</summary>
    public static string Artifact(ManifestSet set, string module, string file) =>
        set.Artifacts.Single(a => a.RelativePath == $"{module}/{file}").Content;

    /// <summary>The module's settings as its container reads them: the <c>config.json</c> key of the module's ConfigMap (mounted at <c>$FLATRACOON_CONFIG</c>).</summary>
    public static string ModuleConfig(ManifestSet set, string module) =>
        set.Objects.Where(o => o.Module == module).Select(o => o.Object).OfType<k8s.Models.V1ConfigMap>()
            .Single(c => c.Data is not null && c.Data.ContainsKey("config.json")).Data["config.json"];
}

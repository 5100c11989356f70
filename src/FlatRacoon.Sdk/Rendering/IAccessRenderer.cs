using System.Collections.Generic;

namespace FlatRacoon.Rendering;

/// <summary>
/// A renderer that grants its module's server access to what other modules render (by object
/// name: poly-observability-mcp reads workloads, poly-secret-mcp reads materialised Secrets). It
/// runs once more after every module, stack-wide ones included, has rendered, with
/// <see cref="ModuleRenderContext.StackObjects"/> holding every object of the stack and
/// <see cref="ModuleRenderContext.StackArtifacts"/> every artifact; the objects it adds there
/// (RBAC only) join its module's. Internal: the access a module's own program needs is the
/// module's business, not an extension point.
/// </summary>
internal interface IAccessRenderer
{
    /// <summary>Adds the module's access objects to <paramref name="context"/>.</summary>
    void RenderAccess(ModuleRenderContext context);
}

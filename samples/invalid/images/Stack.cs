// Expected: FR3001
using System.Collections.Immutable;
using FlatRacoon;

namespace Invalid;

public static class ImagesStack
{
    public static StackBuilder Create()
    {
        var stack = StackBuilder.Create("invalid-images");
        // FR3001 (a warning by default): ':latest' is not a pinned version.
        stack.AddModule(new ModuleDescriptor
        {
            Name = "edge-proxy",
            Version = "1.0.0",
            Layer = Layer.Network,
            Requires = ImmutableArray.Create("kubernetes"),
            Image = new ImageReference("ghcr.io/example/edge-proxy", "latest"),
        }, EmptyModuleConfig.Instance);
        return stack;
    }
}

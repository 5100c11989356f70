using System;
using System.Collections.Generic;

namespace FlatRacoon.Topology
{
    /// <summary>
    /// The documented layer order, bottom first. A module may require capabilities of its own
    /// layer or of layers below. Shared source: the generator, the analyzers and the SDK
    /// compile this very file, so build time and run time agree.
    /// </summary>
    internal static class Layers
    {
        /// <summary>Layer names, bottom first.</summary>
        public static IReadOnlyList<string> Ordered { get; } = new[]
        {
            "platform", "orchestration", "network", "overlay", "access", "storage", "naming", "observability",
        };

        /// <summary>Position of <paramref name="layer"/> in <see cref="Ordered"/>, or -1 when unknown.</summary>
        public static int RankOf(string? layer)
        {
            for (var i = 0; i < Ordered.Count; i++)
            {
                if (string.Equals(Ordered[i], layer, StringComparison.Ordinal))
                {
                    return i;
                }
            }
            return -1;
        }

        /// <summary>Capabilities that the cluster itself provides; no module has to.</summary>
        public static IReadOnlyList<string> ExternalCapabilities { get; } = new[] { "kubernetes" };
    }
}

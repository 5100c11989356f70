using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace FlatRacoon.Generators.Helpers
{
    /// <summary>
    /// A position inside a (JSON) file as a value. Pipeline models keep this instead of a
    /// <see cref="Location"/> (which is not equatable across runs); it becomes a Location only
    /// when a diagnostic is reported.
    /// </summary>
    internal readonly record struct LocationInfo(string FilePath, TextSpan TextSpan, LinePositionSpan LineSpan)
    {
        public Location ToLocation() => Location.Create(FilePath, TextSpan, LineSpan);

        /// <summary>An empty span at the start of <paramref name="path"/>.</summary>
        public static LocationInfo StartOf(string path) =>
            new(path, new TextSpan(0, 0), new LinePositionSpan(new LinePosition(0, 0), new LinePosition(0, 0)));
    }
}

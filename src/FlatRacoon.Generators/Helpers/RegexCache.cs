using System;
using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace FlatRacoon.Generators.Helpers
{
    /// <summary>
    /// Schemas repeat the same few patterns (lib.ncl's), so building each Regex once keeps parsing
    /// linear in practice. Bounded, so a project with endless distinct patterns cannot grow it forever.
    /// </summary>
    internal static class RegexCache
    {
        private const int Capacity = 512;
        private static readonly ConcurrentDictionary<string, Regex> s_cache = new(StringComparer.Ordinal);

        /// <summary>The regex for <paramref name="pattern"/>; throws ArgumentException when it is not valid.</summary>
        public static Regex Get(string pattern)
        {
            if (s_cache.TryGetValue(pattern, out var regex))
            {
                return regex;
            }
            // A timeout, so a pathological pattern cannot hang the compiler.
            regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            if (s_cache.Count >= Capacity)
            {
                s_cache.Clear();
            }
            s_cache.TryAdd(pattern, regex);
            return regex;
        }
    }
}

using System;
using System.Collections.Generic;

namespace FlatRacoon.Generators.Helpers
{
    /// <summary>Lexical path handling (no file system access: generators must not do I/O).</summary>
    internal static class PathUtility
    {
        /// <summary>Forward slashes, no '.', '..' resolved, no doubled separators. Case is kept.</summary>
        public static string Normalize(string path)
        {
            var p = path.Replace('\\', '/');
            var rooted = p.StartsWith("/", StringComparison.Ordinal);
            var parts = p.Split('/');
            var stack = new List<string>(parts.Length);
            foreach (var part in parts)
            {
                if (part.Length == 0 || part == ".")
                {
                    continue;
                }
                if (part == ".." && stack.Count > 0 && stack[stack.Count - 1] != ".." && !IsDrive(stack, stack.Count - 1))
                {
                    stack.RemoveAt(stack.Count - 1);
                    continue;
                }
                stack.Add(part);
            }
            return (rooted ? "/" : "") + string.Join("/", stack);
        }

        /// <summary>The directory of a normalized path ("" for none).</summary>
        public static string DirectoryOf(string normalizedPath)
        {
            var slash = normalizedPath.LastIndexOf('/');
            return slash < 0 ? "" : normalizedPath.Substring(0, slash);
        }

        /// <summary>The file name of a path.</summary>
        public static string FileName(string path)
        {
            var slash = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
            return slash < 0 ? path : path.Substring(slash + 1);
        }

        /// <summary>
        /// Where the JSON export of <paramref name="configSchema"/> (relative to the manifest) lives:
        /// the same path with <c>.json</c> in place of its extension.
        /// </summary>
        public static string SchemaExportPath(string manifestNormalizedPath, string configSchema)
        {
            var relative = configSchema.Replace('\\', '/');
            var isAbsolute = relative.StartsWith("/", StringComparison.Ordinal) || (relative.Length > 1 && relative[1] == ':');
            var combined = isAbsolute ? relative : DirectoryOf(manifestNormalizedPath) + "/" + relative;
            var normalized = Normalize(combined);
            var fileStart = normalized.LastIndexOf('/') + 1;
            var dot = normalized.LastIndexOf('.');
            var withoutExtension = dot > fileStart ? normalized.Substring(0, dot) : normalized;
            return withoutExtension + ".json";
        }

        private static bool IsDrive(List<string> parts, int index) => index == 0 && parts[0].Length == 2 && parts[0][1] == ':';
    }
}

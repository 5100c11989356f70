using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;

namespace FlatRacoon.Testing;

/// <summary>
/// Metadata references for compiling a stack in a test: the running framework's System assemblies,
/// FlatRacoon.Sdk and what it references. Shared source of the generator and analyzer tests.
/// </summary>
internal static class SdkReferences
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(Load);

    /// <summary>The references, loaded once.</summary>
    public static ImmutableArray<MetadataReference> All => s_references.Value;

    private static ImmutableArray<MetadataReference> Load()
    {
        var framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var paths = Directory.EnumerateFiles(framework, "*.dll")
            .Where(p => Path.GetFileName(p) is var name && (name.StartsWith("System.", StringComparison.Ordinal) || name is "netstandard.dll" or "mscorlib.dll"))
            .ToList();
        var sdk = typeof(global::FlatRacoon.StackBuilder).Assembly;
        paths.Add(sdk.Location);
        foreach (var name in sdk.GetReferencedAssemblies())
        {
            var candidate = Path.Combine(AppContext.BaseDirectory, name.Name + ".dll");
            if (File.Exists(candidate) && !paths.Any(p => string.Equals(Path.GetFileName(p), name.Name + ".dll", StringComparison.OrdinalIgnoreCase)))
            {
                paths.Add(candidate);
            }
        }
        var references = new List<MetadataReference>();
        foreach (var path in paths)
        {
            // The framework folder also holds native images: only files with metadata are references.
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            if (pe.HasMetadata)
            {
                references.Add(MetadataReference.CreateFromFile(path));
            }
        }
        return references.ToImmutableArray();
    }
}

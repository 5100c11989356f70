using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using FlatRacoon.Generators.Helpers;
using FlatRacoon.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace FlatRacoon.Generators
{
    internal sealed partial class FlatRacoonGenerator
    {
        /// <summary>
        /// Which modules get their typed API. A module's configuration records, resource and
        /// <c>Add&lt;Module&gt;</c> method are compiled only when the project's code names one of them
        /// (or the module itself), or an environment configures it; every other module costs a
        /// descriptor and a one-line placeholder <c>Add&lt;Module&gt;</c> that keeps it in completion
        /// lists. Naming it anywhere (a call, a type, a <c>cref</c>) brings the real API in on the
        /// next generator run. Compiling 1,000 modules' records that a stack never uses cost a
        /// consumer ten times the build of one without them (docs/reference/performance.md).
        /// </summary>
        internal static class OnDemand
        {
            // The transform of a syntax provider runs again for every file whenever the compilation
            // changes (a keystroke in the IDE); a file's root node is the same object while the file
            // is, so its names are read once per version of the file.
            private static readonly ConditionalWeakTable<SyntaxNode, NamesBox> s_names = new();

            private sealed class NamesBox
            {
                public NamesBox(EquatableArray<string> names) => Names = names;

                public EquatableArray<string> Names { get; }
            }

            /// <summary>The identifiers of one file of the project's code that could name generated code (they start with an upper-case letter), sorted, without repeats.</summary>
            public static EquatableArray<string> NamesIn(SyntaxNode root, CancellationToken cancellationToken)
            {
                return s_names.GetValue(root, node => new NamesBox(ReadNames(node, cancellationToken))).Names;
            }

            private static EquatableArray<string> ReadNames(SyntaxNode root, CancellationToken cancellationToken)
            {
                var names = new HashSet<string>(StringComparer.Ordinal);
                var seen = 0;
                foreach (var token in root.DescendantTokens(descendIntoTrivia: true))
                {
                    if ((++seen & 0xFFF) == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                    if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText is { Length: > 0 } text && text[0] is >= 'A' and <= 'Z')
                    {
                        names.Add(text);
                    }
                }
                var sorted = new string[names.Count];
                names.CopyTo(sorted);
                Array.Sort(sorted, StringComparer.Ordinal);
                return new EquatableArray<string>(sorted);
            }

            /// <summary>The spec with the modules and external capabilities whose typed API the code needs.</summary>
            public static EmissionSpec Select(GenerationSpec spec, ImmutableArray<EquatableArray<string>> files, CancellationToken cancellationToken)
            {
                if (spec.AllModules || !spec.HasManifests)
                {
                    return new EmissionSpec(spec, default, default);
                }
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var file in files)
                {
                    foreach (var name in file)
                    {
                        names.Add(name);
                    }
                }
                cancellationToken.ThrowIfCancellationRequested();

                var configured = new HashSet<string>(StringComparer.Ordinal);
                foreach (var environment in spec.Environments)
                {
                    foreach (var module in environment.Modules)
                    {
                        configured.Add(module.Module);
                    }
                }
                var modules = new List<string>();
                foreach (var module in spec.Modules)
                {
                    if (configured.Contains(module.Name) || IsNamed(module, names))
                    {
                        modules.Add(module.Name);
                    }
                }
                var externals = new List<string>();
                foreach (var capability in spec.Capabilities)
                {
                    if (!capability.IsExternal && names.Contains(AddExternal(capability)))
                    {
                        externals.Add(capability.Name);
                    }
                }
                return new EmissionSpec(spec, modules.ToEquatableArray(), externals.ToEquatableArray());
            }

            /// <summary>The name of the method that declares <paramref name="capability"/> as the cluster's own.</summary>
            public static string AddExternal(CapabilitySpec capability) => "AddExternal" + capability.Pascal;

            /// <summary>The name of a module's extensions class (its <c>Add&lt;Module&gt;</c> method's class).</summary>
            public static string ExtensionsType(ModuleSpec module) => module.Config?.ExtensionsTypeName ?? module.Pascal + "StackBuilderExtensions";

            private static bool IsNamed(ModuleSpec module, HashSet<string> names)
            {
                if (names.Contains(module.Pascal) || names.Contains("Add" + module.Pascal) || names.Contains(module.Pascal + "Resource") || names.Contains(ExtensionsType(module)))
                {
                    return true;
                }
                if (module.Config is { } config)
                {
                    if (names.Contains(config.TypeName))
                    {
                        return true;
                    }
                    foreach (var record in config.Records)
                    {
                        if (names.Contains(record.Name))
                        {
                            return true;
                        }
                    }
                    foreach (var enumSpec in config.Enums)
                    {
                        if (names.Contains(enumSpec.Name))
                        {
                            return true;
                        }
                    }
                }
                return false;
            }
        }
    }
}

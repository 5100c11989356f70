using System;
using System.Collections.Immutable;
using FlatRacoon.Generators.Helpers;
using FlatRacoon.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace FlatRacoon.Generators
{
    /// <summary>
    /// Turns module manifests, their configuration schemas and the stack-wide configuration (all
    /// MSBuild AdditionalFiles) into typed C#: module descriptors, capability constants, config
    /// records, environments and <c>Add&lt;Module&gt;</c> builder methods. See
    /// docs/reference/generated-code.md for what is emitted and docs/rules/FR00*.md for the diagnostics.
    /// </summary>
    /// <remarks>
    /// Pipeline: per file <see cref="Parser"/> (cached per file) → Collect → <see cref="Resolver"/>
    /// (cross-file checks, location-free spec + diagnostics) → <see cref="Emitter"/>. Diagnostics have
    /// their own output, so an edit that only moves tokens re-reports but does not re-emit.
    /// </remarks>
    [Generator(LanguageNames.CSharp)]
    internal sealed partial class FlatRacoonGenerator : IIncrementalGenerator
    {
        /// <summary>Item metadata naming what a file is (manifest, schema, base, registry, environments).</summary>
        public const string KindMetadata = "build_metadata.AdditionalFiles.FlatRacoonKind";
        /// <summary>Namespace of the generated code.</summary>
        public const string NamespaceProperty = "build_property.FlatRacoonGeneratedNamespace";
        /// <summary><c>internal</c> (default) or <c>public</c>.</summary>
        public const string VisibilityProperty = "build_property.FlatRacoonGeneratedVisibility";
        /// <summary><c>true</c>: every module's typed API, named in code or not (see <see cref="OnDemand"/>).</summary>
        public const string AllModulesProperty = "build_property.FlatRacoonGenerateAllModules";

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var options = context.AnalyzerConfigOptionsProvider
                .Select(static (provider, _) => ReadOptions(provider.GlobalOptions))
                .WithTrackingName(TrackingNames.ReadOptions);

            // Which files are ours, from their metadata or name. Kept apart from parsing so that a
            // change of unrelated MSBuild options does not re-read every file: the (text, kind) pairs
            // come out equal and the parse step stays cached.
            var ours = context.AdditionalTextsProvider
                .Combine(context.AnalyzerConfigOptionsProvider)
                .Select(static (pair, _) => Classify(pair.Left, pair.Right))
                .Where(static file => file.Kind is not null);

            var files = ours
                .Select(static (file, cancellationToken) => ParseFile(file, cancellationToken))
                .WithTrackingName(TrackingNames.ParseFiles);

            var model = files
                .Collect()
                .WithTrackingName(TrackingNames.CollectFiles)
                .Combine(options)
                .Select(static (pair, cancellationToken) => Resolver.Build(pair.Left, pair.Right, cancellationToken))
                .WithTrackingName(TrackingNames.BuildModel);

            var spec = model
                .Select(static (result, _) => result.Spec)
                .WithTrackingName(TrackingNames.GenerationSpec);

            var diagnostics = model
                .Select(static (result, _) => result.Diagnostics)
                .WithTrackingName(TrackingNames.Diagnostics);

            // The identifiers of the project's own code, per file (an edit re-reads only its file), decide
            // which modules get their typed API; the emitter re-runs only when that choice changes.
            var names = context.SyntaxProvider
                .CreateSyntaxProvider(
                    static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax,
                    static (syntax, cancellationToken) => OnDemand.NamesIn(syntax.Node, cancellationToken))
                .WithTrackingName(TrackingNames.NamesInCode)
                .Collect();

            var emission = spec
                .Combine(names)
                .Select(static (pair, cancellationToken) => OnDemand.Select(pair.Left, pair.Right, cancellationToken))
                .WithTrackingName(TrackingNames.Emission);

            context.RegisterSourceOutput(emission, static (context, emission) => EmitSources(context, emission));
            context.RegisterSourceOutput(diagnostics, static (context, diagnostics) =>
            {
                foreach (var diagnostic in diagnostics)
                {
                    context.ReportDiagnostic(diagnostic.ToDiagnostic());
                }
            });
        }

        private static ClassifiedFile Classify(AdditionalText file, AnalyzerConfigOptionsProvider provider)
        {
            var path = file.Path ?? "";
            try
            {
                provider.GetOptions(file).TryGetValue(KindMetadata, out var kindMetadata);
                return new ClassifiedFile(file, Parser.Classify(path, kindMetadata), null);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Parse it as a manifest that failed, so the failure is reported.
                return new ClassifiedFile(file, FileKind.Manifest, e.GetType().Name + ": " + e.Message);
            }
        }

        private static ParsedFile ParseFile(ClassifiedFile file, System.Threading.CancellationToken cancellationToken)
        {
            var path = file.Text.Path ?? "";
            try
            {
                if (file.Failure is not null)
                {
                    throw new InvalidOperationException(file.Failure);
                }
                var text = file.Text.GetText(cancellationToken);
                return Parser.Parse(path, file.Kind!.Value, text?.ToString(), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var failure = DiagnosticInfo.Create(DiagnosticDescriptors.GeneratorFailure, LocationInfo.StartOf(path), path, e.GetType().Name + ": " + e.Message);
                return new ParsedFile(path, path, FileKind.Manifest, null, null, null, new EquatableArray<DiagnosticInfo>(new[] { failure }));
            }
        }

        /// <summary>An AdditionalFile and what it is to the generator (equal while the file object and its kind are).</summary>
        private readonly record struct ClassifiedFile(AdditionalText Text, FileKind? Kind, string? Failure);

        private static GeneratorOptions ReadOptions(AnalyzerConfigOptions options)
        {
            try
            {
                return ReadOptionsCore(options);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return new GeneratorOptions(GeneratorOptions.DefaultNamespace, false);
            }
        }

        private static GeneratorOptions ReadOptionsCore(AnalyzerConfigOptions options)
        {
            var ns = options.TryGetValue(NamespaceProperty, out var value) && IsNamespace(value.Trim()) ? value.Trim() : GeneratorOptions.DefaultNamespace;
            var isPublic = options.TryGetValue(VisibilityProperty, out var visibility)
                && string.Equals(visibility.Trim(), "public", StringComparison.OrdinalIgnoreCase);
            var allModules = options.TryGetValue(AllModulesProperty, out var all)
                && string.Equals(all.Trim(), "true", StringComparison.OrdinalIgnoreCase);
            return new GeneratorOptions(ns, isPublic, allModules);
        }

        private static bool IsNamespace(string value)
        {
            if (value.Length == 0)
            {
                return false;
            }
            foreach (var part in value.Split('.'))
            {
                if (!SyntaxFacts.IsValidIdentifier(part) || SyntaxFacts.GetKeywordKind(part) != SyntaxKind.None)
                {
                    return false;
                }
            }
            return true;
        }

        private static void EmitSources(SourceProductionContext context, EmissionSpec spec)
        {
            try
            {
                foreach (var (hintName, source) in Emitter.Emit(spec))
                {
                    context.AddSource(hintName, SourceText.From(source, System.Text.Encoding.UTF8));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.GeneratorFailure, Location.None, "the generated code", e.GetType().Name + ": " + e.Message));
            }
        }
    }
}

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using FlatRacoon.Analyzers.Model;
using FlatRacoon.Topology;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace FlatRacoon.Analyzers
{
    /// <summary>
    /// Reports the topology rules (FR0101-FR3001) on the stacks a method declares. The rules live in
    /// the shared engine (<see cref="StackRules"/>); this analyzer only reads the declaration into the
    /// engine's model and turns findings into diagnostics at the call, literal or value concerned.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class TopologyAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticDescriptors.All;

        /// <inheritdoc />
        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                // Only projects that reference the SDK declare stacks.
                if (start.Compilation.GetTypeByMetadataName("FlatRacoon.StackBuilder") is null)
                {
                    return;
                }
                var inputs = new Lazy<ProjectInputs>(() => ProjectInputs.Read(start.Options, start.CancellationToken));
                start.RegisterOperationBlockStartAction(block =>
                {
                    StackDeclarationReader? reader = null;
                    var failed = false;
                    void Collect(Action<StackDeclarationReader> add)
                    {
                        try
                        {
                            add(reader ??= new StackDeclarationReader(inputs.Value));
                        }
                        catch (Exception e) when (!(e is OperationCanceledException))
                        {
                            // An analyzer never throws: a declaration it cannot read gets no verdict.
                            failed = true;
                        }
                    }
                    block.RegisterOperationAction(op => Collect(r => r.AddInvocation((IInvocationOperation)op.Operation)), OperationKind.Invocation);
                    block.RegisterOperationAction(op => Collect(r => r.AddLocal((IVariableDeclaratorOperation)op.Operation)), OperationKind.VariableDeclarator);
                    block.RegisterOperationBlockEndAction(end =>
                    {
                        if (reader is null || failed)
                        {
                            return;
                        }
                        try
                        {
                            Report(reader.Read(), end.ReportDiagnostic, end.OwningSymbol.Locations.FirstOrDefault());
                        }
                        catch (Exception e) when (!(e is OperationCanceledException))
                        {
                            // An analyzer never throws: a stack it cannot read gets no verdict.
                        }
                    });
                });
            });
        }

        private static void Report(List<StackModel> stacks, Action<Diagnostic> report, Location? fallback)
        {
            var seen = new HashSet<(string, Location?, string)>();
            foreach (var stack in stacks)
            {
                foreach (var finding in StackRules.Check(stack))
                {
                    var descriptor = DiagnosticDescriptors.ById(finding.RuleId);
                    var location = finding.Location as Location ?? fallback;
                    if (descriptor is null || location is null || !seen.Add((finding.RuleId, location, finding.Message)))
                    {
                        continue;
                    }
                    var properties = finding.Properties.ToImmutableDictionary(kv => kv.Key, kv => (string?)kv.Value);
                    report(Diagnostic.Create(descriptor, location, properties, finding.Message));
                }
            }
        }
    }
}

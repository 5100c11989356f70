using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using FlatRacoon.Topology;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace FlatRacoon.Analyzers
{
    /// <summary>
    /// Instant feedback for checked values (the second layer of the compile-time guarantee): a WHOLE
    /// constant that becomes a checked value — a string converted to a type marked
    /// <c>[CheckedValue]</c> (<c>ZeroTierNetworkId</c>, <c>Ipv6Prefix</c>, ...) or passed to its <c>Parse</c>,
    /// a number assigned to a setting with a <c>[SchemaRange]</c> — is checked where the conversion
    /// happens, in any method, field initializer, lambda or file; no flow is tracked. A value that is
    /// not a constant (an interpolation, an environment variable's value, a switch over constants) is
    /// checked when it is made at run time, with the same rule id, by the build-time evaluation.
    /// Topology (providers, bindings) is the type system's job; whole-stack rules are the evaluation's.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class CheckedValueAnalyzer : DiagnosticAnalyzer
    {
        private const string CheckedValueAttribute = "FlatRacoon.CheckedValueAttribute";
        private const string SchemaRangeAttribute = "FlatRacoon.SchemaRangeAttribute";

        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.MalformedZeroTierNetworkId, DiagnosticDescriptors.MalformedIpv6Prefix, DiagnosticDescriptors.MalformedDnsName,
            DiagnosticDescriptors.OutOfRange, DiagnosticDescriptors.MalformedIpv6Address, DiagnosticDescriptors.MalformedUri, DiagnosticDescriptors.PlainSecret);

        /// <inheritdoc />
        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var checkedAttribute = start.Compilation.GetTypeByMetadataName(CheckedValueAttribute);
                var rangeAttribute = start.Compilation.GetTypeByMetadataName(SchemaRangeAttribute);
                var secretReference = start.Compilation.GetTypeByMetadataName("FlatRacoon.SecretReference");
                if (checkedAttribute is null)
                {
                    return;
                }
                // Attributes are read once per type and property for the whole compilation: a stack of a
                // thousand modules converts to the same few checked types thousands of times.
                var markers = new ConcurrentDictionary<ITypeSymbol, (string Format, string RuleId)?>(SymbolEqualityComparer.Default);
                var ranges = new ConcurrentDictionary<IPropertySymbol, (double Minimum, double Maximum)?>(SymbolEqualityComparer.Default);
                Func<ITypeSymbol, (string Format, string RuleId)?> markerOf = t => markers.GetOrAdd(t, type => Marker(type, checkedAttribute));
                start.RegisterOperationAction(op => AnalyzeConversion((IConversionOperation)op.Operation, markerOf, op.ReportDiagnostic), OperationKind.Conversion);
                start.RegisterOperationAction(op => AnalyzeInvocation((IInvocationOperation)op.Operation, markerOf, secretReference, op.ReportDiagnostic), OperationKind.Invocation);
                if (rangeAttribute is not null)
                {
                    start.RegisterOperationAction(op => AnalyzeAssignment((ISimpleAssignmentOperation)op.Operation,
                        p => ranges.GetOrAdd(p, property => Range(property, rangeAttribute)), op.ReportDiagnostic), OperationKind.SimpleAssignment);
                }
            });
        }

        private static void AnalyzeConversion(IConversionOperation conversion, Func<ITypeSymbol, (string Format, string RuleId)?> markerOf, Action<Diagnostic> report)
        {
            if (!conversion.Operand.ConstantValue.HasValue)
            {
                return;
            }
            if (conversion.OperatorMethod is { MethodKind: MethodKind.Conversion } op
                && SymbolEqualityComparer.Default.Equals(op.ReturnType, conversion.Type)
                && conversion.Type is INamedTypeSymbol target)
            {
                CheckString(conversion.Operand, target, markerOf, report);
            }
        }

        private static void AnalyzeInvocation(IInvocationOperation invocation, Func<ITypeSymbol, (string Format, string RuleId)?> markerOf, INamedTypeSymbol? secretReference, Action<Diagnostic> report)
        {
            var method = invocation.TargetMethod;
            if (method.Name != "Parse" || !method.IsStatic || invocation.Arguments.Length != 1)
            {
                return;
            }
            var argument = invocation.Arguments[0].Value;
            if (secretReference is not null && SymbolEqualityComparer.Default.Equals(method.ContainingType, secretReference))
            {
                if (Constant(argument) is { } reference && !Formats.IsSecretReference(reference))
                {
                    // Never echo the value: it may be the secret itself.
                    report(Diagnostic.Create(DiagnosticDescriptors.PlainSecret, argument.Syntax.GetLocation(),
                        "This string is not a secret reference; give vault://mount/path#key, sops://file#key, env://NAME or file:///path instead of the value itself."));
                }
                return;
            }
            CheckString(argument, method.ContainingType, markerOf, report);
        }

        private static void CheckString(IOperation value, INamedTypeSymbol target, Func<ITypeSymbol, (string Format, string RuleId)?> markerOf, Action<Diagnostic> report)
        {
            if (Constant(value) is not { } text || markerOf(target) is not { } marker)
            {
                return;
            }
            var (format, ruleId) = marker;
            if (Formats.Check(format, text) is { } why && DiagnosticDescriptors.ById(ruleId) is { } descriptor)
            {
                // A secret's finding never echoes the value: it may be the secret itself.
                report(Diagnostic.Create(descriptor, value.Syntax.GetLocation(), ruleId == RuleIds.PlainSecret
                    ? "This string is not a secret reference; give vault://mount/path#key, sops://file#key, env://NAME or file:///path instead of the value itself."
                    : $"'{text}' is not a valid {format}: {why}."));
            }
        }

        private static void AnalyzeAssignment(ISimpleAssignmentOperation assignment, Func<IPropertySymbol, (double Minimum, double Maximum)?> rangeOf, Action<Diagnostic> report)
        {
            if (assignment.Target is not IPropertyReferenceOperation { Property: var property }
                || !TryNumber(assignment.Value, out var number)
                || rangeOf(property) is not { } range)
            {
                return;
            }
            var (minimum, maximum) = range;
            if ((!double.IsNaN(minimum) && number < minimum) || (!double.IsNaN(maximum) && number > maximum))
            {
                var wanted = double.IsNaN(maximum) ? $"at least {Show(minimum)}" : double.IsNaN(minimum) ? $"at most {Show(maximum)}" : $"between {Show(minimum)} and {Show(maximum)}";
                report(Diagnostic.Create(DiagnosticDescriptors.OutOfRange, assignment.Value.Syntax.GetLocation(),
                    $"Setting '{property.Name}' is {Show(number)}, but the schema wants a value {wanted}."));
            }
        }

        private static (double Minimum, double Maximum)? Range(IPropertySymbol property, INamedTypeSymbol rangeAttribute)
        {
            foreach (var attribute in property.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, rangeAttribute) && attribute.ConstructorArguments.Length == 2)
                {
                    return (attribute.ConstructorArguments[0].Value is double min ? min : double.NaN,
                            attribute.ConstructorArguments[1].Value is double max ? max : double.NaN);
                }
            }
            return null;
        }

        // The whole value, only when the compiler folds it to a constant (a literal, a const, a constant
        // interpolation). Anything else — an interpolation with holes, a switch over constants, a call —
        // is not a constant and is left to the run-time check.
        private static string? Constant(IOperation value)
        {
            var folded = value.ConstantValue;
            return folded.HasValue && folded.Value is string s ? s : null;
        }

        private static bool TryNumber(IOperation value, out double number)
        {
            number = 0;
            var folded = value.ConstantValue;
            if (!folded.HasValue || folded.Value is null)
            {
                return false;
            }
            switch (folded.Value)
            {
                case int i: number = i; return true;
                case long l: number = l; return true;
                case double d: number = d; return true;
                case float f: number = f; return true;
                case short s: number = s; return true;
                case byte b: number = b; return true;
                case uint u: number = u; return true;
                case decimal m: number = (double)m; return true;
                default: return false;
            }
        }

        private static (string Format, string RuleId)? Marker(ITypeSymbol type, INamedTypeSymbol checkedAttribute)
        {
            foreach (var attribute in type.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, checkedAttribute)
                    && attribute.ConstructorArguments.Length == 2
                    && attribute.ConstructorArguments[0].Value is string format
                    && attribute.ConstructorArguments[1].Value is string ruleId)
                {
                    return (format, ruleId);
                }
            }
            return null;
        }

        private static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    }
}

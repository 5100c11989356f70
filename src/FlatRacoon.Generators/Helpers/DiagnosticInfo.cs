using System.Linq;
using Microsoft.CodeAnalysis;

namespace FlatRacoon.Generators.Helpers
{
    /// <summary>A diagnostic as an equatable value: descriptor, location value and message arguments.</summary>
    internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> Arguments)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments) =>
            new(descriptor, location, new EquatableArray<string>(arguments));

        public bool IsError => Descriptor.DefaultSeverity == DiagnosticSeverity.Error;

        public Diagnostic ToDiagnostic() =>
            Diagnostic.Create(Descriptor, Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None, Arguments.Cast<object>().ToArray());
    }
}

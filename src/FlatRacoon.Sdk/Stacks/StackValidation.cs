using System.Collections.Generic;
using FlatRacoon.Stacks.Rules;

namespace FlatRacoon;

/// <summary>
/// Runs the topology rules on a frozen stack: its modules, bindings, waits, configuration (as
/// <see cref="IModuleConfig.WriteJson"/> writes it) and environment. The build runs the same
/// rules on every environment (build-time evaluation); <c>validate</c> and the MCP server report them.
/// </summary>
public static class StackValidation
{
    /// <summary>Every finding of every rule, errors and warnings (<see cref="StackFinding.IsError"/> tells which), in a stable order.</summary>
    /// <remarks>Each finding's <see cref="StackFinding.Location"/> is the declaring line when known: the
    /// module's Add call, the call that last set its configuration for a setting's finding, the provider
    /// argument or <c>WaitFor</c> that crossed a layer or closed a cycle.</remarks>
    public static IReadOnlyList<StackFinding> Validate(this Stack stack) => StackRules.Check(stack);

    /// <summary>Whether a finding fails validation (FR3xxx immutability findings are warnings).</summary>
    public static bool IsError(StackFinding finding) => finding.IsError;
}

using System;
using System.Collections.Generic;

namespace FlatRacoon;

/// <summary>
/// What a topology rule found in a stack, where it was declared, and the modules involved.
/// <see cref="Stack.Issues"/> holds the findings that make a stack impossible to deploy (missing
/// providers, cycles, duplicates); <see cref="StackValidation.Validate"/> returns every finding of
/// every rule. The message never carries a secret value.
/// </summary>
public sealed class StackFinding
{
    /// <summary>Creates a finding.</summary>
    public StackFinding(string ruleId, string module, string message, SourceLocation location, IReadOnlyList<string>? chain = null, string? capability = null)
    {
        RuleId = ruleId;
        Module = module;
        Message = message;
        Location = location;
        Chain = chain ?? (module.Length > 0 ? new[] { module } : Array.Empty<string>());
        Capability = capability;
    }

    /// <summary>The rule (FRxxxx; see docs/rules).</summary>
    public string RuleId { get; }

    /// <summary>The module concerned ("" for the stack itself).</summary>
    public string Module { get; }

    /// <summary>Plain-words message: what is wrong and how to fix it.</summary>
    public string Message { get; }

    /// <summary>
    /// The declaring line, when known: the module's Add call, the call that last set its
    /// configuration for a setting's finding, the provider argument or <c>WaitFor</c> that closed a
    /// cycle or crossed a layer.
    /// </summary>
    public SourceLocation Location { get; }

    /// <summary>The modules involved: a cycle (first module repeated last), or the modules that need a missing capability, outermost first.</summary>
    public IReadOnlyList<string> Chain { get; }

    /// <summary>The capability concerned, if any.</summary>
    public string? Capability { get; }

    /// <summary>Whether the finding fails validation; FR3xxx immutability findings are warnings.</summary>
    public bool IsError => !RuleId.StartsWith("FR3", StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => $"{RuleId}: {Message}";
}

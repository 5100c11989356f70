using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using FlatRacoon.Narration;
using static FlatRacoon.StackProgram;

namespace FlatRacoon.Cli.Commands;

/// <summary>
/// <c>validate</c>: the topology rules, the same ones the build runs (one engine, shared with the
/// analyzers): providers, cycles, layering, the IPFS overlay binding, IPv4 in an IPv6-only stack,
/// duplicates, plain secrets, public IPFS exposure, unpinned images and malformed literals.
/// </summary>
public sealed class ValidateCommand : IStackCommand
{
    /// <inheritdoc />
    public string Name => "validate";
    /// <inheritdoc />
    public string Summary => "Check the topology with the build's rules (FR0101-FR3001); exit 1 on any error.";
    /// <inheritdoc />
    public IReadOnlyList<string> Positionals { get; } = new string[0];
    /// <inheritdoc />
    public IReadOnlyList<CommandOption> Options { get; } = new CommandOption[0];
    /// <inheritdoc />
    public bool NeedsValidStack => false;

    /// <inheritdoc />
    public Task<int> RunAsync(CommandContext context) => Task.FromResult(Report(context));

    /// <summary>Narrates every finding of the stack; returns the exit code.</summary>
    internal static int Report(CommandContext context)
    {
        var stack = context.Stack;
        var findings = stack.Validate();
        foreach (var finding in findings)
        {
            var severity = StackValidation.IsError(finding) ? "error" : "warning";
            var chain = finding.Chain;
            context.Narrator.Narrate(new NarrationEvent("validate.issue", $"{finding.RuleId} {severity} {finding.Module}: {finding.Message}",
                new Dictionary<string, object?> { ["rule"] = finding.RuleId, ["severity"] = severity, ["module"] = finding.Module, ["chain"] = chain }));
        }
        var errors = findings.Count(StackValidation.IsError);
        if (errors > 0)
        {
            context.Narrator.Narrate(new NarrationEvent("validate.done", $"Stack '{stack.Name}' is not valid: {Plural(errors, "error")}.",
                new Dictionary<string, object?> { ["valid"] = false, ["issues"] = errors, ["warnings"] = findings.Count - errors }));
            return Failed;
        }
        var warnings = findings.Count - errors;
        var warningText = warnings > 0 ? $", {Plural(warnings, "warning")}" : "";
        context.Narrator.Narrate(new NarrationEvent("validate.done",
            $"Stack '{stack.Name}' is valid: {Plural(stack.Modules.Length, "module")} in {Plural(stack.Waves.Length, "wave")}, every capability has a provider, no cycles{warningText}.",
            new Dictionary<string, object?> { ["valid"] = true, ["modules"] = stack.Modules.Length, ["waves"] = stack.Waves.Length, ["warnings"] = warnings }));
        return Ok;
    }
}

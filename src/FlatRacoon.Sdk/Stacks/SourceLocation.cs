using System;
using System.IO;

namespace FlatRacoon;

/// <summary>
/// Where in the stack's source a declaration was made: captured by the generated <c>Add&lt;Module&gt;</c>
/// methods and by <c>WithConfig</c>, <c>WaitFor</c>, <c>WithNamespace</c> (caller file and line), so a
/// finding of the build-time evaluation points at the line that declared it.
/// </summary>
/// <param name="File">The source file's full path as the compiler saw it; empty when unknown.</param>
/// <param name="Line">1-based line; 0 when unknown.</param>
public readonly record struct SourceLocation(string File, int Line)
{
    /// <summary>No location.</summary>
    public static SourceLocation None => default;

    /// <summary>Whether a file and line are known.</summary>
    public bool IsKnown => !string.IsNullOrEmpty(File) && Line > 0;

    /// <summary><c>file(line)</c>, the file name only; empty when unknown.</summary>
    public override string ToString() => IsKnown ? $"{Path.GetFileName(File)}({Line})" : "";

    /// <summary>MSBuild's canonical error format (<c>path(line,1): error FRxxxx: message</c>).</summary>
    internal string Canonical(string severity, string ruleId, string message) =>
        (IsKnown ? $"{File}({Line},1)" : "FlatRacoon") + $": {severity} {ruleId}: {message.Replace(Environment.NewLine, " ").Replace('\n', ' ')}";
}

/// <summary>
/// A declaration that cannot stand: thrown at the call that made it (a bad stack name or namespace,
/// a module that waits for itself, a module of another stack passed as a provider, a setting value that
/// breaks its schema). Carries the rule id (<c>FRxxxx</c>) and the declaring line, so the build-time
/// evaluation reports it as a build error there and the program prints one line, not a stack trace.
/// </summary>
public class StackDeclarationException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public StackDeclarationException(string ruleId, string message, SourceLocation location = default, string? paramName = null)
        : base(message, paramName)
    {
        RuleId = ruleId;
        Location = location;
    }

    /// <summary>The rule broken (FRxxxx).</summary>
    public string RuleId { get; }

    /// <summary>Where the declaration was made, when known.</summary>
    public SourceLocation Location { get; internal set; }

    /// <summary>The message without the parameter-name suffix <see cref="ArgumentException"/> adds.</summary>
    public string Reason => base.Message.Replace($" (Parameter '{ParamName}')", "", StringComparison.Ordinal);
}

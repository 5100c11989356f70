using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using FlatRacoon.Topology;

namespace FlatRacoon.Cli;

/// <summary>
/// The build-time evaluation of a stack program (the third layer of the compile-time guarantee):
/// after compiling, the build runs the program with <c>FLATRACOON_EVALUATE</c> set; the stack
/// program then evaluates its declaration for every environment of <see cref="EnvironmentCatalog"/>
/// instead of running a command, and prints every whole-stack finding in MSBuild's canonical
/// format at the line that declared it, which makes it a build error there. It contacts no cluster
/// and resolves no secret. See docs/concepts/compile-time-guarantees.md.
/// </summary>
public static class BuildEvaluation
{
    /// <summary>The variable the build sets when it runs the program to evaluate it.</summary>
    public const string Variable = "FLATRACOON_EVALUATE";

    private static int s_installed;
    private static int s_evaluated;

    /// <summary>Whether this process was started by the build to evaluate the declaration.</summary>
    public static bool IsRequested => !string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable(Variable));

    /// <summary>
    /// In an evaluation run, turns an exception thrown before the program reaches <c>RunAsync</c>
    /// (a declaration written straight into <c>Main</c>) into a build error at its line, and warns when
    /// the program ends without evaluating anything. Called when the generated code registers the modules.
    /// </summary>
    internal static void InstallIfRequested()
    {
        if (!IsRequested || System.Threading.Interlocked.Exchange(ref s_installed, 1) == 1)
        {
            return;
        }
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (e.ExceptionObject is Exception exception)
            {
                Console.Out.WriteLine(Describe(exception, environment: null));
                Console.Out.Flush();
                System.Environment.Exit(1);
            }
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (System.Threading.Volatile.Read(ref s_evaluated) == 0)
            {
                Console.Out.WriteLine($"FlatRacoon: warning {RuleIds.DeclarationFailed}: the program ended without calling StackProgram.RunAsync, so no stack declaration was evaluated at build time.");
            }
        };
    }

    /// <summary>Evaluates <paramref name="declare"/> for every known environment; writes the findings; returns 1 when any is an error.</summary>
    public static int Run(Func<StackEnvironment, StackBuilder> declare, TextWriter output)
    {
        if (declare is null)
        {
            throw new ArgumentNullException(nameof(declare));
        }
        return Report(EnvironmentCatalog.All.Select(environment => (environment.Name, Evaluate(() => declare(environment), environment.Name))), output);
    }

    /// <summary>Evaluates one builder already declared (the single-environment <c>stack.RunAsync(args)</c> shape).</summary>
    public static int Run(StackBuilder builder, TextWriter output)
    {
        if (builder is null)
        {
            throw new ArgumentNullException(nameof(builder));
        }
        return Report(new[] { (builder.Environment.Name, Evaluate(() => builder, builder.Environment.Name)) }, output);
    }

    private static List<Finding> Evaluate(Func<StackBuilder> declare, string environment)
    {
        System.Threading.Interlocked.Exchange(ref s_evaluated, 1);
        var findings = new List<Finding>();
        StackBuilder builder;
        try
        {
            builder = declare();
        }
        catch (Exception e)
        {
            findings.Add(FromException(e));
            return findings;
        }
        Stack stack;
        try
        {
            stack = builder.Freeze();
        }
        catch (Exception e)
        {
            findings.Add(FromException(e));
            return findings;
        }
        foreach (var finding in stack.Validate())
        {
            findings.Add(new Finding(finding.Location.IsKnown ? finding.Location : stack.DeclaredAt, finding.IsError, finding.RuleId, finding.Message));
        }
        return findings;
    }

    // The same finding in several environments is one build error that names them.
    private static int Report(IEnumerable<(string Environment, List<Finding> Findings)> results, TextWriter output)
    {
        var grouped = new List<(Finding Finding, List<string> Environments)>();
        var all = results.ToList();
        foreach (var (environment, findings) in all)
        {
            foreach (var finding in findings)
            {
                var existing = grouped.FindIndex(g => g.Finding == finding);
                if (existing >= 0)
                {
                    grouped[existing].Environments.Add(environment);
                }
                else
                {
                    grouped.Add((finding, new List<string> { environment }));
                }
            }
        }
        var environmentCount = all.Count;
        foreach (var (finding, environments) in grouped)
        {
            var where = environmentCount > 1
                ? environments.Count == environmentCount ? " [every environment]" : $" [environment {string.Join(", ", environments)}]"
                : "";
            output.WriteLine(finding.At.Canonical(finding.IsError ? "error" : "warning", finding.RuleId, finding.Message + where));
        }
        output.Flush();
        return grouped.Any(g => g.Finding.IsError) ? StackProgram.Failed : StackProgram.Ok;
    }

    private static Finding FromException(Exception e)
    {
        if (e is StackDeclarationException declaration)
        {
            return new Finding(declaration.Location.IsKnown ? declaration.Location : UserFrame(e), true, declaration.RuleId, declaration.Reason);
        }
        // Any other exception: where the user's code threw it, without the stack trace.
        return new Finding(UserFrame(e), true, RuleIds.DeclarationFailed,
            $"The stack declaration threw {e.GetType().Name}: {e.Message}");
    }

    private static string Describe(Exception e, string? environment)
    {
        var finding = FromException(e);
        return finding.At.Canonical("error", finding.RuleId, finding.Message + (environment is null ? "" : $" [environment {environment}]"));
    }

    // The innermost frame with a source file outside this SDK: the line of the user's code that threw.
    private static SourceLocation UserFrame(Exception e)
    {
        foreach (var frame in new StackTrace(e, fNeedFileInfo: true).GetFrames())
        {
            var file = frame.GetFileName();
            if (!string.IsNullOrEmpty(file) && frame.GetMethod()?.DeclaringType?.Assembly != typeof(BuildEvaluation).Assembly)
            {
                return new SourceLocation(file!, frame.GetFileLineNumber());
            }
        }
        return default;
    }

    private readonly record struct Finding(SourceLocation At, bool IsError, string RuleId, string Message);
}

using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FlatRacoon.Cli;
using FlatRacoon.Cli.Commands;
using FlatRacoon.Deployment;
using FlatRacoon.Narration;
using FlatRacoon.Rendering;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace FlatRacoon.Mcp;

/// <summary>
/// The MCP tools of a stack program: each runs the stack program's own command in process (the
/// same code, the same redaction) and answers its text. <c>apply</c> and <c>rollback</c> are
/// listed always but refuse unless the server was started with <c>--allow-writes</c>; no tool
/// answers a secret value (commands redact, and <c>get_object</c> blanks every Secret's data).
/// </summary>
public sealed class StackMcpTools
{
    /// <summary>What a refused write answers.</summary>
    public const string WritesRefused = "refused: this MCP server is read-only; start it with 'mcp --allow-writes' to let agents apply or roll back.";

    private readonly CommandContext _outer;
    private readonly bool _allowWrites;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <summary>Creates the tools for the stack of <paramref name="outer"/> (its connection options are passed on to cluster commands).</summary>
    public StackMcpTools(CommandContext outer, bool allowWrites)
    {
        _outer = outer;
        _allowWrites = allowWrites;
    }

    /// <summary>The tools, in a stable order.</summary>
    public IReadOnlyList<McpServerTool> Create() => new[]
    {
        Tool("validate", "Check the stack against every FlatRacoon rule (topology, IPv6, secrets, settings); lists findings with their rule ids.", true,
            (CancellationToken c) => RunAsync(new ValidateCommand(), c)),
        Tool("graph", "The stack's modules, the capabilities each provides and requires, and the deployment waves. format: 'text' (default) or 'dot'.", true,
            (string? format = null, CancellationToken c = default) => RunAsync(new GraphCommand(), c, format is null ? null : new() { ["--format"] = format })),
        Tool("explain", "The stack in plain words: each wave, each module's layer, needs, provisions and endpoints.", true,
            (CancellationToken c) => RunAsync(new ExplainCommand(), c)),
        Tool("plan", "What 'apply' would change in the cluster (server-side dry run), object by object. Reads only.", true,
            (CancellationToken c) => RunAsync(new PlanCommand(), c, Connection())),
        Tool("status", "The stack's current revision in the cluster and whether each object is present and ready.", true,
            (CancellationToken c) => RunAsync(new StatusCommand(), c, Connection())),
        Tool("history", "The stack's revisions in the cluster: number, time, user, what changed.", true,
            (CancellationToken c) => RunAsync(new HistoryCommand(), c, Connection())),
        Tool("get_object", "One object of the rendered stack by kind and name (namespace optional), as JSON. Secret values are never shown.", true,
            (string kind, string name, string? @namespace = null) => GetObject(kind, name, @namespace)),
        Tool("apply", "Apply the stack to the cluster wave by wave and record a revision. Only when the server runs with --allow-writes.", false,
            (CancellationToken c) => _allowWrites ? RunAsync(new ApplyCommand(), c, Connection()) : Task.FromResult(Refused())),
        Tool("rollback", "Return the cluster to an earlier revision (see 'history'). Only when the server runs with --allow-writes.", false,
            (int revision, CancellationToken c) => _allowWrites
                ? RunAsync(new RollbackCommand(), c, Connection(new() { ["--to"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture) }))
                : Task.FromResult(Refused())),
    };

    private static McpServerTool Tool(string name, string description, bool readOnly, Delegate body) =>
        McpServerTool.Create(body, new McpServerToolCreateOptions
        {
            Name = name,
            Description = description,
            ReadOnly = readOnly,
            Destructive = !readOnly,
            Idempotent = readOnly,
            OpenWorld = false,
        });

    private static CallToolResult Refused() => Text(WritesRefused, error: true);

    private static CallToolResult Text(string text, bool error) => new()
    {
        Content = new List<ContentBlock> { new TextContentBlock { Text = text } },
        IsError = error,
    };

    private Dictionary<string, string?> Connection(Dictionary<string, string?>? more = null)
    {
        var options = more ?? new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var option in new[] { ClusterCommandSupport.Kubeconfig.Name, ClusterCommandSupport.Context.Name })
        {
            if (_outer.Arguments.Value(option) is { } value)
            {
                options[option] = value;
            }
        }
        return options;
    }

    /// <summary>Runs one command of the stack program with its output captured; one at a time (the commands share the stack).</summary>
    private async Task<CallToolResult> RunAsync(IStackCommand command, CancellationToken cancellation, Dictionary<string, string?>? options = null)
    {
        await _oneAtATime.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            var output = new StringWriter();
            var error = new StringWriter();
            var arguments = new ParsedArguments(options ?? new Dictionary<string, string?>(StringComparer.Ordinal), Array.Empty<string>());
            var context = new CommandContext(_outer.Builder, _outer.Stack, arguments, new TextNarrator(output), output, error, cancellation);
            int code;
            if (command.NeedsValidStack && (_outer.Stack.Issues.Count > 0 || _outer.Stack.Validate().Any(StackValidation.IsError)))
            {
                ValidateCommand.Report(context);
                code = StackProgram.Failed;
            }
            else
            {
                code = await command.RunAsync(context).ConfigureAwait(false);
            }
            var text = (output.ToString() + error.ToString()).TrimEnd();
            return Text(text.Length == 0 ? $"{command.Name}: done (exit code {code})." : text, code != StackProgram.Ok);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private CallToolResult GetObject(string kind, string name, string? @namespace)
    {
        var set = ClusterCommandSupport.Render(_outer);
        var matches = set.Objects
            .Where(o => string.Equals(o.Kind, kind, StringComparison.OrdinalIgnoreCase) && KubeObject.Name(o.Body) == name
                && (@namespace is null || KubeObject.Namespace(o.Body) == @namespace))
            .ToArray();
        if (matches.Length == 0)
        {
            return Text($"no {kind} named '{name}'{(@namespace is null ? "" : $" in namespace '{@namespace}'")} in the rendered stack.", error: true);
        }
        if (matches.Length > 1)
        {
            return Text($"{matches.Length} objects match; give the namespace: {string.Join(", ", matches.Select(m => KubeObject.Namespace(m.Body)))}.", error: true);
        }
        var body = (JsonObject)matches[0].Body.DeepClone();
        if (KubeObject.Kind(body) == "Secret")
        {
            foreach (var field in new[] { "data", "stringData" })
            {
                if (body[field] is JsonObject values)
                {
                    foreach (var key in values.Select(p => p.Key).ToArray())
                    {
                        values[key] = "(redacted)";
                    }
                }
            }
        }
        var json = body.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        return Text(set.Redactor.Redact(json), error: false);
    }
}

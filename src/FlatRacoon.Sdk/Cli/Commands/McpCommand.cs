using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using FlatRacoon.Dashboard;
using FlatRacoon.Deployment;
using FlatRacoon.Mcp;
using FlatRacoon.Narration;
using FlatRacoon.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using static FlatRacoon.StackProgram;

namespace FlatRacoon.Cli.Commands;

/// <summary>
/// <c>mcp</c>: the stack as an MCP server (docs/commands/mcp.md): over stdio for an agent on this
/// machine, or over streamable HTTP (<c>--http PORT</c>) in the cluster, where it also serves
/// <c>/status</c> (the dashboard's snapshot) and <c>/healthz</c>.
/// </summary>
public sealed class McpCommand : IStackCommand
{
    private static readonly CommandOption AllowWrites = new("--allow-writes", null, "let agents call apply and rollback (refused otherwise)");
    private static readonly CommandOption Http = new("--http", "port", "serve streamable HTTP on this port (/mcp, /status, /healthz) instead of stdio");
    private static readonly CommandOption Listen = new("--listen", "address", "address for --http (default 127.0.0.1; '::' in a container)");
    private static readonly CommandOption Tools = new("--tools", "set", "which tools: stack (default, all), observability (poly-observability-mcp), secrets (poly-secret-mcp)");

    /// <inheritdoc />
    public string Name => "mcp";
    /// <inheritdoc />
    public string Summary => "Serve the stack's tools to agents over MCP (stdio, or --http); read-only unless --allow-writes.";
    /// <inheritdoc />
    public IReadOnlyList<string> Positionals { get; } = new string[0];
    /// <inheritdoc />
    public IReadOnlyList<CommandOption> Options { get; } = new[] { ClusterCommandSupport.Kubeconfig, ClusterCommandSupport.Context, AllowWrites, Http, Listen, Tools };
    /// <inheritdoc />
    public bool NeedsValidStack => false;

    /// <inheritdoc />
    public async Task<int> RunAsync(CommandContext context)
    {
        int? port;
        IPAddress address = IPAddress.Loopback;
        var set = context.Arguments.Value(Tools.Name) ?? "stack";
        try
        {
            if (!McpToolSets.Names.Contains(set, StringComparer.Ordinal))
            {
                throw new UsageException($"--tools takes {string.Join(", ", McpToolSets.Names)}, not '{set}'.");
            }
            if (set != "stack" && context.Arguments.Flag(AllowWrites.Name))
            {
                throw new UsageException($"--allow-writes needs --tools stack: the {set} tools never write.");
            }
            port = ClusterCommandSupport.Number(context, Http.Name);
            if (port > 65535)
            {
                throw new UsageException($"--http takes a port number (1-65535), not '{port}'.");
            }
            if (context.Arguments.Value(Listen.Name) is { } listen && !IPAddress.TryParse(listen, out address!))
            {
                throw new UsageException($"--listen takes an IP address, not '{listen}'.");
            }
        }
        catch (UsageException e)
        {
            context.Error.WriteLine($"error: {e.Message}");
            return Usage;
        }
        // A kubeconfig or context named on the command line must load: the cluster tools would otherwise fail on every call.
        var kubeconfig = context.Arguments.Value(ClusterCommandSupport.Kubeconfig.Name);
        var kubeContext = context.Arguments.Value(ClusterCommandSupport.Context.Name);
        if (kubeconfig is not null || kubeContext is not null)
        {
            try
            {
                KubeconfigResolver.Resolve(kubeconfig, kubeContext);
            }
            catch (KubeconfigException e)
            {
                context.Error.WriteLine($"error: {e.Message}");
                return Failed;
            }
        }
        var tools = McpToolSets.Create(set, context, context.Arguments.Flag(AllowWrites.Name));
        var info = new Implementation { Name = $"flatracoon-{context.Stack.Name}", Version = typeof(McpCommand).Assembly.GetName().Version?.ToString(3) ?? "0" };
        var instructions = McpToolSets.Instructions(set);
        if (port is null)
        {
            return await RunStdioAsync(context, tools, info, instructions).ConfigureAwait(false);
        }
        return await RunHttpAsync(context, tools, info, instructions, address, port.Value, serveStatus: set != "secrets").ConfigureAwait(false);
    }

    private static async Task<int> RunStdioAsync(CommandContext context, IReadOnlyList<McpServerTool> tools, Implementation info, string instructions)
    {
        var options = new McpServerOptions
        {
            ServerInfo = info,
            ServerInstructions = instructions,
            ToolCollection = new McpServerPrimitiveCollection<McpServerTool>(),
        };
        foreach (var tool in tools)
        {
            options.ToolCollection.Add(tool);
        }
        // Standard output is the protocol channel: nothing else may write to it from here on.
        await using var transport = new StdioServerTransport(options);
        await using var server = McpServer.Create(transport, options);
        try
        {
            await server.RunAsync(context.Cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
        {
        }
        return Ok;
    }

    private static async Task<int> RunHttpAsync(CommandContext context, IReadOnlyList<McpServerTool> tools, Implementation info, string instructions, IPAddress address, int port, bool serveStatus)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(address, port));
        builder.Services.AddMcpServer(o =>
        {
            o.ServerInfo = info;
            o.ServerInstructions = instructions;
        }).WithHttpTransport(t => t.Stateless = true).WithTools(tools);
        KubeApiClient? api = null;
        try
        {
            api = KubeconfigResolver.Connect(context.Arguments.Value(ClusterCommandSupport.Kubeconfig.Name), context.Arguments.Value(ClusterCommandSupport.Context.Name),
                new RetryPolicy { MaxAttempts = 1, RequestTimeout = TimeSpan.FromSeconds(5) });
        }
        catch (KubeconfigException e) when (context.Arguments.Value(ClusterCommandSupport.Kubeconfig.Name) is not null)
        {
            // A kubeconfig named on the command line that cannot be used is a mistake, not "no cluster".
            context.Error.WriteLine($"error: {e.Message}");
            return Failed;
        }
        catch (Exception e) when (e is KubeconfigException or k8s.Exceptions.KubeConfigException or System.IO.IOException or k8s.Exceptions.KubernetesClientException)
        {
            // The declaration tools still work; /status says why it has nothing.
            context.Error.WriteLine($"warning: no cluster for /status and the cluster tools: {e.Message}");
        }
        using (api)
        {
            var app = builder.Build();
            app.MapMcp("/mcp");
            app.MapGet("/healthz", () => Results.Text("ok\n", "text/plain"));
            // The secrets set's RBAC grants no workload reads: it serves no /status.
            var reader = api is null || !serveStatus ? null : new StackStatusReader(api, context.Stack, ClusterCommandSupport.Render(context));
            app.MapGet("/status", async (HttpContext http) =>
            {
                if (reader is null)
                {
                    return Results.Problem(serveStatus ? "no cluster connection" : "this server (--tools secrets) serves no /status", statusCode: serveStatus ? 503 : 404);
                }
                return Results.Text(SnapshotJson.Write(await reader.ReadAsync(http.RequestAborted).ConfigureAwait(false)), "application/json");
            });
            try
            {
                await app.StartAsync(context.Cancellation).ConfigureAwait(false);
            }
            catch (System.IO.IOException e) when (e is not System.IO.FileNotFoundException and not System.IO.FileLoadException)
            {
                context.Error.WriteLine($"error: cannot listen on {address}:{port}: {e.Message}");
                return Failed;
            }
            context.Narrator.Narrate(new NarrationEvent("mcp.http", $"MCP server of stack '{context.Stack.Name}' on http://{(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString())}:{port}/mcp (status on /status).",
                new Dictionary<string, object?> { ["port"] = port }));
            try
            {
                await Task.Delay(System.Threading.Timeout.Infinite, context.Cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
        return Ok;
    }
}

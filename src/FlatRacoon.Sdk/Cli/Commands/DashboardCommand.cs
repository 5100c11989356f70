using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using FlatRacoon.Dashboard;
using FlatRacoon.Deployment;
using FlatRacoon.Narration;
using FlatRacoon.Observability;
using static FlatRacoon.StackProgram;

namespace FlatRacoon.Cli.Commands;

/// <summary><c>dashboard</c>: the live network dashboard on loopback, against the current kubeconfig (docs/commands/dashboard.md).</summary>
public sealed class DashboardCommand : IStackCommand
{
    private static readonly CommandOption Port = new("--port", "n", "port on 127.0.0.1 (default: a free one)");
    private static readonly CommandOption Refresh = new("--refresh", "ms", "time between two reads of the cluster (default 1000)");

    /// <inheritdoc />
    public string Name => "dashboard";
    /// <inheritdoc />
    public string Summary => "Serve the live network dashboard on loopback and print its URL (Ctrl+C stops it).";
    /// <inheritdoc />
    public IReadOnlyList<string> Positionals { get; } = new string[0];
    /// <inheritdoc />
    public IReadOnlyList<CommandOption> Options { get; } = new[] { ClusterCommandSupport.Kubeconfig, ClusterCommandSupport.Context, Port, Refresh };
    /// <inheritdoc />
    public bool NeedsValidStack => true;

    /// <inheritdoc />
    public async Task<int> RunAsync(CommandContext context)
    {
        int port;
        TimeSpan refresh;
        try
        {
            port = ClusterCommandSupport.Number(context, Port.Name) ?? 0;
            if (port > 65535)
            {
                throw new UsageException($"--port takes a port number (1-65535), not '{port}'.");
            }
            refresh = TimeSpan.FromMilliseconds(ClusterCommandSupport.Number(context, Refresh.Name) ?? 1000);
        }
        catch (UsageException e)
        {
            context.Error.WriteLine($"error: {e.Message}");
            return Usage;
        }
        KubeApiClient api;
        try
        {
            // No retries: a live view shows a failure at once and reads again on the next refresh.
            api = KubeconfigResolver.Connect(context.Arguments.Value(ClusterCommandSupport.Kubeconfig.Name), context.Arguments.Value(ClusterCommandSupport.Context.Name),
                new RetryPolicy { MaxAttempts = 1, RequestTimeout = TimeSpan.FromSeconds(5) });
        }
        catch (Exception e) when (e is KubeconfigException or k8s.Exceptions.KubeConfigException or System.IO.IOException or k8s.Exceptions.KubernetesClientException)
        {
            context.Error.WriteLine($"error: cannot reach a cluster: {e.Message}");
            return Failed;
        }
        using (api)
        {
            var reader = new StackStatusReader(api, context.Stack, ClusterCommandSupport.Render(context));
            DashboardServer server;
            try
            {
                server = await DashboardServer.StartAsync(reader, new DashboardServerOptions { Port = port, Refresh = refresh }, context.Cancellation).ConfigureAwait(false);
            }
            catch (System.IO.IOException e) when (e is not System.IO.FileNotFoundException and not System.IO.FileLoadException)
            {
                context.Error.WriteLine($"error: cannot listen on 127.0.0.1:{port}: {e.Message}");
                return Failed;
            }
            await using (server.ConfigureAwait(false))
            {
                context.Narrator.Narrate(new NarrationEvent("dashboard.url", $"Dashboard of stack '{context.Stack.Name}': {server.Url}",
                    new Dictionary<string, object?> { ["url"] = server.Url.ToString() }));
                context.Narrator.Narrate(new NarrationEvent("dashboard.hint", "Press Ctrl+C to stop."));
                await server.RunUntilCancelledAsync(context.Cancellation).ConfigureAwait(false);
            }
        }
        return Ok;
    }
}

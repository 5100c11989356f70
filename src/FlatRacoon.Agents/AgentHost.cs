using System;
using System.IO;
using System.Net;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FlatRacoon.Agents;

/// <summary>The answer of <c>/healthz</c>: healthy or not, and one line per check.</summary>
/// <param name="Healthy">200 when true, 503 when false.</param>
/// <param name="Text">What was checked, one line each.</param>
public sealed record HealthAnswer(bool Healthy, string Text);

/// <summary>
/// Runs an agent: <c>/healthz</c> and <c>/metrics</c> on every address (IPv6 and IPv4) at
/// <c>$PORT</c> (8080), its work loop beside them, until SIGTERM (Kubernetes stopping the pod) or
/// Ctrl+C. A bad setting is one line on stderr and exit code 2, never a stack trace.
/// </summary>
public static class AgentHost
{
    /// <summary>Exit code of a bad setting.</summary>
    public const int Usage = 2;

    /// <summary>
    /// Builds the agent with <paramref name="create"/> (which may throw <see cref="AgentSettingsException"/>)
    /// and serves it; returns the exit code.
    /// </summary>
    public static async Task<int> RunAsync(string name, Func<AgentSettings, IAgent> create, TextWriter stdout, TextWriter stderr)
    {
        var settings = AgentSettings.FromProcess();
        IAgent agent;
        int port;
        try
        {
            agent = create(settings);
            port = settings.Port();
        }
        catch (Exception e) when (e is AgentSettingsException or FlatRacoon.Cli.KubeconfigException)
        {
            await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return Usage;
        }

        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.IPv6Any, port, _ => { }));
        await using var app = builder.Build();
        app.MapGet("/healthz", async (CancellationToken cancellation) =>
        {
            var health = await agent.HealthAsync(cancellation).ConfigureAwait(false);
            return Results.Text(health.Text, "text/plain; charset=utf-8", statusCode: health.Healthy ? 200 : 503);
        });
        app.MapGet("/metrics", async (CancellationToken cancellation) =>
        {
            await agent.RefreshMetricsAsync(cancellation).ConfigureAwait(false);
            return Results.Text(agent.Metrics.Write(), AgentMetrics.ContentType);
        });
        await app.StartAsync(stop.Token).ConfigureAwait(false);
        await stdout.WriteLineAsync($"{name} serving /healthz and /metrics on port {port}").ConfigureAwait(false);
        await stdout.FlushAsync().ConfigureAwait(false);
        try
        {
            await agent.RunAsync(stdout, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        return 0;
    }

    /// <summary>Runs <paramref name="step"/> every <paramref name="interval"/> until cancelled; a failing step is reported and retried next time.</summary>
    public static async Task LoopAsync(TimeSpan interval, Func<CancellationToken, Task> step, TextWriter log, CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                await step(cancellation).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
            {
                await log.WriteLineAsync($"warning: {e.Message}").ConfigureAwait(false);
                await log.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
            await Task.Delay(interval, cancellation).ConfigureAwait(false);
        }
    }
}

/// <summary>An agent served by <see cref="AgentHost"/>.</summary>
public interface IAgent
{
    /// <summary>Its metrics.</summary>
    AgentMetrics Metrics { get; }

    /// <summary>The answer of <c>/healthz</c>.</summary>
    Task<HealthAnswer> HealthAsync(CancellationToken cancellation);

    /// <summary>Brings gauges that are measured on demand up to date before <c>/metrics</c> answers.</summary>
    Task RefreshMetricsAsync(CancellationToken cancellation);

    /// <summary>The work loop; returns when <paramref name="cancellation"/> fires.</summary>
    Task RunAsync(TextWriter log, CancellationToken cancellation);
}

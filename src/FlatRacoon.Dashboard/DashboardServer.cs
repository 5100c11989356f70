using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlatRacoon.Dashboard;

/// <summary>How the dashboard is served.</summary>
public sealed record DashboardServerOptions
{
    /// <summary>The address to listen on: loopback for the <c>dashboard</c> command, any in the cluster.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;
    /// <summary>The port; 0 picks a free one.</summary>
    public int Port { get; init; }
    /// <summary>Time between two reads of the source.</summary>
    public TimeSpan Refresh { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Serves the page (<c>/</c>), the snapshot stream (<c>/events</c>, server-sent events: one
/// <c>data:</c> line per change, the whole snapshot each time), the current snapshot as JSON
/// (<c>/status</c>) and <c>/healthz</c>. One loop reads the source every
/// <see cref="DashboardServerOptions.Refresh"/>; a snapshot is pushed only when it differs from
/// the last, so an idle stack sends nothing but keep-alive comments.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    private readonly WebApplication _app;
    private readonly IDashboardSource _source;
    private readonly DashboardServerOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _lock = new();
    private string _current;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;

    private DashboardServer(WebApplication app, IDashboardSource source, DashboardServerOptions options, string initial)
    {
        _app = app;
        _source = source;
        _options = options;
        _current = initial;
    }

    /// <summary>The page's address.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>The snapshot last pushed, as JSON.</summary>
    public string Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    /// <summary>Reads the source once, then starts serving; the returned server keeps reading until disposed.</summary>
    public static async Task<DashboardServer> StartAsync(IDashboardSource source, DashboardServerOptions? options = null, CancellationToken cancellation = default)
    {
        options ??= new DashboardServerOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(options.Address, options.Port));
        var app = builder.Build();
        var first = SnapshotJson.Write(await source.ReadAsync(cancellation).ConfigureAwait(false));
        var server = new DashboardServer(app, source, options, first);
        server.Map();
        await app.StartAsync(cancellation).ConfigureAwait(false);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var host = options.Address.Equals(IPAddress.Any) || options.Address.Equals(IPAddress.IPv6Any) ? "localhost" : address.Host;
        server.Url = new UriBuilder(address) { Host = host, Path = "/" }.Uri;
        server._loop = Task.Run(() => server.PollAsync(server._stop.Token));
        return server;
    }

    /// <summary>Waits until <paramref name="cancellation"/> fires (Ctrl+C), then stops.</summary>
    public async Task RunUntilCancelledAsync(CancellationToken cancellation)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Map()
    {
        _app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
            headers["X-Content-Type-Options"] = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            await next(context).ConfigureAwait(false);
        });
        _app.MapGet("/", () => Asset("index.html", "text/html; charset=utf-8"));
        _app.MapGet("/app.js", () => Asset("app.js", "text/javascript; charset=utf-8"));
        _app.MapGet("/app.css", () => Asset("app.css", "text/css; charset=utf-8"));
        _app.MapGet("/healthz", () => Results.Text("ok\n", "text/plain"));
        _app.MapGet("/status", () => Results.Text(Current, "application/json"));
        _app.MapGet("/events", StreamAsync);
    }

    private static IResult Asset(string name, string contentType)
    {
        using var stream = typeof(DashboardServer).Assembly.GetManifestResourceStream("FlatRacoon.Dashboard.wwwroot." + name)
            ?? throw new InvalidOperationException($"The dashboard asset '{name}' is not embedded.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Results.Text(reader.ReadToEnd(), contentType);
    }

    private async Task StreamAsync(HttpContext context)
    {
        var response = context.Response;
        response.Headers.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stop.Token);
        try
        {
            string? sent = null;
            while (!aborted.IsCancellationRequested)
            {
                Task changed;
                string current;
                lock (_lock)
                {
                    changed = _changed.Task;
                    current = _current;
                }
                if (!ReferenceEquals(current, sent))
                {
                    await response.WriteAsync("data: " + current + "\n\n", aborted.Token).ConfigureAwait(false);
                    await response.Body.FlushAsync(aborted.Token).ConfigureAwait(false);
                    sent = current;
                }
                var winner = await Task.WhenAny(changed, Task.Delay(KeepAlive, aborted.Token)).ConfigureAwait(false);
                if (winner != changed && !aborted.IsCancellationRequested)
                {
                    await response.WriteAsync(": keep-alive\n\n", aborted.Token).ConfigureAwait(false);
                    await response.Body.FlushAsync(aborted.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page went away or the server stops.
        }
        finally
        {
            aborted.Dispose();
        }
    }

    private async Task PollAsync(CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.Refresh, cancellation).ConfigureAwait(false);
                string json;
                try
                {
                    json = SnapshotJson.Write(await _source.ReadAsync(cancellation).ConfigureAwait(false));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A source should report problems in the snapshot; if one throws, the page says so and keeps the last state.
                    json = SnapshotJson.Write(SnapshotJson.Read(Current) with { Problem = $"cannot read the stack's state: {e.Message}" });
                }
                TaskCompletionSource? fire = null;
                lock (_lock)
                {
                    if (json != _current)
                    {
                        _current = json;
                        fire = _changed;
                        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                }
                fire?.TrySetResult();
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}

using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using FlatRacoon.Testing.Fake;

namespace FlatRacoon.Benchmarks;

/// <summary>
/// The FAKE API server a plan or apply benchmark talks to, either inside the benchmark's process
/// (<c>in-process</c>: what the process's CPU time shows is the client's and the fake's work together)
/// or as a process of its own (<c>process</c>: the standalone fake, as a real API server is another
/// process, so the benchmark's CPU time is the client's alone and the fake's is read from outside).
/// Requests and writes are counted by the fake in process, by the client's handler otherwise (the same
/// rule: <see cref="RecordedRequest.IsWrite"/>).
/// </summary>
public sealed class BenchFake : IAsyncDisposable
{
    private readonly FakeApiServer? _inProcess;
    private readonly Process? _process;
    private readonly Counter? _counter;

    private BenchFake(FakeApiServer? inProcess, Process? process, Counter? counter, Uri baseUri)
    {
        _inProcess = inProcess;
        _process = process;
        _counter = counter;
        BaseUri = baseUri;
    }

    /// <summary>Where the fake listens.</summary>
    public Uri BaseUri { get; }

    /// <summary>Whether the fake is a process of its own.</summary>
    public bool OutOfProcess => _process is not null;

    /// <summary>Requests the fake received so far.</summary>
    public long Requests => _inProcess?.Requests.Count ?? Interlocked.Read(ref _counter!.Requests);

    /// <summary>Persisted writes so far.</summary>
    public long Writes => _inProcess?.WriteCount ?? Interlocked.Read(ref _counter!.Writes);

    /// <summary>CPU time of the fake's own process so far (zero in process: it is inside the benchmark's).</summary>
    public TimeSpan Cpu
    {
        get
        {
            if (_process is null)
            {
                return TimeSpan.Zero;
            }
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>An HTTP client for the fake (counting requests when it is out of process).</summary>
    public HttpClient CreateHttpClient() => _counter is null ? new HttpClient() : new HttpClient(_counter, disposeHandler: false);

    /// <summary>"in-process" or "process".</summary>
    public static bool ParseMode(string text) => text switch
    {
        "in-process" => false,
        "process" => true,
        _ => throw new FormatException($"'{text}' is not a place for the fake: in-process or process."),
    };

    /// <summary>
    /// Starts the fake with every request answered after <paramref name="latencyMs"/> and workloads ready at once.
    /// A fake in its own process is warmed first with <see cref="WarmRounds"/> applies of <paramref name="warmObjects"/> objects
    /// of other stacks from another process (<c>warm-fake</c>), as a real API server is warm; the fake in the benchmark's
    /// process is not (its JIT is the process's).
    /// </summary>
    public static async Task<BenchFake> StartAsync(bool outOfProcess, int latencyMs, int warmObjects = 0)
    {
        if (!outOfProcess)
        {
            var fake = await FakeApiServer.StartAsync();
            fake.Options.ReadyDelay = TimeSpan.Zero;
            if (latencyMs > 0)
            {
                fake.Faults.Add(new FaultRule { When = _ => true, Latency = TimeSpan.FromMilliseconds(latencyMs) });
            }
            return new BenchFake(fake, null, null, fake.BaseUri);
        }
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"flatracoon-bench-{Environment.ProcessId}.kubeconfig");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "FlatRacoon.FakeApiServer.dll"), "--port", "0", "--kubeconfig", kubeconfig,
            "--ready-delay-ms", "0", "--latency-ms", latencyMs.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(a);
        }
        // A trace of the benchmark (dotnet-trace collect -- dotnet FlatRacoon.Benchmarks.dll ...) is the client's alone.
        ClientOnly(start);
        var process = Process.Start(start) ?? throw new InvalidOperationException("the fake API server did not start");
        try
        {
            var path = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2));
            var server = path is null ? null : Array.Find(File.ReadAllLines(path), l => l.TrimStart().StartsWith("server:", StringComparison.Ordinal));
            File.Delete(kubeconfig);
            if (server is null)
            {
                throw new InvalidOperationException("the fake API server printed no kubeconfig");
            }
            var uri = new Uri(server.Split("server:", 2)[1].Trim().TrimEnd('/') + "/");
            // Three warm-ups: after one, the fake's runtime still moved hundreds of methods to optimized
            // code during the next apply (0.1 s of its CPU in the timed apply, beside the client on 2 cores);
            // after three, a few dozen small ones are left (counted with DOTNET_JitStdOutFile).
            for (var round = 1; warmObjects > 0 && round <= WarmRounds; round++)
            {
                await WarmAsync(uri, warmObjects, $"warm-{round}");
                await SettledAsync(process);
            }
            return new BenchFake(null, process, new Counter(), uri);
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Leaves out of a helper process what observes the benchmark's own process: a trace's diagnostic port,
    /// and a list of the methods the JIT compiles (DOTNET_JitStdOutFile with DOTNET_JitDisasmSummary=1).
    /// </summary>
    private static void ClientOnly(ProcessStartInfo start)
    {
        foreach (var name in new[] { "DOTNET_DiagnosticPorts", "DOTNET_JitStdOutFile", "DOTNET_JitDisasmSummary" })
        {
            start.Environment.Remove(name);
        }
    }

    /// <summary>Applies of other stacks to a fake in its own process before the timed apply.</summary>
    public const int WarmRounds = 3;

    private static async Task WarmAsync(Uri server, int objects, string stack)
    {
        var warm = new ProcessStartInfo("dotnet") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "FlatRacoon.Benchmarks.dll"), "warm-fake", server.ToString(), objects.ToString(System.Globalization.CultureInfo.InvariantCulture), stack })
        {
            warm.ArgumentList.Add(a);
        }
        ClientOnly(warm);
        using var process = Process.Start(warm) ?? throw new InvalidOperationException("the warm-up of the fake did not start");
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"the warm-up of the fake failed: {error}");
        }
    }

    /// <summary>
    /// Waits until the fake is idle: its CPU time grows by less than 5 ms in 200 ms (its runtime compiles
    /// the code the warm-up made hot in the background for a while after it), at most 10 s.
    /// </summary>
    private static async Task SettledAsync(Process fake)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        fake.Refresh();
        var before = fake.TotalProcessorTime;
        while (DateTime.UtcNow < until)
        {
            await Task.Delay(200);
            fake.Refresh();
            var now = fake.TotalProcessorTime;
            if (now - before < TimeSpan.FromMilliseconds(5))
            {
                return;
            }
            before = now;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_inProcess is not null)
        {
            await _inProcess.DisposeAsync();
        }
        if (_process is not null)
        {
            // SIGTERM: the fake stops cleanly and releases its port.
            using (var kill = Process.Start("kill", new[] { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }))
            {
                await kill.WaitForExitAsync();
            }
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            _process.Dispose();
        }
        _counter?.Dispose();
    }

    /// <summary>Counts what the client sends, by the fake's own rule for a write.</summary>
    private sealed class Counter : DelegatingHandler
    {
        public long Requests;
        public long Writes;

        public Counter() : base(new SocketsHttpHandler())
        {
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Requests);
            if (new RecordedRequest(request.Method.Method, request.RequestUri!.AbsolutePath, request.RequestUri.Query).IsWrite)
            {
                Interlocked.Increment(ref Writes);
            }
            return base.SendAsync(request, cancellationToken);
        }
    }
}

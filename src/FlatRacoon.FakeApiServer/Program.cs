using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace FlatRacoon.Testing.Fake;

/// <summary>
/// <c>dotnet run --project src/FlatRacoon.FakeApiServer -- [--port N] [--kubeconfig PATH] [--no-crds] [--latency-ms N] [--ready-delay-ms N]</c>:
/// starts the fake, prints the path of a kubeconfig that points at it, and serves until stopped (Ctrl+C).
/// <c>--latency-ms</c> answers every request after N ms (a network and an API server's own time, for
/// benchmarks); <c>--ready-delay-ms</c> sets how long a workload takes to become ready (default 60).
/// </summary>
internal static class Program
{
    /// <summary>Entry point.</summary>
    public static async Task<int> Main(string[] args)
    {
        var port = 0;
        string? kubeconfig = null;
        var crds = true;
        var latency = 0;
        int? readyDelay = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--port" when i + 1 < args.Length:
                    if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535)
                    {
                        return Usage($"--port takes a number from 0 to 65535, not '{args[i]}'");
                    }
                    break;
                case "--kubeconfig" when i + 1 < args.Length:
                    kubeconfig = args[++i];
                    break;
                case "--no-crds":
                    crds = false;
                    break;
                case "--latency-ms" when i + 1 < args.Length:
                    if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out latency))
                    {
                        return Usage($"--latency-ms takes a whole number of milliseconds, not '{args[i]}'");
                    }
                    break;
                case "--ready-delay-ms" when i + 1 < args.Length:
                    if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var delay))
                    {
                        return Usage($"--ready-delay-ms takes a whole number of milliseconds, not '{args[i]}'");
                    }
                    readyDelay = delay;
                    break;
                case "-h" or "--help":
                    Console.WriteLine($"usage: {UsageLine}");
                    Console.WriteLine("A FAKE Kubernetes API server on 127.0.0.1 for tests and kubectl; prints a kubeconfig path, serves until Ctrl+C.");
                    return 0;
                default:
                    return Usage($"unknown or incomplete argument '{args[i]}'");
            }
        }

        FakeApiServer server;
        try
        {
            server = await FakeApiServer.StartAsync(crds, port);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"error: cannot listen on 127.0.0.1:{port}: {e.Message}");
            return 1;
        }
        await using (server)
        {
            if (readyDelay is { } ms)
            {
                server.Options.ReadyDelay = TimeSpan.FromMilliseconds(ms);
            }
            if (latency > 0)
            {
                server.Faults.Add(new FaultRule { When = _ => true, Latency = TimeSpan.FromMilliseconds(latency) });
            }
            // The namespaces every cluster has, so `kubectl apply` of a namespaced object works at once.
            foreach (var ns in new[] { "default", "kube-system", "kube-public" })
            {
                server.ApplyAs("fake-bootstrap", new System.Text.Json.Nodes.JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = ns } });
            }
            kubeconfig ??= Path.Combine(Path.GetTempPath(), $"flatracoon-fake-{server.BaseUri.Port}.kubeconfig");
            Console.WriteLine(server.WriteKubeconfig(kubeconfig));
            Console.Out.Flush();
            using var stop = new CancellationTokenSource();
            // Ctrl+C and SIGTERM stop it cleanly (the server is disposed, the port released).
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
        return 0;
    }

    private static int Usage(string problem)
    {
        Console.Error.WriteLine($"error: {problem} (usage: {UsageLine})");
        return 2;
    }

    private const string UsageLine = "FlatRacoon.FakeApiServer [--port N] [--kubeconfig PATH] [--no-crds] [--latency-ms N] [--ready-delay-ms N]";
}

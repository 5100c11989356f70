using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace FlatRacoon.Testing.Fake;

/// <summary>
/// <c>dotnet run --project src/FlatRacoon.FakeApiServer -- [--port N] [--kubeconfig PATH] [--no-crds]</c>:
/// starts the fake, prints the path of a kubeconfig that points at it, and serves until stopped (Ctrl+C).
/// </summary>
internal static class Program
{
    /// <summary>Entry point.</summary>
    public static async Task<int> Main(string[] args)
    {
        var port = 0;
        string? kubeconfig = null;
        var crds = true;
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
                case "-h" or "--help":
                    Console.WriteLine("usage: FlatRacoon.FakeApiServer [--port N] [--kubeconfig PATH] [--no-crds]");
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
        Console.Error.WriteLine($"error: {problem} (usage: FlatRacoon.FakeApiServer [--port N] [--kubeconfig PATH] [--no-crds])");
        return 2;
    }
}

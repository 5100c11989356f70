using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using FlatRacoon.Narration;

namespace FlatRacoon.Modules.BgpBackboneLab;

/// <summary>A difference between a router's routes and the expected table.</summary>
/// <param name="Router">The router.</param>
/// <param name="Prefix">The prefix.</param>
/// <param name="Expected">What the table says, with its reason.</param>
/// <param name="Actual">What the router holds.</param>
public sealed record RouteMismatch(string Router, string Prefix, string Expected, string Actual);

/// <summary>What a lab run found.</summary>
/// <param name="Established">Whether every session reached Established.</param>
/// <param name="Mismatches">Differences from the expected table.</param>
/// <param name="Namespaces">The network namespaces the run created (all deleted again when it returns).</param>
public sealed record BgpLabResult(bool Established, IReadOnlyList<RouteMismatch> Mismatches, IReadOnlyList<string> Namespaces)
{
    /// <summary>Whether the lab matched the expectations.</summary>
    public bool Passed => Established && Mismatches.Count == 0;
}

/// <summary>
/// Runs a topology live on this machine: a network namespace per router, a veth pair per session
/// (named as in the rendered configs), the router's address on its links and a /128 route to each
/// peer, and BIRD in each namespace with the rendered configuration. It waits for every session to
/// be Established, compares every router's routes with the expected table (accepted routes must be
/// present, filtered ones absent), narrates a report, and always tears down: daemons are stopped by
/// PID and namespaces deleted, also on failure and cancellation. Needs root (or CAP_NET_ADMIN and
/// CAP_SYS_ADMIN), <c>ip</c>, <c>bird</c> and <c>birdc</c>.
/// </summary>
public sealed class BgpLab
{
    private static readonly Regex RouteLine = new(@"^([0-9a-fA-F:.]+/\d+)\s", RegexOptions.Compiled);
    private readonly INarrator _narrator;

    /// <summary>Creates a lab that narrates to <paramref name="narrator"/>.</summary>
    public BgpLab(INarrator narrator) => _narrator = narrator;

    /// <summary>How long to wait for every session to come up.</summary>
    public TimeSpan EstablishTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>How long routes may take to match the table once sessions are up.</summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Runs <paramref name="topology"/> and compares it with <paramref name="expected"/>.</summary>
    public async Task<BgpLabResult> RunAsync(BgpTopology topology, BgpExpectedRoutes expected, CancellationToken cancellation)
    {
        topology.Check();
        var tag = Guid.NewGuid().ToString("N")[..6];
        var work = Path.Combine(Path.GetTempPath(), "flatracoon-lab-" + tag);
        Directory.CreateDirectory(work);
        var namespaces = topology.Routers.Select((r, i) => (Router: r, Namespace: $"frlab-{tag}-{i}")).ToList();
        var createdNamespaces = new List<string>();
        var daemons = new List<(string Router, int Pid)>();
        try
        {
            Say("lab.start", $"Starting the BGP lab: {topology.Routers.Length} routers, {topology.Sessions.Length} sessions, one network namespace per router (tag {tag}).");
            foreach (var (router, ns) in namespaces)
            {
                await Ip(cancellation, "netns", "add", ns);
                createdNamespaces.Add(ns);
                await Exec(cancellation, "ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0", "net.ipv6.conf.all.forwarding=1");
                await Ip(cancellation, "-n", ns, "link", "set", "lo", "up");
            }
            string NamespaceOf(string router) => namespaces.First(n => n.Router.Name == router).Namespace;
            for (var s = 0; s < topology.Sessions.Length; s++)
            {
                var a = topology.Router(topology.Sessions[s].From);
                var b = topology.Router(topology.Sessions[s].To);
                var ifA = BgpTopology.InterfaceName(b, s);
                var ifB = BgpTopology.InterfaceName(a, s);
                await Ip(cancellation, "link", "add", ifA, "netns", NamespaceOf(a.Name), "type", "veth", "peer", "name", ifB, "netns", NamespaceOf(b.Name));
                foreach (var (self, peer, iface) in new[] { (a, b, ifA), (b, a, ifB) })
                {
                    var ns = NamespaceOf(self.Name);
                    await Ip(cancellation, "-n", ns, "-6", "addr", "add", self.Address + "/128", "dev", iface, "nodad");
                    await Ip(cancellation, "-n", ns, "link", "set", iface, "up");
                    await Ip(cancellation, "-n", ns, "-6", "route", "add", peer.Address + "/128", "dev", iface);
                }
            }
            foreach (var (router, ns) in namespaces)
            {
                var config = Path.Combine(work, router.Name + ".bird.conf");
                await File.WriteAllTextAsync(config, BirdConfigWriter.Write(topology, router), cancellation);
                var (parsed, parseOutput) = await Exec(cancellation, "bird", "-p", "-c", config);
                if (parsed != 0)
                {
                    throw new InvalidOperationException($"BIRD rejects the configuration of {router.Name}: {parseOutput.Trim()}");
                }
                var socket = Socket(work, router);
                // exec keeps one PID from the shell to BIRD: the PID we stop later is BIRD's own.
                var start = new ProcessStartInfo("/bin/sh")
                {
                    ArgumentList = { "-c", $"exec ip netns exec {ns} bird -f -c '{config}' -s '{socket}' >'{Path.Combine(work, router.Name + ".log")}' 2>&1" },
                    UseShellExecute = false,
                };
                using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start bird");
                daemons.Add((router.Name, process.Id));
                Say("lab.router", $"Router {router.Name} (AS{router.Asn}, {router.Address}) runs BIRD in namespace {ns} (pid {process.Id}).");
            }

            var established = await WaitEstablished(topology, work, cancellation);
            var mismatches = established ? await CompareRoutes(topology, expected, work, cancellation) : new List<RouteMismatch>();
            Report(topology, expected, established, mismatches);
            return new BgpLabResult(established, mismatches, createdNamespaces.ToList());
        }
        finally
        {
            await TearDown(daemons, createdNamespaces, work);
        }
    }

    private static string Socket(string work, BgpRouter router) => Path.Combine(work, router.Name + ".ctl");

    private async Task<bool> WaitEstablished(BgpTopology topology, string work, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + EstablishTimeout;
        var states = new Dictionary<(string, string), string>();
        while (true)
        {
            states.Clear();
            foreach (var router in topology.Routers)
            {
                var (code, output) = await Birdc(work, router, cancellation, "show", "protocols");
                foreach (var (peer, _) in topology.Peers(router.Name))
                {
                    var line = code == 0 ? output.Split('\n').FirstOrDefault(l => l.StartsWith(BirdConfigWriter.ProtocolName(peer) + " ", StringComparison.Ordinal)) : null;
                    states[(router.Name, peer.Name)] = line is null ? "not running" : line.Contains("Established", StringComparison.Ordinal) ? "Established" : line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Last();
                }
            }
            if (states.Values.All(s => s == "Established"))
            {
                Say("lab.established", $"All {topology.Sessions.Length * 2} session ends are Established.");
                return true;
            }
            if (DateTime.UtcNow > deadline)
            {
                foreach (var ((router, peer), state) in states.Where(s => s.Value != "Established"))
                {
                    Say("lab.session", $"Session {router} -> {peer} is {state}, not Established.");
                }
                return false;
            }
            await Task.Delay(250, cancellation);
        }
    }

    private async Task<List<RouteMismatch>> CompareRoutes(BgpTopology topology, BgpExpectedRoutes expected, string work, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + SettleTimeout;
        var matchedOnce = false;
        while (true)
        {
            var mismatches = new List<RouteMismatch>();
            foreach (var router in topology.Routers)
            {
                var accepted = await Routes(work, router, cancellation, "show", "route");
                var filtered = await Routes(work, router, cancellation, "show", "route", "filtered");
                var table = expected.ByRouter.TryGetValue(router.Name, out var rows) ? rows : default;
                foreach (var row in table.IsDefault ? Enumerable.Empty<ExpectedRoute>() : table)
                {
                    var present = accepted.Contains(Normalize(row.Prefix));
                    if (present != row.Present)
                    {
                        mismatches.Add(new RouteMismatch(router.Name, row.Prefix,
                            (row.Present ? "present" : "filtered") + " (" + row.Reason + ")",
                            present ? "present" : filtered.Contains(Normalize(row.Prefix)) ? "filtered by its import filter" : "absent"));
                    }
                }
                var known = table.IsDefault ? new HashSet<string>() : table.Select(r => Normalize(r.Prefix)).ToHashSet(StringComparer.Ordinal);
                foreach (var extra in accepted.Where(p => !known.Contains(p) && !topology.Peers(router.Name).Any(x => p == Normalize(x.Peer.Address + "/128"))))
                {
                    mismatches.Add(new RouteMismatch(router.Name, extra, "not in the table", "present"));
                }
                if (!expected.ByRouter.ContainsKey(router.Name))
                {
                    mismatches.Add(new RouteMismatch(router.Name, "*", "the table has no entry for this router", "running"));
                }
            }
            // A match must hold on a second look a second later: a filtered prefix that merely has
            // not arrived yet must not pass as filtered.
            if ((mismatches.Count == 0 && matchedOnce) || DateTime.UtcNow > deadline)
            {
                return mismatches;
            }
            matchedOnce = mismatches.Count == 0;
            await Task.Delay(matchedOnce ? 1000 : 250, cancellation);
        }
    }

    private static async Task<HashSet<string>> Routes(string work, BgpRouter router, CancellationToken cancellation, params string[] command)
    {
        var (code, output) = await Birdc(work, router, cancellation, command);
        var routes = new HashSet<string>(StringComparer.Ordinal);
        if (code != 0)
        {
            return routes;
        }
        foreach (var line in output.Split('\n'))
        {
            var match = RouteLine.Match(line);
            if (match.Success)
            {
                routes.Add(Normalize(match.Groups[1].Value));
            }
        }
        return routes;
    }

    private static string Normalize(string prefix) =>
        System.Net.IPNetwork.TryParse(prefix, out var network) ? network.ToString() : prefix;

    private void Report(BgpTopology topology, BgpExpectedRoutes expected, bool established, List<RouteMismatch> mismatches)
    {
        if (!established)
        {
            Say("lab.failed", "The lab FAILED: not every session reached Established, so routes were not compared.");
            return;
        }
        foreach (var router in topology.Routers)
        {
            if (!expected.ByRouter.TryGetValue(router.Name, out var rows))
            {
                continue;
            }
            var wrong = mismatches.Where(m => m.Router == router.Name).Select(m => m.Prefix).ToHashSet(StringComparer.Ordinal);
            var present = rows.Where(r => r.Present && !wrong.Contains(r.Prefix)).Select(r => r.Prefix).ToList();
            var filtered = rows.Where(r => !r.Present && !wrong.Contains(r.Prefix)).ToList();
            Say("lab.routes", $"Router {router.Name}: {present.Count} expected routes present ({string.Join(", ", present)}); "
                + $"{filtered.Count} filtered prefixes absent ({string.Join("; ", filtered.Select(f => f.Prefix + ": " + f.Reason))}).");
        }
        foreach (var mismatch in mismatches)
        {
            Say("lab.mismatch", $"MISMATCH on {mismatch.Router}: {mismatch.Prefix} expected {mismatch.Expected}, but it is {mismatch.Actual}.");
        }
        Say("lab.done", mismatches.Count == 0
            ? "The lab PASSED: every session Established, every router holds exactly the routes the policies say."
            : $"The lab FAILED: {mismatches.Count} route(s) differ from the expected table.");
    }

    private async Task TearDown(List<(string Router, int Pid)> daemons, List<string> namespaces, string work)
    {
        foreach (var (router, pid) in daemons)
        {
            await StopByPid(pid);
        }
        foreach (var ns in namespaces)
        {
            await Exec(CancellationToken.None, "ip", "netns", "del", ns);
        }
        try
        {
            Directory.Delete(work, true);
        }
        catch (IOException)
        {
            // A log still being closed; the folder is in /tmp and holds no secrets.
        }
        Say("lab.teardown", $"Torn down: {daemons.Count} BIRD daemon(s) stopped by PID, {namespaces.Count} namespace(s) deleted.");
    }

    private static async Task StopByPid(int pid)
    {
        Process process;
        try
        {
            process = Process.GetProcessById(pid);
        }
        catch (ArgumentException)
        {
            return;
        }
        using (process)
        {
            await Exec(CancellationToken.None, "kill", "-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
            }
        }
    }

    private static Task<(int Code, string Output)> Birdc(string work, BgpRouter router, CancellationToken cancellation, params string[] command) =>
        Exec(cancellation, "birdc", new[] { "-s", Socket(work, router) }.Concat(command).ToArray());

    private static async Task Ip(CancellationToken cancellation, params string[] arguments)
    {
        var (code, output) = await Exec(cancellation, "ip", arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"'ip {string.Join(" ", arguments)}' failed ({code}): {output.Trim()}");
        }
    }

    /// <summary>Runs a tool to completion (at most 30 s) and returns its exit code and combined output.</summary>
    internal static async Task<(int Code, string Output)> Exec(CancellationToken cancellation, string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    private void Say(string step, string message) => _narrator.Narrate(new NarrationEvent(step, message));
}

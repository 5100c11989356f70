using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Tasks;
using FlatRacoon.Rendering;

namespace FlatRacoon.Benchmarks;

/// <summary>
/// One operation per process, as a user runs it, for the side-by-side scripts (they time the whole
/// process and read its peak RSS from outside). Prints one summary line; bad input gets one line
/// on stderr and exit code 2.
/// </summary>
public static class WholeProcess
{
    public static readonly string[] Commands = { "render", "phases", "plan", "apply", "warm-fake" };

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            return args[0] switch
            {
                "render" when args.Length == 3 => Render(Count(args[1]), args[2]),
                "phases" when args.Length == 2 => RenderPhases(Count(args[1])),
                "plan" when args.Length is 2 or 3 => await PlanAsync(Count(args[1]), args.Length == 3 && BenchFake.ParseMode(args[2])),
                "apply" when args.Length is 3 or 4 => await ApplyAsync(Count(args[1]), Latency(args[2]), args.Length == 4 && BenchFake.ParseMode(args[3])),
                "warm-fake" when args.Length is 3 or 4 && Uri.TryCreate(args[1], UriKind.Absolute, out var server) => await WarmFakeAsync(server, Count(args[2]), args.Length == 4 ? args[3] : "warm"),
                _ => Usage(),
            };
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: FlatRacoon.Benchmarks render <modules> <out-dir> | phases <modules> | plan <objects> [in-process|process] | apply <objects> <latency-ms> [in-process|process] | warm-fake <server> <objects> [stack]");
        return 2;
    }

    private static int Count(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new FormatException($"'{text}' is not a positive whole number of modules.");

    private static int Latency(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new FormatException($"'{text}' is not a whole number of milliseconds.");

    /// <summary>
    /// Plan of <paramref name="objects"/> objects (DeployBenchmarks' synthetic set) against the FAKE API
    /// server after one untimed apply of them: three plans in a row, each with wall and CPU time and
    /// the requests it made (and the fake's CPU time when it is a process of its own).
    /// </summary>
    private static async Task<int> PlanAsync(int objects, bool outOfProcess)
    {
        await using var fake = await BenchFake.StartAsync(outOfProcess, latencyMs: 0);
        using var api = new FlatRacoon.Deployment.KubeApiClient(fake.CreateHttpClient(), fake.BaseUri);
        var set = DeployBenchmarks.Synthetic(objects, namespaces: Math.Max(1, objects / 500), waves: 4);
        await new FlatRacoon.Deployment.Deployer(api, NullNarrator.Instance, DeployBenchmarks.Options).ApplyAsync(set);
        var runs = new System.Collections.Generic.List<string>();
        for (var run = 0; run < 3; run++)
        {
            using var sampler = run == 2 && Environment.GetEnvironmentVariable("FLATRACOON_BENCH_ALLOCATIONS") == "1" ? new AllocationSampler() : null;
            var before = fake.Requests;
            var phases = new Phases(fake);
            var plan = await new FlatRacoon.Deployment.Deployer(api, NullNarrator.Instance, DeployBenchmarks.Options).PlanAsync(set);
            phases.Mark($"plan {plan.Count(FlatRacoon.Deployment.PlanAction.Unchanged)} unchanged, {fake.Requests - before} requests:");
            runs.Add(phases.Wall);
            sampler?.Report();
        }
        Console.WriteLine($"plan {objects} objects{Where(fake)}: {string.Join(" | ", runs)}");
        return 0;
    }

    /// <summary>
    /// Apply of <paramref name="objects"/> objects to an empty FAKE API server answering each request
    /// after <paramref name="latencyMs"/> ms: wall and CPU time, requests in all and per object, writes.
    /// </summary>
    private static async Task<int> ApplyAsync(int objects, int latencyMs, bool outOfProcess)
    {
        await using var fake = await BenchFake.StartAsync(outOfProcess, latencyMs, warmObjects: objects);
        using var api = new FlatRacoon.Deployment.KubeApiClient(fake.CreateHttpClient(), fake.BaseUri);
        var set = DeployBenchmarks.Synthetic(objects, namespaces: Math.Max(1, objects / 100), waves: 4);
        var warm = Environment.GetEnvironmentVariable("FLATRACOON_BENCH_WARM") == "1";
        if (warm)
        {
            // For experiments only: the same apply and a destroy first, untimed, so that what is timed
            // is the engine's steady state without the JIT of a cold process.
            var deployer = new FlatRacoon.Deployment.Deployer(api, NullNarrator.Instance, DeployBenchmarks.Options);
            await deployer.ApplyAsync(set);
            await deployer.DestroyAsync(set);
        }
        var (requestsBefore, writesBefore) = (fake.Requests, fake.Writes);
        using var sampler = Environment.GetEnvironmentVariable("FLATRACOON_BENCH_ALLOCATIONS") == "1" ? new AllocationSampler() : null;
        var phases = new Phases(fake);
        var result = await new FlatRacoon.Deployment.Deployer(api, TimedNarrator.FromEnvironment(), DeployBenchmarks.Options).ApplyAsync(set);
        phases.Mark(warm ? "apply (warm)" : "apply");
        sampler?.Report();
        var requests = fake.Requests - requestsBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"apply {objects} objects @ {latencyMs} ms{Where(fake)}: revision {result.Revision}, {requests} requests ({(double)requests / objects:0.000} per object), {fake.Writes - writesBefore} writes; {phases.Wall}"));
        return 0;
    }

    /// <summary>
    /// Warms a FAKE API server that runs in a process of its own, as a real API server is warm when a
    /// user's command reaches it: an apply of another stack of <paramref name="objects"/> objects, left
    /// in place (a cluster holds other things). Run as a process of its own, so that the benchmark's
    /// client stays cold.
    /// </summary>
    private static async Task<int> WarmFakeAsync(Uri server, int objects, string stack)
    {
        using var api = new FlatRacoon.Deployment.KubeApiClient(new System.Net.Http.HttpClient(), server);
        var set = DeployBenchmarks.Synthetic(objects, namespaces: Math.Max(1, objects / 100), waves: 4, stack: stack);
        await new FlatRacoon.Deployment.Deployer(api, NullNarrator.Instance, DeployBenchmarks.Options).ApplyAsync(set);
        return 0;
    }

    private static string Where(BenchFake fake) => fake.OutOfProcess ? " (fake in its own process)" : "";

    /// <summary>Builds the synthetic stack of <paramref name="modules"/> modules, renders it and writes the GitOps directory.</summary>
    private static int Render(int modules, string outDir)
    {
        // For experiments only: how many concurrent file writers (default: the SDK's choice).
        if (int.TryParse(Environment.GetEnvironmentVariable("FLATRACOON_BENCH_WRITERS"), NumberStyles.None, CultureInfo.InvariantCulture, out var writers) && writers > 0)
        {
            GitOpsWriter.Writers = writers;
        }
        var phases = new Phases();
        var stack = RenderBenchmarks.Synthetic(modules);
        phases.Mark("stack");
        var set = StackRenderer.Render(stack);
        phases.Mark("objects");
        // YAML is made and written file by file on all cores (GitOpsWriter.WriteFiles): one phase.
        var result = GitOpsWriter.WriteFiles(GitOpsWriter.FilePlan.Of(set), outDir, force: false);
        phases.Mark("yaml and write");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"render {modules} modules: {set.Objects.Length} objects, {result.Written.Count + result.Unchanged.Count} files, {result.Written.Count} written, {result.Unchanged.Count} unchanged, {result.Deleted.Count} deleted; {phases}"));
        return 0;
    }

    /// <summary>
    /// The in-memory phases of a render, one core, no disk: building the stack, rendering the
    /// objects, YAML by the fast path, and KubernetesYaml on the first 1,000 objects for comparison.
    /// </summary>
    private static int RenderPhases(int modules)
    {
        var phases = new Phases();
        var stack = RenderBenchmarks.Synthetic(modules);
        phases.Mark("stack");
        var set = StackRenderer.Render(stack);
        phases.Mark("objects");
        var buffer = new YamlBuffer();
        long bytes = 0;
        var slow = 0;
        foreach (var obj in set.Objects)
        {
            buffer.Length = 0;
            if (!ModelYaml.TryWrite(obj.Object, buffer))
            {
                slow++;
            }
            bytes += buffer.Length;
        }
        phases.Mark($"yaml fast path ({set.Objects.Length} objects, {bytes / 1048576.0:0.0} MB, {slow} left to KubernetesYaml)");
        var sample = Math.Min(1000, set.Objects.Length);
        for (var i = 0; i < sample; i++)
        {
            bytes += ModelYaml.Slow(set.Objects[i].Object).Length;
        }
        phases.Mark($"KubernetesYaml ({sample} objects)");
        Console.WriteLine($"phases {modules} modules: {phases}");
        return 0;
    }

    /// <summary>
    /// Wall and CPU time per phase, and what the process allocated in all. With a fake API server in a
    /// process of its own, its CPU time too, and what this process allocated during the phase:
    /// "(cpu C s; fake process cpu F s; allocated A MB)".
    /// </summary>
    private sealed class Phases
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private readonly System.Collections.Generic.List<string> _marks = new();
        private readonly BenchFake? _fake;
        private TimeSpan _wall;
        private TimeSpan _cpu = Process.GetCurrentProcess().TotalProcessorTime;
        private TimeSpan _fakeCpu;
        private long _allocated = GC.GetTotalAllocatedBytes(precise: true);
        private TimeSpan _jit = System.Runtime.JitInfo.GetCompilationTime();
        private long _jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount();

        /// <summary>FLATRACOON_BENCH_WINDOW=1: each phase's bounds on the monotonic clock, for <c>perf script --time</c> of a <c>perf record -k CLOCK_MONOTONIC</c>.</summary>
        private static readonly bool s_window = Environment.GetEnvironmentVariable("FLATRACOON_BENCH_WINDOW") == "1";

        public Phases(BenchFake? fake = null)
        {
            _fake = fake;
            _fakeCpu = fake?.Cpu ?? TimeSpan.Zero;
            Window("start");
        }

        private static void Window(string what)
        {
            if (s_window)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"window {what} {Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency:0.000000}"));
            }
        }

        public void Mark(string phase)
        {
            Window(phase);
            var wall = _watch.Elapsed;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var fakeCpu = _fake?.Cpu ?? TimeSpan.Zero;
            var fakePart = _fake is { OutOfProcess: true } ? string.Create(CultureInfo.InvariantCulture, $"; fake process cpu {(fakeCpu - _fakeCpu).TotalSeconds:0.000} s") : "";
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var (jit, jitMethods) = (System.Runtime.JitInfo.GetCompilationTime(), System.Runtime.JitInfo.GetCompiledMethodCount());
            var allocatedPart = _fake is null ? "" : string.Create(CultureInfo.InvariantCulture,
                $"; allocated {(allocated - _allocated) / 1048576.0:0} MB; jit {(jit - _jit).TotalSeconds:0.000} s for {jitMethods - _jitMethods} methods");
            _marks.Add(string.Create(CultureInfo.InvariantCulture, $"{phase} {(wall - _wall).TotalSeconds:0.000} s (cpu {(cpu - _cpu).TotalSeconds:0.000} s{fakePart}{allocatedPart})"));
            _wall = wall;
            _cpu = cpu;
            _fakeCpu = fakeCpu;
            _allocated = allocated;
            (_jit, _jitMethods) = (jit, jitMethods);
        }

        /// <summary>The marks without the allocation total.</summary>
        public string Wall => string.Join(", ", _marks);

        public override string ToString() =>
            string.Join(", ", _marks) + string.Create(CultureInfo.InvariantCulture, $"; allocated {GC.GetTotalAllocatedBytes(precise: true) / 1048576.0:0} MB");
    }
}

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
    public static readonly string[] Commands = { "render", "phases", "plan", "apply" };

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            return args[0] switch
            {
                "render" when args.Length == 3 => Render(Count(args[1]), args[2]),
                "phases" when args.Length == 2 => RenderPhases(Count(args[1])),
                "plan" when args.Length == 2 => await PlanAsync(Count(args[1])),
                "apply" when args.Length == 3 => await ApplyAsync(Count(args[1]), Latency(args[2])),
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
        Console.Error.WriteLine("usage: FlatRacoon.Benchmarks render <modules> <out-dir> | phases <modules> | plan <objects> | apply <objects> <latency-ms>");
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
    /// the requests it made.
    /// </summary>
    private static async Task<int> PlanAsync(int objects)
    {
        await using var fake = await FlatRacoon.Testing.Fake.FakeApiServer.StartAsync();
        fake.Options.ReadyDelay = TimeSpan.Zero;
        using var api = new FlatRacoon.Deployment.KubeApiClient(new System.Net.Http.HttpClient(), fake.BaseUri);
        var set = DeployBenchmarks.Synthetic(objects, namespaces: Math.Max(1, objects / 500), waves: 4);
        await new FlatRacoon.Deployment.Deployer(api, NullNarrator.Instance, DeployBenchmarks.Options).ApplyAsync(set);
        var runs = new System.Collections.Generic.List<string>();
        for (var run = 0; run < 3; run++)
        {
            var before = fake.Requests.Count;
            var phases = new Phases();
            var plan = await new FlatRacoon.Deployment.Deployer(api, NullNarrator.Instance, DeployBenchmarks.Options).PlanAsync(set);
            phases.Mark($"plan {plan.Count(FlatRacoon.Deployment.PlanAction.Unchanged)} unchanged, {fake.Requests.Count - before} requests:");
            runs.Add(phases.Wall);
        }
        Console.WriteLine($"plan {objects} objects: {string.Join(" | ", runs)}");
        return 0;
    }

    /// <summary>
    /// Apply of <paramref name="objects"/> objects to an empty FAKE API server answering each request
    /// after <paramref name="latencyMs"/> ms: wall and CPU time, requests in all and per object, writes.
    /// </summary>
    private static async Task<int> ApplyAsync(int objects, int latencyMs)
    {
        await using var fake = await FlatRacoon.Testing.Fake.FakeApiServer.StartAsync();
        fake.Options.ReadyDelay = TimeSpan.Zero;
        if (latencyMs > 0)
        {
            fake.Faults.Add(new FlatRacoon.Testing.Fake.FaultRule { When = _ => true, Latency = TimeSpan.FromMilliseconds(latencyMs) });
        }
        using var api = new FlatRacoon.Deployment.KubeApiClient(new System.Net.Http.HttpClient(), fake.BaseUri);
        var set = DeployBenchmarks.Synthetic(objects, namespaces: Math.Max(1, objects / 100), waves: 4);
        var phases = new Phases();
        var result = await new FlatRacoon.Deployment.Deployer(api, NullNarrator.Instance, DeployBenchmarks.Options).ApplyAsync(set);
        phases.Mark("apply");
        var requests = fake.Requests.Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"apply {objects} objects @ {latencyMs} ms: revision {result.Revision}, {requests} requests ({(double)requests / objects:0.000} per object), {fake.WriteCount} writes; {phases.Wall}"));
        return 0;
    }

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

    /// <summary>Wall and CPU time per phase, and what the process allocated in all.</summary>
    private sealed class Phases
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private readonly System.Collections.Generic.List<string> _marks = new();
        private TimeSpan _wall;
        private TimeSpan _cpu = Process.GetCurrentProcess().TotalProcessorTime;

        public void Mark(string phase)
        {
            var wall = _watch.Elapsed;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            _marks.Add(string.Create(CultureInfo.InvariantCulture, $"{phase} {(wall - _wall).TotalSeconds:0.000} s (cpu {(cpu - _cpu).TotalSeconds:0.000} s)"));
            _wall = wall;
            _cpu = cpu;
        }

        /// <summary>The marks without the allocation total.</summary>
        public string Wall => string.Join(", ", _marks);

        public override string ToString() =>
            string.Join(", ", _marks) + string.Create(CultureInfo.InvariantCulture, $"; allocated {GC.GetTotalAllocatedBytes(precise: true) / 1048576.0:0} MB");
    }
}

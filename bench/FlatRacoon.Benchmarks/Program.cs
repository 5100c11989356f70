using System;
using BenchmarkDotNet.Running;
using FlatRacoon.Benchmarks;

// Whole-process modes (what bench/compare-render.sh and bench/measure-deploy.sh time):
//   dotnet FlatRacoon.Benchmarks.dll render <modules> <out-dir>
//   dotnet FlatRacoon.Benchmarks.dll plan <objects> [in-process|process] | apply <objects> <latency-ms> [in-process|process]
//   (process: the fake API server in a process of its own, its CPU time printed apart; for apply it is warmed
//    first by another process, `warm-fake <server> <objects> [stack]`, three times with three stacks, as a real
//    API server is warm; run it against a fake of your own to profile the warm fake)
//   FLATRACOON_BENCH_NARRATE=1: the apply's steps on stderr with their time (where it goes)
//   FLATRACOON_BENCH_WINDOW=1: each timed phase's bounds on the monotonic clock (perf record -k CLOCK_MONOTONIC, then perf script --time)
// In-process phases with BenchmarkDotNet:
//   dotnet run -c Release --project bench/FlatRacoon.Benchmarks -- --filter '*'
//   dotnet FlatRacoon.Benchmarks.dll analyzer <modules> <runs>   (the analyzer's own time, see AnalyzerBenchmarks.CostAsync)
if (args.Length == 3 && args[0] == "analyzer")
{
    return await AnalyzerBenchmarks.CostAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
}
if (args.Length > 0 && WholeProcess.Commands.Contains(args[0]))
{
    return await WholeProcess.RunAsync(args);
}
BenchmarkSwitcher.FromAssembly(typeof(RenderBenchmarks).Assembly).Run(args);
return 0;

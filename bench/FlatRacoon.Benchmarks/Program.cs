using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/FlatRacoon.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(FlatRacoon.Benchmarks.RenderBenchmarks).Assembly).Run(args);

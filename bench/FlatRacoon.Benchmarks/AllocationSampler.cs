using System;
using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Linq;

namespace FlatRacoon.Benchmarks;

/// <summary>
/// For experiments (FLATRACOON_BENCH_ALLOCATIONS=1): the runtime's allocation samples (one event about
/// every 100 KB allocated, with the type that crossed the mark) summed by type, the top printed on
/// stderr when the process ends. Sampled, so a type's share is an estimate.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword: GCAllocationTick
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null)
        {
            return;
        }
        var type = e.PayloadNames!.IndexOf("TypeName") is var t and >= 0 ? e.Payload[t] as string ?? "?" : "?";
        var amount = e.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(e.Payload[a], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        _bytes.AddOrUpdate(type, amount, (_, v) => v + amount);
    }

    public void Report(int top = 25)
    {
        var total = _bytes.Values.Sum();
        Console.Error.WriteLine($"allocation samples: {total / 1048576.0:0.0} MB in all");
        foreach (var (type, bytes) in _bytes.OrderByDescending(p => p.Value).Take(top))
        {
            Console.Error.WriteLine($"  {bytes / 1048576.0,8:0.0} MB  {type}");
        }
    }
}

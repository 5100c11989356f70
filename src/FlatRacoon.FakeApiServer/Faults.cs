using System;
using System.Collections.Generic;

namespace FlatRacoon.Testing.Fake;

/// <summary>A request as the fake saw it.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query)
{
    /// <summary>A dryRun=All request.</summary>
    public bool DryRun => Query.Contains("dryRun=All", StringComparison.Ordinal);
    /// <summary>A persisted change: a non-dry-run PATCH/PUT/POST or a DELETE.</summary>
    public bool IsWrite => Method is "DELETE" || (Method is "PATCH" or "PUT" or "POST" && !DryRun);
    /// <summary>The request's Accept header ("" when it had none): which form of the answer it asked for.</summary>
    public string Accept { get; init; } = "";
}

/// <summary>One injected fault: which requests it hits, how often, and what it does.</summary>
public sealed class FaultRule
{
    /// <summary>Which requests it hits.</summary>
    public required Func<RecordedRequest, bool> When { get; init; }
    /// <summary>Requests it hits before it retires; null: forever.</summary>
    public int? Times { get; set; }
    /// <summary>Answer with this status (429, 500, 409, 422 ...); 0: no answer change.</summary>
    public int Status { get; init; }
    /// <summary>A Retry-After header to send with the status.</summary>
    public int? RetryAfterSeconds { get; init; }
    /// <summary>Delay before handling (or before the fault's answer).</summary>
    public TimeSpan Latency { get; init; }
    /// <summary>Close the connection without an answer.</summary>
    public bool Drop { get; init; }
    /// <summary>Answer 422 Invalid echoing the request body, as real validation messages echo invalid values.</summary>
    public bool EchoInvalid { get; init; }
    /// <summary>Requests it has hit.</summary>
    public int Hits;
}

/// <summary>The fake's fault plan.</summary>
public sealed class FaultInjector
{
    private readonly List<FaultRule> _rules = new();

    /// <summary>Adds a rule; the first matching rule wins.</summary>
    public FaultRule Add(FaultRule rule)
    {
        lock (_rules)
        {
            _rules.Add(rule);
        }
        return rule;
    }

    /// <summary>Removes every rule.</summary>
    public void Clear()
    {
        lock (_rules)
        {
            _rules.Clear();
        }
    }

    internal FaultRule? Match(RecordedRequest request)
    {
        lock (_rules)
        {
            foreach (var rule in _rules)
            {
                if ((rule.Times is null || rule.Times > 0) && rule.When(request))
                {
                    if (rule.Times is not null)
                    {
                        rule.Times--;
                    }
                    rule.Hits++;
                    return rule;
                }
            }
        }
        return null;
    }
}

using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;

namespace FlatRacoon.Ipv6SiteEnforcer;

/// <summary>
/// Whether the DNS64 resolver synthesises: an AAAA query for a name that has only A records
/// (by default <c>ipv4only.arpa</c>, RFC 7050's well-known IPv4-only name: A 192.0.0.170 and
/// 192.0.0.171) must answer an address inside the NAT64 prefix. The rendered resolver forwards
/// everything (BIND makes no automatic ipv4only.arpa zone under <c>forward only</c>), so the probe
/// checks the whole way: the resolver, its upstream resolvers, and the synthesis.
/// </summary>
public sealed class Dns64Probe
{
    private readonly LookupClient _client;
    private readonly IPNetwork _prefix;
    private readonly IPEndPoint _server;

    /// <summary>A probe of <paramref name="server"/> for <paramref name="name"/>, expecting addresses in <paramref name="prefix"/>.</summary>
    public Dns64Probe(IPEndPoint server, string name, IPNetwork prefix, TimeSpan timeout)
    {
        _server = server;
        _prefix = prefix;
        Name = name;
        _client = new LookupClient(new LookupClientOptions(server)
        {
            UseCache = false,
            Retries = 0,
            Timeout = timeout,
            UseTcpFallback = true,
            ThrowDnsErrors = false,
            ContinueOnDnsError = false,
        });
    }

    /// <summary>The IPv4-only name asked for.</summary>
    public string Name { get; }

    /// <summary>Asks once; healthy when an AAAA inside the prefix comes back.</summary>
    public async Task<(bool Up, string Detail)> CheckAsync(CancellationToken cancellation)
    {
        try
        {
            var answer = await _client.QueryAsync(Name, QueryType.AAAA, QueryClass.IN, cancellation).ConfigureAwait(false);
            if (answer.HasError)
            {
                return (false, $"DNS64 at {_server} answered {answer.ErrorMessage} for {Name} AAAA");
            }
            var addresses = answer.Answers.OfType<AaaaRecord>().Select(r => r.Address).ToList();
            var synthesised = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetworkV6 && _prefix.Contains(a));
            return synthesised is not null
                ? (true, $"DNS64 at {_server} synthesised {synthesised} for {Name}")
                : (false, $"DNS64 at {_server} answered no AAAA inside {_prefix} for {Name} ({(addresses.Count == 0 ? "no AAAA" : string.Join(", ", addresses))})");
        }
        catch (DnsResponseException e)
        {
            return (false, $"DNS64 at {_server} did not answer for {Name}: {e.Message}");
        }
        catch (SocketException e)
        {
            return (false, $"DNS64 at {_server} did not answer for {Name}: {e.Message}");
        }
    }
}

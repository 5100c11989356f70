using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FlatRacoon.Modules.HesiodDnsMap;

/// <summary>One Hesiod record: a name relative to nothing (absolute, with the trailing dot), its type and data.</summary>
/// <param name="Name">Absolute owner name (<c>ipfs-overlay.service.ns.flatracoon.internal.</c>).</param>
/// <param name="Type">TXT or CNAME.</param>
/// <param name="Data">The TXT string (unquoted) or the CNAME target (absolute).</param>
public sealed record HesiodRecord(string Name, string Type, string Data);

/// <summary>A service endpoint published in the Hesiod zone.</summary>
/// <param name="Module">The module that renders the Service.</param>
/// <param name="Host">The Service's cluster DNS name.</param>
/// <param name="Port">The port.</param>
/// <param name="Protocol">tcp or udp.</param>
public sealed record HesiodServiceEndpoint(string Module, string Host, int Port, string Protocol);

/// <summary>Where and how BIND listens: the pod's values, or loopback and a high port in tests.</summary>
/// <param name="Port">The DNS port.</param>
/// <param name="ListenIpv4">IPv4 addresses to listen on (<c>none</c> when empty).</param>
/// <param name="ListenIpv6">IPv6 addresses to listen on (<c>none</c> when empty).</param>
/// <param name="ZoneDirectory">Folder holding the zone files.</param>
/// <param name="WorkingDirectory">BIND's working directory (writable).</param>
/// <param name="PidFile">The PID file, or null for none.</param>
/// <param name="StatisticsPort">Port of the statistics channel on ::1 for the exporter, or null for none.</param>
public sealed record BindListen(int Port, IReadOnlyList<string> ListenIpv4, IReadOnlyList<string> ListenIpv6, string ZoneDirectory, string WorkingDirectory, string? PidFile, int? StatisticsPort);

/// <summary>
/// The Hesiod zone of a stack and the BIND configuration serving it: the same records in class HS
/// (a <c>view "hesiod-hs" HS</c>) and class IN (a <c>view "hesiod-in" IN</c>; libhesiod clients
/// such as <c>hesinfo</c> query class IN).
/// </summary>
public sealed class HesiodZone
{
    private readonly List<HesiodRecord> _records;

    private HesiodZone(string domain, string lhs, string rhs, int ttl, string nameServer, string firstClass, List<HesiodRecord> records)
    {
        Domain = domain;
        Lhs = lhs;
        Rhs = rhs;
        Ttl = ttl;
        NameServer = nameServer;
        FirstClass = firstClass;
        _records = records;
    }

    /// <summary>The zone (origin) without the trailing dot.</summary>
    public string Domain { get; }
    /// <summary>Hesiod left-hand side, with its leading dot.</summary>
    public string Lhs { get; }
    /// <summary>Hesiod right-hand side, with its leading dot.</summary>
    public string Rhs { get; }
    /// <summary>TTL of every record.</summary>
    public int Ttl { get; }
    /// <summary>The name server (absolute): the BIND Service's cluster name.</summary>
    public string NameServer { get; }
    /// <summary>The class clients try first (the dns_class setting).</summary>
    public string FirstClass { get; }
    /// <summary>Records, sorted by name, type and data.</summary>
    public IReadOnlyList<HesiodRecord> Records => _records;

    /// <summary>The absolute Hesiod name of <paramref name="name"/> in map <paramref name="type"/>.</summary>
    public string NameOf(string name, string type) => $"{name}.{type}{Lhs}{Rhs}.";

    /// <summary>Builds the zone from the module's configuration and the stack's service endpoints.</summary>
    public static HesiodZone Build(JsonElement config, string nameServer, IEnumerable<HesiodServiceEndpoint> services)
    {
        var domain = (ConfigReader.String(config, "domain") ?? "flatracoon.internal").TrimEnd('.');
        var lhs = ConfigReader.String(config, "lhs") ?? ".ns";
        var rhs = ConfigReader.String(config, "rhs") ?? "." + domain;
        var ttl = (int)(ConfigReader.Long(config, "ttl") ?? 3600);
        var firstClass = ConfigReader.String(config, "dns_class") ?? "IN";
        if (!(rhs.TrimEnd('.') + ".").EndsWith("." + domain + ".", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"hesiod-dns-map: rhs '{rhs}' is not inside the zone '{domain}', so the zone cannot hold the Hesiod names.");
        }
        var zone = new HesiodZone(domain, lhs, rhs.TrimEnd('.'), ttl, nameServer, firstClass, new List<HesiodRecord>());
        var records = zone._records;
        var serviceNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in services)
        {
            serviceNames.Add(endpoint.Module);
            records.Add(new HesiodRecord(zone.NameOf(endpoint.Module, "service"), "TXT", $"{endpoint.Host}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}:{endpoint.Protocol}"));
        }
        if (config.ValueKind == JsonValueKind.Object && config.TryGetProperty("services", out var map) && map.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in map.EnumerateObject())
            {
                if (serviceNames.Contains(entry.Name))
                {
                    throw new InvalidOperationException($"hesiod-dns-map: the services map entry '{entry.Name}' has the name of a module of the stack; rename it.");
                }
                records.Add(new HesiodRecord(zone.NameOf(entry.Name, "service"), "TXT", entry.Value.GetString() ?? ""));
            }
        }
        foreach (var user in ConfigReader.Array(config, "users"))
        {
            var name = ConfigReader.String(user, "name")!;
            var uid = ConfigReader.Long(user, "uid") ?? 0;
            var passwd = string.Join(":", name, "*", uid.ToString(CultureInfo.InvariantCulture), (ConfigReader.Long(user, "gid") ?? 0).ToString(CultureInfo.InvariantCulture),
                ConfigReader.String(user, "gecos") ?? "", ConfigReader.String(user, "home") ?? "/", ConfigReader.String(user, "shell") ?? "/bin/bash");
            records.Add(new HesiodRecord(zone.NameOf(name, "passwd"), "TXT", passwd));
            records.Add(new HesiodRecord(zone.NameOf(uid.ToString(CultureInfo.InvariantCulture), "uid"), "CNAME", zone.NameOf(name, "passwd")));
        }
        foreach (var group in ConfigReader.Array(config, "groups"))
        {
            var name = ConfigReader.String(group, "name")!;
            var gid = ConfigReader.Long(group, "gid") ?? 0;
            records.Add(new HesiodRecord(zone.NameOf(name, "group"), "TXT",
                $"{name}:*:{gid.ToString(CultureInfo.InvariantCulture)}:{string.Join(",", ConfigReader.Strings(group, "members"))}"));
            records.Add(new HesiodRecord(zone.NameOf(gid.ToString(CultureInfo.InvariantCulture), "gid"), "CNAME", zone.NameOf(name, "group")));
        }
        foreach (var fs in ConfigReader.Array(config, "filsys"))
        {
            var name = ConfigReader.String(fs, "name")!;
            var mode = ConfigReader.String(fs, "mode") ?? "rw";
            var path = ConfigReader.String(fs, "path")!;
            var mount = ConfigReader.String(fs, "mount_point")!;
            var entry = (ConfigReader.String(fs, "fs_type") ?? "nfs") == "afs"
                ? $"AFS {path} {(mode == "rw" ? "w" : "r")} {mount}"
                : $"NFS {path} {ConfigReader.String(fs, "server") ?? "localhost"} {mode} {mount}";
            records.Add(new HesiodRecord(zone.NameOf(name, "filsys"), "TXT", entry));
        }
        var duplicate = records.GroupBy(r => r.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Any(r => r.Type == "CNAME") && g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"hesiod-dns-map: '{duplicate.Key}' is defined twice (a uid or gid used by two entries).");
        }
        records.Sort((a, b) =>
        {
            var c = string.CompareOrdinal(a.Name, b.Name);
            c = c != 0 ? c : string.CompareOrdinal(a.Type, b.Type);
            return c != 0 ? c : string.CompareOrdinal(a.Data, b.Data);
        });
        return zone;
    }

    /// <summary>
    /// The serial: derived from the records, so the same stack gives the same bytes and any change
    /// gives a new serial. The zone has no secondaries (every replica loads the same ConfigMap), so
    /// serial arithmetic never matters.
    /// </summary>
    public uint Serial
    {
        get
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(_records.Select(r => $"{r.Name} {r.Type} {r.Data}\n"))));
            return 1 + (BitConverter.ToUInt32(hash, 0) % 2_000_000_000u);
        }
    }

    /// <summary>The zone file in class <paramref name="dnsClass"/> (HS or IN).</summary>
    public string ZoneFile(string dnsClass)
    {
        var text = new StringBuilder();
        text.Append($"; Hesiod zone {Domain}, class {dnsClass}. Rendered by FlatRacoon from the stack; do not edit.\n");
        text.Append($"$ORIGIN {Domain}.\n");
        text.Append($"$TTL {Ttl.ToString(CultureInfo.InvariantCulture)}\n");
        text.Append($"@ {dnsClass} SOA {NameServer} hostmaster.{Domain}. ( {Serial.ToString(CultureInfo.InvariantCulture)} 3600 600 604800 300 )\n");
        text.Append($"@ {dnsClass} NS {NameServer}\n");
        foreach (var record in _records)
        {
            var data = record.Type == "TXT" ? Quote(record.Data) : record.Data;
            text.Append($"{record.Name} {dnsClass} {record.Type} {data}\n");
        }
        return text.ToString();
    }

    /// <summary>File name of the zone in class <paramref name="dnsClass"/>.</summary>
    public string ZoneFileName(string dnsClass) => $"db.{Domain}.{dnsClass.ToLowerInvariant()}";

    /// <summary>named.conf: an HS view and an IN view, each primary for the zone; no recursion, no transfers.</summary>
    public string NamedConf(BindListen listen)
    {
        static string List(IReadOnlyList<string> addresses) => addresses.Count == 0 ? "none;" : string.Concat(addresses.Select(a => a + "; "));
        var port = listen.Port.ToString(CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        text.Append($"// BIND configuration of hesiod-dns-map for {Domain}. Rendered by FlatRacoon; do not edit.\n");
        text.Append("options {\n");
        text.Append($"  directory \"{listen.WorkingDirectory}\";\n");
        text.Append($"  pid-file {(listen.PidFile is null ? "none" : "\"" + listen.PidFile + "\"")};\n");
        text.Append($"  listen-on port {port} {{ {List(listen.ListenIpv4)}}};\n");
        text.Append($"  listen-on-v6 port {port} {{ {List(listen.ListenIpv6)}}};\n");
        text.Append("  // Authoritative only: never a resolver for anyone.\n");
        text.Append("  recursion no;\n");
        text.Append("  allow-transfer { none; };\n");
        text.Append("  notify no;\n");
        text.Append("};\n");
        if (listen.StatisticsPort is { } stats)
        {
            text.Append($"statistics-channels {{ inet ::1 port {stats.ToString(CultureInfo.InvariantCulture)} allow {{ ::1; }}; }};\n");
        }
        foreach (var dnsClass in new[] { "HS", "IN" })
        {
            text.Append($"// Class {dnsClass}{(dnsClass == "IN" ? ": what libhesiod clients (hesinfo, nss_hesiod) query" : ": the classic Hesiod class")}.\n");
            text.Append($"view \"hesiod-{dnsClass.ToLowerInvariant()}\" {dnsClass} {{\n");
            text.Append("  match-clients { any; };\n");
            text.Append($"  zone \"{Domain}\" {dnsClass} {{\n");
            text.Append("    type primary;\n");
            text.Append($"    file \"{listen.ZoneDirectory.TrimEnd('/')}/{ZoneFileName(dnsClass)}\";\n");
            text.Append("  };\n");
            text.Append("};\n");
        }
        return text.ToString();
    }

    /// <summary>hesiod.conf for clients.</summary>
    public string HesiodConf() =>
        $"# hesiod.conf for {Domain}. Rendered by FlatRacoon; do not edit.\nlhs={Lhs}\nrhs={Rhs}\nclasses={(FirstClass == "HS" ? "HS,IN" : "IN,HS")}\n";

    private static string Quote(string value)
    {
        var escaped = value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        // A TXT character-string holds at most 255 bytes; longer values become several strings.
        var parts = new List<string>();
        for (var i = 0; i < escaped.Length; i += 200)
        {
            parts.Add("\"" + escaped.Substring(i, Math.Min(200, escaped.Length - i)) + "\"");
        }
        return parts.Count == 0 ? "\"\"" : string.Join(" ", parts);
    }
}

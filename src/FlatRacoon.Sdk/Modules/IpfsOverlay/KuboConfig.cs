using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using FlatRacoon.Modules.ZerotierK8sLink;

namespace FlatRacoon.Modules.IpfsOverlay;

/// <summary>
/// The kubo configuration of a peer, written with a JSON writer (same bytes every time). Three
/// placeholders are filled in by the peer's start script, which learns them only at run time:
/// <see cref="OverlayAddress"/> (the pod's address on the overlay attachment), <see cref="PodAddress"/>
/// (its cluster address, where the RPC API listens) and <see cref="PeerId"/> (kept from <c>ipfs init</c>).
/// </summary>
public static class KuboConfig
{
    /// <summary>Placeholder of the pod's overlay address.</summary>
    public const string OverlayAddress = "@OVERLAY_ADDRESS@";
    /// <summary>Placeholder of the pod's cluster (primary interface) address.</summary>
    public const string PodAddress = "@POD_ADDRESS@";
    /// <summary>Placeholder of the peer id.</summary>
    public const string PeerId = "@PEER_ID@";
    /// <summary>Swarm port (TCP).</summary>
    public const int SwarmPort = 4001;
    /// <summary>RPC API port.</summary>
    public const int ApiPort = 5001;
    /// <summary>Gateway port.</summary>
    public const int GatewayPort = 8080;

    /// <summary>The settings the configuration is made from.</summary>
    /// <param name="Overlay">The overlay the swarm is restricted to.</param>
    /// <param name="Routing">Routing.Type: none, dhtclient or dhtserver.</param>
    /// <param name="Gateway">Whether the gateway listens (on the overlay address only).</param>
    /// <param name="LowWater">Swarm.ConnMgr.LowWater.</param>
    /// <param name="HighWater">Swarm.ConnMgr.HighWater.</param>
    /// <param name="GracePeriod">Swarm.ConnMgr.GracePeriod.</param>
    /// <param name="StorageMax">Datastore.StorageMax.</param>
    /// <param name="Listen">Explicit swarm listen multiaddrs (<c>listen_addresses</c>); empty: the pod's overlay address.</param>
    /// <param name="Announce">Explicit announced multiaddrs (<c>announce_addresses</c>); empty: the listen addresses.</param>
    /// <param name="Bootstrap">Peers dialled at start (<c>bootstrap_peers</c>), on the overlay only.</param>
    /// <param name="GatewayAddress">The gateway's bind address (<c>gateway_address</c>); null: the pod's overlay address.</param>
    public sealed record Settings(OverlayNetwork Overlay, string Routing, bool Gateway, int LowWater, int HighWater, string GracePeriod, string StorageMax,
        IReadOnlyList<string>? Listen = null, IReadOnlyList<string>? Announce = null, IReadOnlyList<string>? Bootstrap = null, string? GatewayAddress = null);

    /// <summary>
    /// Multiaddresses the swarm listens on: the overlay address only, over TCP. A private network
    /// (swarm.key) works only with TCP (and WebSocket) in libp2p: kubo refuses to start with QUIC,
    /// WebTransport or WebRTC enabled next to a swarm key, so those are off.
    /// </summary>
    public static IReadOnlyList<string> SwarmAddresses { get; } = new[]
    {
        $"/ip6/{OverlayAddress}/tcp/{SwarmPort}",
    };

    /// <summary>
    /// Every IPv4 address and every IPv6 address outside the overlay, as multiaddr filters: used
    /// for both Swarm.AddrFilters (never dial or accept them) and Addresses.NoAnnounce.
    /// </summary>
    public static IReadOnlyList<string> Filters(OverlayNetwork overlay) =>
        new[] { "/ip4/0.0.0.0/ipcidr/0" }
            .Concat(overlay.Prefix.Complement().Select(p => $"/ip6/{p.First}/ipcidr/{p.Length}"))
            .ToList();

    /// <summary>
    /// Checks that a configured multiaddr is an IPv6 address on the overlay (or the pod's overlay
    /// address placeholder); throws naming the setting otherwise. The build reports the same as
    /// FR1004/FR2002; this keeps a stack rendered without validation from leaving the overlay.
    /// </summary>
    public static string RequireOnOverlay(OverlayNetwork overlay, string setting, string multiaddr)
    {
        var parts = multiaddr.Split('/');
        var onOverlay = parts.Length >= 3 && parts[0].Length == 0 && parts[1] == "ip6"
            && (parts[2] == OverlayAddress
                || (System.Net.IPAddress.TryParse(parts[2], out var address) && overlay.Prefix.Contains(address)));
        return onOverlay
            ? multiaddr
            : throw new InvalidOperationException(
                $"ipfs-overlay {setting}: '{multiaddr}' is not an IPv6 address on the overlay {overlay.Prefix}; IPFS lives on the overlay only (FR1004).");
    }

    /// <summary>The configuration as indented JSON with a final newline.</summary>
    public static string Render(Settings settings)
    {
        var filters = Filters(settings.Overlay);
        string[] Checked(string setting, IReadOnlyList<string>? values, IReadOnlyList<string> fallback) =>
            values is { Count: > 0 } ? values.Select(v => RequireOnOverlay(settings.Overlay, setting, v)).ToArray() : fallback.ToArray();
        var swarm = Checked("listen_addresses", settings.Listen, SwarmAddresses);
        var announce = Checked("announce_addresses", settings.Announce, swarm);
        var bootstrap = Checked("bootstrap_peers", settings.Bootstrap, Array.Empty<string>());
        var gatewayHost = settings.GatewayAddress is { } configured
            ? RequireOnOverlay(settings.Overlay, "gateway_address", $"/ip6/{configured}").Substring("/ip6/".Length)
            : OverlayAddress;
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartObject("API");
            w.WriteStartObject("HTTPHeaders");
            w.WriteEndObject();
            w.WriteEndObject();

            w.WriteStartObject("Addresses");
            // The RPC API listens on the pod's cluster address (NetworkPolicy keeps it inside the
            // namespace) and on loopback (probes, the cluster sidecar) — never on the overlay.
            Strings(w, "API", $"/ip6/{PodAddress}/tcp/{ApiPort}", $"/ip6/::1/tcp/{ApiPort}");
            Strings(w, "Announce", announce);
            Strings(w, "AppendAnnounce");
            Strings(w, "Gateway", settings.Gateway ? new[] { $"/ip6/{gatewayHost}/tcp/{GatewayPort}" } : Array.Empty<string>());
            Strings(w, "NoAnnounce", filters.ToArray());
            Strings(w, "Swarm", swarm);
            w.WriteEndObject();

            w.WriteStartObject("AutoNAT");
            w.WriteString("ServiceMode", "disabled");
            w.WriteEndObject();
            // A private swarm: no public bootstrap peers, only configured peers on the overlay.
            Strings(w, "Bootstrap", bootstrap);

            w.WriteStartObject("Datastore");
            w.WriteNumber("BloomFilterSize", 0);
            w.WriteString("GCPeriod", "1h");
            w.WriteNumber("StorageGCWatermark", 90);
            w.WriteString("StorageMax", settings.StorageMax);
            // kubo's default flatfs + leveldb layout: `ipfs init` creates exactly this, and
            // `ipfs config replace` refuses a different spec for an existing repository.
            w.WriteStartObject("Spec");
            w.WriteStartArray("mounts");
            w.WriteStartObject();
            w.WriteStartObject("child");
            w.WriteString("path", "blocks");
            w.WriteString("shardFunc", "/repo/flatfs/shard/v1/next-to-last/2");
            w.WriteBoolean("sync", true);
            w.WriteString("type", "flatfs");
            w.WriteEndObject();
            w.WriteString("mountpoint", "/blocks");
            w.WriteString("prefix", "flatfs.datastore");
            w.WriteString("type", "measure");
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteStartObject("child");
            w.WriteString("compression", "none");
            w.WriteString("path", "datastore");
            w.WriteString("type", "levelds");
            w.WriteEndObject();
            w.WriteString("mountpoint", "/");
            w.WriteString("prefix", "leveldb.datastore");
            w.WriteString("type", "measure");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteString("type", "mount");
            w.WriteEndObject();
            w.WriteEndObject();

            w.WriteStartObject("Discovery");
            w.WriteStartObject("MDNS");
            w.WriteBoolean("Enabled", false);
            w.WriteEndObject();
            w.WriteEndObject();

            w.WriteStartObject("Gateway");
            // Serve only what the swarm already holds; never resolve DNSLink for arbitrary names.
            w.WriteBoolean("NoDNSLink", true);
            w.WriteBoolean("NoFetch", true);
            w.WriteStartObject("PublicGateways");
            w.WriteEndObject();
            w.WriteEndObject();

            w.WriteStartObject("Identity");
            w.WriteString("PeerID", PeerId);
            w.WriteEndObject();

            w.WriteStartObject("Peering");
            w.WriteStartArray("Peers");
            w.WriteEndArray();
            w.WriteEndObject();

            w.WriteStartObject("Routing");
            w.WriteString("Type", settings.Routing);
            w.WriteEndObject();

            w.WriteStartObject("Swarm");
            Strings(w, "AddrFilters", filters.ToArray());
            w.WriteStartObject("ConnMgr");
            w.WriteString("GracePeriod", settings.GracePeriod);
            w.WriteNumber("HighWater", settings.HighWater);
            w.WriteNumber("LowWater", settings.LowWater);
            w.WriteString("Type", "basic");
            w.WriteEndObject();
            w.WriteBoolean("DisableNatPortMap", true);
            w.WriteBoolean("EnableHolePunching", false);
            w.WriteStartObject("RelayClient");
            w.WriteBoolean("Enabled", false);
            w.WriteEndObject();
            w.WriteStartObject("RelayService");
            w.WriteBoolean("Enabled", false);
            w.WriteEndObject();
            w.WriteStartObject("Transports");
            w.WriteStartObject("Network");
            w.WriteBoolean("QUIC", false);
            w.WriteBoolean("TCP", true);
            w.WriteBoolean("WebRTCDirect", false);
            w.WriteBoolean("WebTransport", false);
            w.WriteBoolean("Websocket", false);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    private static void Strings(Utf8JsonWriter w, string name, params string[] values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }
        w.WriteEndArray();
    }
}

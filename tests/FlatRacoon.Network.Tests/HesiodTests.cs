using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using FlatRacoon.Modules.HesiodDnsMap;
using FlatRacoon.Rendering;
using FlatRacoon.Samples;
using Xunit;

using FlatRacoon.Tests.Shared;

namespace FlatRacoon.Network.Tests;

public class HesiodTests
{
    private const string Module = HesiodDnsMapRenderer.ModuleName;

    private static HesiodZone SampleZone()
    {
        var stack = NetStack.Create().Build();
        var module = stack.Module(Module)!;
        return HesiodZone.Build(ConfigJson.ToElement(module.Config), $"{module.Name}.{module.Namespace}.svc.cluster.local.",
            HesiodDnsMapRenderer.ServiceEndpoints(StackRenderer.Render(stack).Objects, module));
    }

    private static string WriteZones(ManifestSet set, HesiodZone zone, string dir)
    {
        foreach (var cls in new[] { "HS", "IN" })
        {
            var content = RenderedSample.Artifact(set, Module, zone.ZoneFileName(cls));
            Assert.Equal(zone.ZoneFile(cls), content);
            File.WriteAllText(Path.Combine(dir, zone.ZoneFileName(cls)), content);
        }
        return dir;
    }

    [Fact]
    public async Task Named_checkzone_accepts_the_rendered_zones()
    {
        var set = RenderedSample.Render();
        var zone = SampleZone();
        var dir = Tools.TempDir("hesiod-check");
        try
        {
            WriteZones(set, zone, dir);
            var (code, output) = await Tools.Run("named-checkzone", "-c", "HS", zone.Domain, Path.Combine(dir, zone.ZoneFileName("HS")));
            Assert.True(code == 0, output);
            (code, output) = await Tools.Run("named-checkzone", zone.Domain, Path.Combine(dir, zone.ZoneFileName("IN")));
            Assert.True(code == 0, output);
            File.WriteAllText(Path.Combine(dir, "named.conf"), RenderedSample.Artifact(set, Module, "named.conf"));
            (code, output) = await Tools.Run("named-checkconf", Path.Combine(dir, "named.conf"));
            Assert.True(code == 0, output);
            // Every module with a Service has its record; the configured maps are there too.
            foreach (var module in new[] { "ipfs-overlay", "network-dashboard", "bgp-backbone-lab", "ipv6-site-enforcer", Module })
            {
                Assert.Contains(zone.Records, r => r.Name == $"{module}.service.ns.flatracoon.internal." && r.Type == "TXT");
            }
            Assert.Contains(zone.Records, r => r.Name == "ops.passwd.ns.flatracoon.internal.");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Named_on_loopback_answers_HS_TXT_for_every_service_record()
    {
        var set = RenderedSample.Render();
        var zone = SampleZone();
        var dir = Tools.TempDir("hesiod-named");
        Process? named = null;
        try
        {
            WriteZones(set, zone, dir);
            var port = FreePort();
            var conf = Path.Combine(dir, "named.conf");
            File.WriteAllText(conf, zone.NamedConf(new BindListen(port, new[] { "127.0.0.1" }, Array.Empty<string>(), dir, dir, Path.Combine(dir, "named.pid"), null)));
            named = Tools.Start($"named -g -c '{conf}' >'{dir}/named.log' 2>&1");
            var p = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(await Tools.Eventually(async () => (await Tools.Run("dig", "+short", "-p", p, "@127.0.0.1", zone.Domain, "HS", "SOA")).Output.Contains("hostmaster")),
                File.Exists($"{dir}/named.log") ? File.ReadAllText($"{dir}/named.log") : "named did not start");
            foreach (var group in zone.Records.Where(r => r.Name.Contains(".service.")).GroupBy(r => r.Name))
            {
                var (code, output) = await Tools.Run("dig", "+short", "-p", p, "@127.0.0.1", group.Key, "HS", "TXT");
                Assert.Equal(0, code);
                foreach (var record in group)
                {
                    Assert.Contains($"\"{record.Data}\"", output);
                }
            }
        }
        finally
        {
            Tools.Stop(named);
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Hesinfo_reads_the_service_records_through_the_IN_view_inside_its_own_namespaces()
    {
        var set = RenderedSample.Render();
        var zone = SampleZone();
        var dir = Tools.TempDir("hesiod-hesinfo");
        try
        {
            WriteZones(set, zone, dir);
            File.WriteAllText(Path.Combine(dir, "named.conf"), zone.NamedConf(new BindListen(53, new[] { "127.0.0.1" }, Array.Empty<string>(), dir, dir, Path.Combine(dir, "named.pid"), null)));
            File.WriteAllText(Path.Combine(dir, "resolv.conf"), "nameserver 127.0.0.1\n");
            File.WriteAllText(Path.Combine(dir, "hesiod.conf"), RenderedSample.Artifact(set, Module, "hesiod.conf"));
            // A new network namespace (only its own loopback) and mount namespace (a private resolv.conf):
            // named on port 53 there, hesinfo against it; the host's resolver is never used.
            File.WriteAllText(Path.Combine(dir, "run.sh"), $$"""
                set -e
                ip link set lo up
                mount --bind '{{dir}}/resolv.conf' /etc/resolv.conf
                named -g -c '{{dir}}/named.conf' >'{{dir}}/named.log' 2>&1 &
                pid=$!
                trap 'kill $pid; wait $pid 2>/dev/null || true' EXIT
                for i in $(seq 1 80); do
                  dig +short @127.0.0.1 {{zone.Domain}} SOA | grep -q hostmaster && break
                  sleep 0.25
                done
                export HESIOD_CONFIG='{{dir}}/hesiod.conf'
                echo "== ipfs-overlay"; hesinfo ipfs-overlay service
                echo "== hesiod-dns-map"; hesinfo hesiod-dns-map service
                echo "== ops"; hesinfo ops passwd
                """);
            var (code, output) = await Tools.Run("unshare", "--net", "--mount", "sh", Path.Combine(dir, "run.sh"));
            Assert.True(code == 0, output);
            Assert.Contains("ipfs-overlay.ipfs-overlay.svc.cluster.local:5001:tcp", output);
            Assert.Contains("hesiod-dns-map.hesiod-dns-map.svc.cluster.local:53:udp", output);
            Assert.Contains("ops:*:2001:2000:Site operations:/home/ops:/bin/bash", output);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace FlatRacoon.Samples.Tests;

/// <summary>
/// Runs the rendered kubo start script (kubo-start.sh) with the system shell against stand-ins
/// for <c>ip</c> and <c>ipfs</c> (no kubo can be installed here): it must fill in the overlay and
/// pod addresses, keep the identity, peer with earlier peers and install swarm.key, and it must
/// refuse to start a peer without an overlay address.
/// </summary>
public class KuboStartScriptTests
{
    private const string OverlayPrefix = "2001:db8:f1a7:2e00::/64";
    private const string OverlayAddress = "2001:db8:f1a7:2e00:8000::5";
    private const string PodAddress = "2001:db8:f1a7:1000::42";

    private const string FakeIp = """
        #!/bin/sh
        # Stand-in for busybox ip: answers "ip -6 -o addr show dev net1 scope global to PREFIX".
        case "$*" in
          *"dev net1"*"to $FAKE_EXPECT_PREFIX"*)
            [ -n "$FAKE_IP_ADDR" ] && printf '3: net1    inet6 %s/65 scope global \\       valid_lft forever preferred_lft forever\n' "$FAKE_IP_ADDR" ;;
        esac
        exit 0
        """;

    private const string FakeIpfs = """
        #!/bin/sh
        # Stand-in for the ipfs CLI: the few commands the start script uses.
        echo "ipfs $*" >> "$FAKE_LOG"
        case "$1" in
          init) mkdir -p "$IPFS_PATH"; echo '{"Identity":{"PeerID":"12D3KooWSelf","PrivKey":"kept"}}' > "$IPFS_PATH/config" ;;
          config)
            case "$2" in
              Identity.PeerID) echo 12D3KooWSelf ;;
              replace) cp "$3" "$IPFS_PATH/config" ;;
              --json) printf '%s' "$4" > "$IPFS_PATH/$3.json" ;;
            esac ;;
          --api=/dns6/ipfs-overlay-0.ipfs-overlay/tcp/5001)
            echo '{"ID":"12D3KooWPeerZero","PublicKey":"x","Addresses":["/ip6/2001:db8:f1a7:2e00:8000::9/tcp/4001/p2p/12D3KooWPeerZero"]}' ;;
          --api=*) exit 1 ;;
        esac
        exit 0
        """;

    [Fact]
    public void The_start_script_fills_in_the_overlay_address_peers_and_installs_the_swarm_key()
    {
        using var sandbox = new Sandbox();
        var (code, _, error) = sandbox.Run(overlayAddress: OverlayAddress, podAddress: PodAddress, hostname: "ipfs-overlay-1");
        Assert.True(code == 0, error);

        var config = File.ReadAllText(Path.Combine(sandbox.RepoDir, "config"));
        Assert.DoesNotContain("@OVERLAY_ADDRESS@", config);
        Assert.DoesNotContain("@POD_ADDRESS@", config);
        Assert.DoesNotContain("@PEER_ID@", config);
        using var json = JsonDocument.Parse(config);
        var addresses = json.RootElement.GetProperty("Addresses");
        Assert.Equal(new[] { $"/ip6/{OverlayAddress}/tcp/4001" }, addresses.GetProperty("Swarm").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(new[] { $"/ip6/{OverlayAddress}/tcp/4001" }, addresses.GetProperty("Announce").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(new[] { $"/ip6/{PodAddress}/tcp/5001", "/ip6/::1/tcp/5001" }, addresses.GetProperty("API").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("12D3KooWSelf", json.RootElement.GetProperty("Identity").GetProperty("PeerID").GetString());

        // Peer 1 peers with peer 0 at its overlay address (without the /p2p suffix).
        using var peering = JsonDocument.Parse(File.ReadAllText(Path.Combine(sandbox.RepoDir, "Peering.Peers.json")));
        var peer = peering.RootElement.EnumerateArray().Single();
        Assert.Equal("12D3KooWPeerZero", peer.GetProperty("ID").GetString());
        Assert.Equal(new[] { "/ip6/2001:db8:f1a7:2e00:8000::9/tcp/4001" }, peer.GetProperty("Addrs").EnumerateArray().Select(a => a.GetString()));

        var key = Path.Combine(sandbox.RepoDir, "swarm.key");
        Assert.Equal(Sandbox.SwarmKey, File.ReadAllText(key));
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(key));
    }

    [Fact]
    public void The_first_peer_has_no_peering_and_asks_nobody()
    {
        using var sandbox = new Sandbox();
        var (code, _, error) = sandbox.Run(overlayAddress: OverlayAddress, podAddress: PodAddress, hostname: "ipfs-overlay-0");
        Assert.True(code == 0, error);
        Assert.Equal("[]", File.ReadAllText(Path.Combine(sandbox.RepoDir, "Peering.Peers.json")));
        Assert.DoesNotContain("--api=", File.ReadAllText(sandbox.Log));
    }

    [Fact]
    public void Without_an_address_inside_the_overlay_the_peer_does_not_start()
    {
        using var sandbox = new Sandbox();
        var (code, _, error) = sandbox.Run(overlayAddress: "", podAddress: PodAddress, hostname: "ipfs-overlay-0");
        Assert.Equal(1, code);
        Assert.Contains($"no address inside {OverlayPrefix} on net1", error);
        Assert.False(File.Exists(Path.Combine(sandbox.RepoDir, "config")), "the repository was initialised anyway");
        Assert.False(File.Exists(Path.Combine(sandbox.RepoDir, "swarm.key")));
    }

    [Fact]
    public void An_ipv4_pod_address_is_refused()
    {
        using var sandbox = new Sandbox();
        var (code, _, error) = sandbox.Run(overlayAddress: OverlayAddress, podAddress: "10.0.0.42", hostname: "ipfs-overlay-0");
        Assert.Equal(1, code);
        Assert.Contains("is not IPv6", error);
    }

    private sealed class Sandbox : IDisposable
    {
        public const string SwarmKey = "/key/swarm/psk/1.0.0/\n/base16/\n0000000000000000000000000000000000000000000000000000000000000000\n";
        private readonly string _root = Repo.TempDir("kubo-start");

        public Sandbox()
        {
            var set = RenderedStack.Render();
            Directory.CreateDirectory(Bin);
            Directory.CreateDirectory(Path.Combine(Etc, "swarm"));
            Directory.CreateDirectory(Tmp);
            Directory.CreateDirectory(Path.GetDirectoryName(RepoDir)!);
            File.WriteAllText(Path.Combine(Etc, "config.json"), RenderedStack.Artifact(set, "ipfs-overlay/kubo-config.json"));
            File.WriteAllText(Path.Combine(Etc, "swarm", "swarm.key"), SwarmKey);
            File.WriteAllText(Script, RenderedStack.Artifact(set, "ipfs-overlay/kubo-start.sh"));
            Tool("ip", FakeIp);
            Tool("ipfs", FakeIpfs);
            Tool("sleep", "#!/bin/sh\nexit 0\n");
            File.WriteAllText(Log, "");
        }

        private string Bin => Path.Combine(_root, "bin");
        private string Etc => Path.Combine(_root, "etc");
        private string Tmp => Path.Combine(_root, "tmp");
        private string Script => Path.Combine(_root, "start.sh");
        public string RepoDir => Path.Combine(_root, "data", "ipfs");
        public string Log => Path.Combine(_root, "ipfs.log");

        private void Tool(string name, string text)
        {
            var path = Path.Combine(Bin, name);
            File.WriteAllText(path, text.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        public (int Code, string Out, string Err) Run(string overlayAddress, string podAddress, string hostname)
        {
            var info = new ProcessStartInfo("/bin/sh", $"\"{Script}\"")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = _root,
            };
            info.Environment.Clear();
            foreach (var (key, value) in new Dictionary<string, string>
            {
                ["PATH"] = $"{Bin}:/usr/local/bin:/usr/bin:/bin",
                ["IPFS_PATH"] = RepoDir,
                ["KUBO_CONFIG_DIR"] = Etc,
                ["TMPDIR"] = Tmp,
                ["POD_IP"] = podAddress,
                ["HOSTNAME"] = hostname,
                ["FAKE_IP_ADDR"] = overlayAddress,
                ["FAKE_EXPECT_PREFIX"] = OverlayPrefix,
                ["FAKE_LOG"] = Log,
            })
            {
                info.Environment[key] = value;
            }
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("the start script did not finish");
            }
            return (process.ExitCode, stdout.Result, stderr.Result);
        }

        public void Dispose() => Directory.Delete(_root, true);
    }
}

/// <summary>
/// Runs the ipfs-cluster sidecar's start command (from the rendered StatefulSet) with the system
/// shell against stand-ins for <c>ip</c>, <c>ipfs-cluster-ctl</c> and <c>ipfs-cluster-service</c>.
/// </summary>
public class IpfsClusterScriptTests
{
    private const string FakeIp = """
        #!/bin/sh
        case "$*" in *"dev net1"*"to 2001:db8:f1a7:2e00::/64"*) [ -n "$FAKE_IP_ADDR" ] && echo "3: net1    inet6 $FAKE_IP_ADDR/65 scope global" ;; esac
        exit 0
        """;

    private const string FakeCtl = """
        #!/bin/sh
        echo "ctl $*" >> "$FAKE_LOG"
        case "$*" in *"/dns6/ipfs-overlay-0.ipfs-overlay/tcp/9094 id"*)
          echo '{"id":"12D3KooWClusterZero","addresses":["/ip6/2001:db8:f1a7:2e00:8000::9/tcp/9096/p2p/12D3KooWClusterZero"],"peername":"ipfs-overlay-0"}' ;;
        esac
        """;

    private const string FakeService = """
        #!/bin/sh
        echo "service $* listen=$CLUSTER_LISTENMULTIADDRESS rest=$CLUSTER_RESTAPI_HTTPLISTENMULTIADDRESS" >> "$FAKE_LOG"
        [ "$1" = init ] && : > "$IPFS_CLUSTER_PATH/service.json"
        exit 0
        """;

    [Theory]
    [InlineData("ipfs-overlay-0", "")]
    [InlineData("ipfs-overlay-2", " --bootstrap /ip6/2001:db8:f1a7:2e00:8000::9/tcp/9096/p2p/12D3KooWClusterZero")]
    public void The_cluster_listens_on_the_overlay_and_later_peers_bootstrap_to_the_first(string hostname, string bootstrap)
    {
        var root = Repo.TempDir("ipfs-cluster");
        try
        {
            var set = RenderedStack.Render();
            var statefulSet = set.Objects.Select(o => o.Object).OfType<k8s.Models.V1StatefulSet>().Single(s => s.Metadata.Name == "ipfs-overlay");
            var cluster = statefulSet.Spec.Template.Spec.Containers.Single(c => c.Name == "cluster");
            Assert.Equal(new[] { "/bin/sh", "-ec" }, cluster.Command.Take(2));
            var bin = Path.Combine(root, "bin");
            Directory.CreateDirectory(bin);
            Directory.CreateDirectory(Path.Combine(root, "state"));
            foreach (var (name, text) in new[] { ("ip", FakeIp), ("ipfs-cluster-ctl", FakeCtl), ("ipfs-cluster-service", FakeService) })
            {
                File.WriteAllText(Path.Combine(bin, name), text.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
                File.SetUnixFileMode(Path.Combine(bin, name), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            var log = Path.Combine(root, "log");
            var info = new ProcessStartInfo("/bin/sh", new[] { "-ec", cluster.Command[2] }) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            info.Environment.Clear();
            info.Environment["PATH"] = $"{bin}:/usr/bin:/bin";
            info.Environment["HOSTNAME"] = hostname;
            info.Environment["POD_IP"] = "2001:db8:f1a7:1000::42";
            info.Environment["IPFS_CLUSTER_PATH"] = Path.Combine(root, "state");
            info.Environment["FAKE_IP_ADDR"] = "2001:db8:f1a7:2e00:8000::5";
            info.Environment["FAKE_LOG"] = log;
            using var process = Process.Start(info)!;
            var error = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(60_000));
            Assert.True(process.ExitCode == 0, error.Result);

            var lines = File.ReadAllLines(log);
            Assert.Contains("service init --consensus crdt listen=/ip6/2001:db8:f1a7:2e00:8000::5/tcp/9096 rest=/ip6/2001:db8:f1a7:1000::42/tcp/9094", lines);
            Assert.Equal("service daemon" + bootstrap + " listen=/ip6/2001:db8:f1a7:2e00:8000::5/tcp/9096 rest=/ip6/2001:db8:f1a7:1000::42/tcp/9094", lines.Last());
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }
}

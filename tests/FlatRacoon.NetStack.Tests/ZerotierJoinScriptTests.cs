using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using k8s.Models;
using Xunit;

namespace FlatRacoon.Samples.Tests;

/// <summary>
/// Runs the rendered join step of zerotier-k8s-link with the system shell against a stand-in
/// <c>zerotier-idtool</c>: it joins the configured network, names the interface, creates the
/// identity once and prints the node id the authorization Job reads.
/// </summary>
public class ZerotierJoinScriptTests
{
    private const string FakeIdtool = """
        #!/bin/sh
        echo "idtool $*" >> "$FAKE_LOG"
        [ "$1" = generate ] || exit 2
        echo "a1b2c3d4e5:0:secret" > "$2"
        echo "a1b2c3d4e5:0:public" > "$3"
        """;

    [Fact]
    public void The_join_step_writes_the_state_files_once_and_publishes_the_node_id()
    {
        var root = Repo.TempDir("zt-join");
        try
        {
            var set = RenderedStack.Render();
            var daemonSet = set.Objects.Select(o => o.Object).OfType<V1DaemonSet>().Single(d => d.Metadata.Name == "zerotier-k8s-link");
            var join = daemonSet.Spec.Template.Spec.InitContainers.Single(c => c.Name == "join");
            var state = set.Objects.Select(o => o.Object).OfType<V1ConfigMap>().Single(c => c.Metadata.Name == "zerotier-k8s-link-state");
            var home = Path.Combine(root, "home");
            var conf = Path.Combine(root, "conf");
            var bin = Path.Combine(root, "bin");
            Directory.CreateDirectory(conf);
            Directory.CreateDirectory(bin);
            foreach (var (key, value) in state.Data)
            {
                File.WriteAllText(Path.Combine(conf, key), value);
            }
            File.WriteAllText(Path.Combine(bin, "zerotier-idtool"), FakeIdtool.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
            File.SetUnixFileMode(Path.Combine(bin, "zerotier-idtool"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var log = Path.Combine(root, "log");

            string Run()
            {
                var info = new ProcessStartInfo(join.Command[0], new[] { join.Command[1], join.Args.Single() })
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                info.Environment.Clear();
                info.Environment["PATH"] = $"{bin}:/usr/bin:/bin";
                info.Environment["ZEROTIER_HOME"] = home;
                info.Environment["STATE_CONFIG_DIR"] = conf;
                info.Environment["FAKE_LOG"] = log;
                using var process = Process.Start(info)!;
                var output = process.StandardOutput.ReadToEndAsync();
                var error = process.StandardError.ReadToEndAsync();
                Assert.True(process.WaitForExit(60_000));
                Assert.True(process.ExitCode == 0, error.Result);
                return output.Result;
            }

            Assert.Equal("zerotier-node-id=a1b2c3d4e5\n", Run());
            Assert.Equal("f1a7c0de00f10003=ztflatracoon\n", File.ReadAllText(Path.Combine(home, "devicemap")));
            Assert.Equal("", File.ReadAllText(Path.Combine(home, "networks.d", "f1a7c0de00f10003.conf")));
            Assert.Contains("allowGlobal=1", File.ReadAllText(Path.Combine(home, "networks.d", "f1a7c0de00f10003.local.conf")));
            Assert.Contains("\"allowSecondaryPort\": false", File.ReadAllText(Path.Combine(home, "local.conf")));

            // A restart keeps the identity and the network's cached configuration.
            File.WriteAllText(Path.Combine(home, "networks.d", "f1a7c0de00f10003.conf"), "cached");
            Assert.Equal("zerotier-node-id=a1b2c3d4e5\n", Run());
            Assert.Equal("cached", File.ReadAllText(Path.Combine(home, "networks.d", "f1a7c0de00f10003.conf")));
            Assert.Single(File.ReadAllLines(log));
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using k8s.Models;
using Xunit;

namespace FlatRacoon.Samples.Tests;

/// <summary>
/// Runs the rendered node-authorization script of zerotier-k8s-link with the system shell against
/// a stand-in <c>curl</c> that answers like the Kubernetes API (pod metadata, pod logs) and records
/// what is sent to the ZeroTier controller.
/// </summary>
public class ZerotierAuthorizeScriptTests
{
    private const string FakeCurl = """
        #!/bin/sh
        # Stand-in for curl: Kubernetes API answers from files, controller requests recorded.
        method=GET; data=''; accept=''; url=''
        while [ $# -gt 0 ]; do
          case "$1" in
            -X) method=$2; shift 2 ;;
            --data) data=$2; shift 2 ;;
            --cacert) shift 2 ;;
            -H) case "$2" in Accept:*) accept=$2 ;; esac; shift 2 ;;
            -*) shift ;;
            *) url=$1; shift ;;
          esac
        done
        case "$url" in
          https://kubernetes.default.svc/api/v1/namespaces/*/pods\?labelSelector=*)
            case "$accept" in
              *PartialObjectMetadataList*) cat "$FAKE_DIR/pods-metadata.json" ;;
              *) cat "$FAKE_DIR/pods-full.json" ;;
            esac ;;
          https://kubernetes.default.svc/api/v1/namespaces/*/pods/*/log\?container=join)
            pod=${url%%/log*}; pod=${pod##*/}
            [ -f "$FAKE_DIR/log-$pod" ] || { echo "404 $url" >&2; exit 22; }
            cat "$FAKE_DIR/log-$pod" ;;
          "$CONTROLLER_URL"/*)
            case "$data" in @*) data=$(tr -d '\n ' < "${data#@}") ;; esac
            printf '%s %s %s\n' "$method" "${url#"$CONTROLLER_URL"}" "$data" >> "$FAKE_DIR/controller.log" ;;
          *) echo "unexpected url $url" >&2; exit 7 ;;
        esac
        """;

    private const string PodsMetadata = """
        {"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/v1","items":[
        {"metadata":{"name":"zerotier-k8s-link-x7k2p","generateName":"zerotier-k8s-link-","namespace":"zerotier-k8s-link","labels":{"app.kubernetes.io/name":"zerotier-k8s-link"},"ownerReferences":[{"kind":"DaemonSet","name":"zerotier-k8s-link"}]}},
        {"metadata":{"name":"zerotier-k8s-link-q9w4z","generateName":"zerotier-k8s-link-","namespace":"zerotier-k8s-link","labels":{"app.kubernetes.io/name":"zerotier-k8s-link"},"ownerReferences":[{"kind":"DaemonSet","name":"zerotier-k8s-link"}]}}]}
        """;

    // What a full pod list would also contain: a ConfigMap volume whose name looks like a pod's.
    private const string PodsFull = """
        {"kind":"PodList","items":[{"metadata":{"name":"zerotier-k8s-link-x7k2p"},"spec":{"volumes":[{"name":"state-config","configMap":{"name":"zerotier-k8s-link-state"}}]}}]}
        """;

    [Fact]
    public void The_job_configures_the_network_and_authorizes_exactly_the_members_that_published_their_ids()
    {
        using var sandbox = new Sandbox();
        sandbox.Log("zerotier-k8s-link-x7k2p", "zerotier-node-id=a1b2c3d4e5\n");
        sandbox.Log("zerotier-k8s-link-q9w4z", "something else\nzerotier-node-id=0f0e0d0c0b\n");
        var (code, output, error) = sandbox.Run();
        Assert.True(code == 0, error + output);

        var requests = sandbox.ControllerRequests();
        Assert.Equal(3, requests.Count);
        Assert.StartsWith("POST /network/f1a7c0de00f10003 {", requests[0]);
        Assert.Contains("\"ipAssignmentPools\"", requests[0]);
        Assert.Equal(new[]
        {
            "POST /network/f1a7c0de00f10003/member/0f0e0d0c0b {\"name\":\"zerotier-k8s-link-q9w4z\",\"config\":{\"authorized\":true}}",
            "POST /network/f1a7c0de00f10003/member/a1b2c3d4e5 {\"name\":\"zerotier-k8s-link-x7k2p\",\"config\":{\"authorized\":true}}",
        }, requests.Skip(1).OrderBy(r => r, StringComparer.Ordinal));
        Assert.DoesNotContain("zerotier-k8s-link-state", output + error);
    }

    [Fact]
    public void The_job_fails_and_retries_while_a_member_has_not_published_its_id()
    {
        using var sandbox = new Sandbox();
        sandbox.Log("zerotier-k8s-link-q9w4z", "zerotier-node-id=0f0e0d0c0b\n");
        sandbox.Log("zerotier-k8s-link-x7k2p", "zerotier-node-id=not-an-id\n");
        var (code, output, _) = sandbox.Run();
        Assert.NotEqual(0, code);
        Assert.Contains("zerotier-k8s-link-x7k2p has not published its node id yet", output);
        Assert.DoesNotContain(sandbox.ControllerRequests(), r => r.Contains("not-an-id", StringComparison.Ordinal));
    }

    private sealed class Sandbox : IDisposable
    {
        private readonly string _root = Repo.TempDir("zt-authorize");
        private readonly V1Container _container;

        public Sandbox()
        {
            var set = RenderedStack.Render();
            var config = set.Objects.Select(o => o.Object).OfType<V1ConfigMap>().Single(c => c.Metadata.Name == "zerotier-k8s-link-authorize");
            _container = set.Objects.Select(o => o.Object).OfType<V1Job>().Single().Spec.Template.Spec.Containers.Single();
            Directory.CreateDirectory(Path.Combine(_root, "bin"));
            Directory.CreateDirectory(Path.Combine(_root, "sa"));
            Directory.CreateDirectory(Path.Combine(_root, "authorize"));
            File.WriteAllText(Path.Combine(_root, "sa", "token"), "service-account-token");
            File.WriteAllText(Path.Combine(_root, "sa", "ca.crt"), "ca");
            foreach (var (key, value) in config.Data)
            {
                File.WriteAllText(Path.Combine(_root, "authorize", key), value);
            }
            File.WriteAllText(Path.Combine(_root, "pods-metadata.json"), PodsMetadata);
            File.WriteAllText(Path.Combine(_root, "pods-full.json"), PodsFull);
            var curl = Path.Combine(_root, "bin", "curl");
            File.WriteAllText(curl, FakeCurl.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
            File.SetUnixFileMode(curl, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        public void Log(string pod, string text) => File.WriteAllText(Path.Combine(_root, "log-" + pod), text);

        public List<string> ControllerRequests()
        {
            var log = Path.Combine(_root, "controller.log");
            return File.Exists(log) ? File.ReadAllLines(log).ToList() : new List<string>();
        }

        public (int Code, string Out, string Err) Run()
        {
            var info = new ProcessStartInfo("/bin/sh", $"\"{Path.Combine(_root, "authorize", "authorize.sh")}\"")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = _root,
            };
            info.Environment.Clear();
            info.Environment["PATH"] = $"{Path.Combine(_root, "bin")}:/usr/bin:/bin";
            info.Environment["SERVICE_ACCOUNT_DIR"] = Path.Combine(_root, "sa");
            info.Environment["AUTHORIZE_DIR"] = Path.Combine(_root, "authorize");
            info.Environment["FAKE_DIR"] = _root;
            // The Job's own environment, as rendered (the token stands in for the Secret's value).
            foreach (var env in _container.Env)
            {
                info.Environment[env.Name] = env.Value ?? "controller-token";
            }
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("the authorize script did not finish");
            }
            return (process.ExitCode, stdout.Result, stderr.Result);
        }

        public void Dispose() => Directory.Delete(_root, true);
    }
}

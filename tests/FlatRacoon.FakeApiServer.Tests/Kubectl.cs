using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace FlatRacoon.FakeApiServer.Tests;

/// <summary>Runs the real kubectl (v1.32 on these machines; scripts/setup.d/40-kubectl.sh installs Debian's kubernetes-client when it is missing) against a fake.</summary>
internal sealed class Kubectl : IAsyncDisposable
{
    private readonly string _dir;

    private Kubectl(FlatRacoon.Testing.Fake.FakeApiServer fake, string dir)
    {
        Fake = fake;
        _dir = dir;
        Kubeconfig = fake.WriteKubeconfig(Path.Combine(dir, "kubeconfig"));
    }

    /// <summary>The Deployment the kubectl tests apply, patch and replace: two replicas of one container with one port.</summary>
    public const string WebDeployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: default
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: app
                image: nginx:1.27
                ports:
                - containerPort: 8080

        """;

    public FlatRacoon.Testing.Fake.FakeApiServer Fake { get; }
    public string Kubeconfig { get; }

    public static async Task<Kubectl> StartAsync()
    {
        var dir = Directory.CreateTempSubdirectory("fake-kubectl-").FullName;
        return new Kubectl(await StructuredMergeTests.StartAsync(), dir);
    }

    /// <summary>Writes <paramref name="yaml"/> to a file in the test's folder and returns its path.</summary>
    public string File(string name, string yaml)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, yaml);
        return path;
    }

    public Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => RunWithAsync(new System.Collections.Generic.Dictionary<string, string>(), args);

    /// <summary>As <see cref="RunAsync"/>, with environment variables (KUBE_EDITOR for kubectl edit).</summary>
    public async Task<(int Exit, string Out, string Err)> RunWithAsync(System.Collections.Generic.IDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--kubeconfig=" + Kubeconfig);
        start.ArgumentList.Add("--cache-dir=" + Path.Combine(_dir, "cache"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        start.Environment.Remove("KUBECONFIG");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("kubectl is not on PATH: run scripts/setup.d/40-kubectl.sh (installs Debian's kubernetes-client) or scripts/test.sh");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            return (process.ExitCode, await stdout, await stderr);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Fake.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FlatRacoon.Testing.Fake;
using FlatRacoon.Rendering;
using FlatRacoon.Secrets;
using Xunit;

namespace FlatRacoon.Deployment.Tests;

/// <summary>
/// Secrets listed in a module's secrets.apply.json are resolved at apply time (environment and
/// file references here, through the default resolvers) and applied before the module's other
/// objects; their values never reach narration, plans or errors; prune and rollback treat them
/// like any other member of the ApplySet.
/// </summary>
public sealed class SecretApplyTests : IDisposable
{
    private const string SwarmKey = "/key/swarm/psk/1.0.0/\n/base16/\n5e1ec7ed5a17f00dcafe0123456789abcdef0123456789abcdef0123456789ab";
    private const string ClusterSecret = "c1a55e7c1a55e7c1a55e7c1a55e7c1a55e7c1a55e7c1a55e7c1a55e7c1a55e7c";
    private const string AgeKey = "AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQS";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"flatracoon-secrets-{Guid.NewGuid():N}");
    private readonly string _swarmVariable = $"FLATRACOON_DEPLOY_TEST_SWARM_{Guid.NewGuid():N}";
    private readonly string _clusterSecretFile;
    private readonly string _ageFile;

    public SecretApplyTests()
    {
        Directory.CreateDirectory(_dir);
        _clusterSecretFile = Path.Combine(_dir, "cluster-secret");
        _ageFile = Path.Combine(_dir, "age.key");
        File.WriteAllText(_clusterSecretFile, ClusterSecret);
        File.WriteAllText(_ageFile, AgeKey + "\n");
        Environment.SetEnvironmentVariable(_swarmVariable, SwarmKey);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_swarmVariable, null);
        Directory.Delete(_dir, true);
    }

    private static DeployOptions RealResolvers => Harness.FastOptions with { SecretResolver = SecretResolver.CreateDefault() };

    private DeploymentSet Set(string? swarmVariable = null) => SampleSettings.Set(new Dictionary<string, IReadOnlyDictionary<string, string>>
    {
        ["ipfs-overlay"] = new Dictionary<string, string>
        {
            ["swarm_key"] = "env://" + (swarmVariable ?? _swarmVariable),
            ["cluster_secret"] = "file://" + _clusterSecretFile,
        },
        ["poly-secret-mcp"] = new Dictionary<string, string> { ["sops_age_key"] = "file://" + _ageFile },
    });

    private static string B64(string value) => Convert.ToBase64String(Encoding.UTF8.GetBytes(value));

    private static IEnumerable<string> Forms(params string[] values) =>
        values.SelectMany(v => new[] { v, B64(v), v.Trim(), B64(v.Trim()) }.Concat(v.Split('\n').Where(l => l.Length >= 16))).Distinct();

    private static void AssertNoValue(IEnumerable<string> outputs, params string[] values)
    {
        foreach (var text in outputs)
        {
            foreach (var form in Forms(values))
            {
                Assert.False(text.Contains(form, StringComparison.Ordinal), $"a secret value ({form.Length} chars) appears in:\n{text[..Math.Min(text.Length, 2000)]}");
            }
        }
    }

    private static string Plural(string kind) => kind.ToLowerInvariant() switch
    {
        var k when k.EndsWith('y') => k[..^1] + "ies",
        var k when k.EndsWith('s') => k + "es",
        var k => k + "s",
    };

    private static string Data(JsonObject? secret, string key) =>
        Encoding.UTF8.GetString(Convert.FromBase64String(secret!["data"]![key]!.GetValue<string>()));

    [Fact(Timeout = 60_000)]
    public async Task Apply_creates_each_materialized_Secret_with_its_resolved_value_before_the_module_workloads()
    {
        await using var h = await Harness.StartAsync();
        var set = Set();
        var materialized = set.Objects.Where(o => DeploymentSet.IsMaterializedSecret(o.Body)).Select(o => o.Display).OrderBy(d => d, StringComparer.Ordinal).ToList();
        Assert.Contains("Secret ipfs-overlay/ipfs-overlay-swarm-key", materialized);
        Assert.Contains("Secret ipfs-overlay/ipfs-overlay-cluster-secret", materialized);
        Assert.Contains("Secret poly-secret-mcp/poly-secret-mcp-sops-age", materialized);
        Assert.Contains("Secret", KubeObject.Annotation(set.Parent.Body, Labels.ApplySetContainsGroupKinds)!.Split(','));
        Assert.False(set.Objects.Any(o => o.Body["data"] is not null && DeploymentSet.IsMaterializedSecret(o.Body)), "the render's set must carry references only");

        var deployer = h.Deployer(RealResolvers);
        var result = await deployer.ApplyAsync(set);
        Assert.Equal(1, result.Revision);

        var swarm = h.Fake.Find("Secret", "ipfs-overlay", "ipfs-overlay-swarm-key")!;
        Assert.Equal(SwarmKey, Data(swarm, "swarm.key"));
        Assert.Equal("Opaque", swarm["type"]!.GetValue<string>());
        Assert.Equal(set.ApplySetId, KubeObject.Label(swarm, Labels.ApplySetPartOf));
        Assert.Equal("flatracoon", KubeObject.Label(swarm, Labels.ManagedBy));
        Assert.Equal("ipfs-overlay", KubeObject.Label(swarm, Labels.Module));
        Assert.Contains($"env://{_swarmVariable}", KubeObject.Annotation(swarm, DeploymentSet.SecretReferencesAnnotation), StringComparison.Ordinal);
        Assert.Equal(ClusterSecret, Data(h.Fake.Find("Secret", "ipfs-overlay", "ipfs-overlay-cluster-secret"), "cluster_secret"));
        Assert.Equal(AgeKey + "\n", Data(h.Fake.Find("Secret", "poly-secret-mcp", "poly-secret-mcp-sops-age"), "age.key"));

        // Within the module's wave: after its namespace, before every other object of the module.
        var writes = h.Fake.Requests.Where(r => r.IsWrite && r.Method == "PATCH" && !r.Path.Contains("flatracoon-system", StringComparison.Ordinal)).Select(r => r.Path).ToList();
        foreach (var (ns, secret) in new[] { ("ipfs-overlay", "ipfs-overlay-swarm-key"), ("ipfs-overlay", "ipfs-overlay-cluster-secret"), ("poly-secret-mcp", "poly-secret-mcp-sops-age") })
        {
            var at = writes.FindIndex(p => p == $"/api/v1/namespaces/{ns}/secrets/{secret}");
            Assert.True(at >= 0, $"{secret} was not written");
            Assert.True(writes.FindIndex(p => p == $"/api/v1/namespaces/{ns}") < at, $"{secret} was written before its namespace");
            var module = set.Objects.Single(o => o.Kind == "Secret" && KubeObject.Name(o.Body) == secret).Module;
            var others = set.Objects.Where(o => o.Module == module && !DeploymentSet.IsMaterializedSecret(o.Body) && KubeObject.Namespace(o.Body) == ns)
                .Select(o => $"/{Plural(o.Kind)}/{KubeObject.Name(o.Body)}").ToList();
            var moduleObjects = writes.Select((p, i) => (p, i)).Where(w => w.p.Contains($"/namespaces/{ns}/", StringComparison.Ordinal) && others.Any(o => w.p.EndsWith(o, StringComparison.Ordinal))).ToList();
            Assert.NotEmpty(moduleObjects);
            Assert.All(moduleObjects, w => Assert.True(w.i > at, $"{w.p} was written before {secret}"));
        }

        // A second apply resolves again, finds nothing changed, writes nothing.
        h.Fake.ResetCounters();
        var again = await h.Deployer(RealResolvers).ApplyAsync(Set());
        Assert.False(again.Changed);
        Assert.Equal(0, h.Fake.WriteCount);

        var plan = await h.Deployer(RealResolvers).PlanAsync(Set());
        AssertNoValue(new[] { h.Narrator.Text.ToString(), h.Narrator.Json.ToString(), plan.ToText(), plan.ToJsonText() }, SwarmKey, ClusterSecret, AgeKey);
    }

    [Fact(Timeout = 60_000)]
    public async Task Values_never_reach_narration_plan_output_or_exceptions_even_when_the_API_echoes_them()
    {
        await using var h = await Harness.StartAsync();
        // The API echoes the object it refuses (as validation errors do).
        h.Fake.Faults.Add(new FaultRule { When = r => r.Method == "PATCH" && !r.DryRun && r.Path.EndsWith("/secrets/ipfs-overlay-swarm-key", StringComparison.Ordinal), Times = 1, EchoInvalid = true });
        var createPlan = await h.Deployer(RealResolvers).PlanAsync(Set());
        var planOutputs = new[] { createPlan.ToText(), createPlan.ToJsonText(), h.Narrator.Text.ToString(), h.Narrator.Json.ToString() };
        Assert.Contains("data[\"swarm.key\"]: (secret, added)", createPlan.ToText(), StringComparison.Ordinal);

        var deployer = h.Deployer(RealResolvers);
        var error = await Assert.ThrowsAsync<ApplyFailedException>(() => deployer.ApplyAsync(Set()));
        Assert.Contains("422 Invalid", error.Message, StringComparison.Ordinal);
        Assert.Contains("(redacted)", error.Message, StringComparison.Ordinal);
        var outputs = planOutputs.Concat(new[] { error.ToString(), error.InnerException!.ToString(), h.Narrator.Text.ToString(), h.Narrator.Json.ToString() }).ToList();

        deployer = h.Deployer(RealResolvers);
        await deployer.ApplyAsync(Set());
        outputs.Add(h.Narrator.Text.ToString());
        outputs.Add(h.Narrator.Json.ToString());
        AssertNoValue(outputs, SwarmKey, ClusterSecret, AgeKey);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_missing_variable_or_file_fails_the_apply_before_any_write_naming_the_reference_and_the_revision()
    {
        await using var h = await Harness.StartAsync();
        var missingVariable = $"FLATRACOON_DEPLOY_TEST_UNSET_{Guid.NewGuid():N}";

        var fresh = await Assert.ThrowsAsync<ApplyFailedException>(() => h.Deployer(RealResolvers).ApplyAsync(Set(missingVariable)));
        Assert.Contains($"env://{missingVariable}", fresh.Message, StringComparison.Ordinal);
        Assert.Contains("is not set", fresh.Message, StringComparison.Ordinal);
        Assert.Contains("revision none", fresh.Message, StringComparison.Ordinal);
        Assert.Null(fresh.ClusterRevision);
        Assert.IsType<SecretResolutionException>(fresh.InnerException);
        Assert.Equal(0, h.Fake.WriteCount);

        await h.Deployer(RealResolvers).ApplyAsync(Set());
        h.Fake.ResetCounters();
        var before = h.Comparable();

        var deployer = h.Deployer(RealResolvers);
        var error = await Assert.ThrowsAsync<ApplyFailedException>(() => deployer.ApplyAsync(Set(missingVariable)));
        Assert.Contains($"env://{missingVariable}", error.Message, StringComparison.Ordinal);
        Assert.Contains("the cluster holds revision 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.ClusterRevision);
        Assert.Equal(0, h.Fake.WriteCount);
        Assert.Equal(before, h.Comparable());
        Assert.Contains(h.Narrator.Events, e => e.Step == "apply.failed" && e.Message.Contains($"env://{missingVariable}", StringComparison.Ordinal));

        File.Delete(_ageFile);
        var noFile = await Assert.ThrowsAsync<ApplyFailedException>(() => h.Deployer(RealResolvers).ApplyAsync(Set()));
        Assert.Contains($"file://{_ageFile}", noFile.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", noFile.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Fake.WriteCount);
    }

    [Fact(Timeout = 90_000)]
    public async Task The_revision_hash_leaves_values_out_yet_a_value_an_interrupted_run_wrote_is_recorded()
    {
        // The hash is printed and stored in labels: it must not be an oracle for guessing a value.
        const string rotated = "/key/swarm/psk/1.0.0/\n/base16/\n1111111111111111111111111111111111111111111111111111111111rotated";
        var resolver = SecretResolver.CreateDefault();
        var before = await Set().ResolveSecretsAsync(resolver);
        Environment.SetEnvironmentVariable(_swarmVariable, rotated);
        var after = await Set().ResolveSecretsAsync(resolver);
        Assert.Equal(before.Hash(), after.Hash());
        Assert.False(before.SameSecretValues(after));
        Environment.SetEnvironmentVariable(_swarmVariable, SwarmKey);

        await using var h = await Harness.StartAsync();
        Assert.Equal(1, (await h.Deployer(RealResolvers).ApplyAsync(Set())).Revision);

        // An earlier run wrote the rotated value and was interrupted before it recorded a revision.
        var live = (JsonObject)h.Fake.Find("Secret", "ipfs-overlay", "ipfs-overlay-swarm-key")!.DeepClone();
        var metadata = (JsonObject)live["metadata"]!;
        foreach (var server in new[] { "managedFields", "resourceVersion", "uid", "creationTimestamp", "generation" })
        {
            metadata.Remove(server);
        }
        live["data"]!["swarm.key"] = B64(rotated);
        h.Fake.ApplyAs("flatracoon", live);
        Environment.SetEnvironmentVariable(_swarmVariable, rotated);

        // Live matches and the hashes are equal, but the latest revision holds the old value.
        var result = await h.Deployer(RealResolvers).ApplyAsync(Set());
        Assert.True(result.Changed);
        Assert.Equal(2, result.Revision);
        var unchanged = await h.Deployer(RealResolvers).ApplyAsync(Set());
        Assert.False(unchanged.Changed);
        Assert.Equal(2, unchanged.Revision);
        AssertNoValue(new[] { h.Narrator.Text.ToString(), h.Narrator.Json.ToString() }, SwarmKey, rotated);
    }

    [Fact(Timeout = 90_000)]
    public async Task A_changed_value_shows_as_a_changed_key_and_rollback_restores_the_stored_value()
    {
        await using var h = await Harness.StartAsync();
        await h.Deployer(RealResolvers).ApplyAsync(Set());
        const string rotated = "/key/swarm/psk/1.0.0/\n/base16/\n0000000000000000000000000000000000000000000000000000000000rotated";
        Environment.SetEnvironmentVariable(_swarmVariable, rotated);

        var deployer = h.Deployer(RealResolvers);
        var plan = await deployer.PlanAsync(Set());
        var swarm = plan.Objects.Single(o => o.Display == "Secret ipfs-overlay/ipfs-overlay-swarm-key");
        Assert.Equal(PlanAction.Update, swarm.Action);
        Assert.Equal(new[] { ("data[\"swarm.key\"]", "changed") }, Plan.SecretKeyStates(swarm));
        Assert.Equal(PlanAction.Unchanged, plan.Objects.Single(o => o.Display == "Secret ipfs-overlay/ipfs-overlay-cluster-secret").Action);
        Assert.Equal(1, plan.Count(PlanAction.Update));
        var text = plan.ToText();
        Assert.Contains("~ update Secret ipfs-overlay/ipfs-overlay-swarm-key", text, StringComparison.Ordinal);
        Assert.Contains("data[\"swarm.key\"]: (secret, changed)", text, StringComparison.Ordinal);
        Assert.Contains("\"state\": \"changed\"", plan.ToJsonText(), StringComparison.Ordinal);
        AssertNoValue(new[] { text, plan.ToJsonText(), h.Narrator.Text.ToString(), h.Narrator.Json.ToString() }, SwarmKey, rotated);

        var applied = await h.Deployer(RealResolvers).ApplyAsync(Set());
        Assert.Equal(2, applied.Revision);
        Assert.Equal(rotated, Data(h.Fake.Find("Secret", "ipfs-overlay", "ipfs-overlay-swarm-key"), "swarm.key"));

        // The revision holds the values it applied: rollback restores them without resolving anything.
        Environment.SetEnvironmentVariable(_swarmVariable, null);
        var strict = new MapSecretResolver(_ => null);
        deployer = h.Deployer(Harness.FastOptions with { SecretResolver = strict });
        var rollback = await deployer.RollbackAsync(Samples.NetStack.Name, to: 1);
        Assert.Equal(3, rollback.Revision);
        Assert.Equal(0, strict.Calls);
        Assert.Equal(SwarmKey, Data(h.Fake.Find("Secret", "ipfs-overlay", "ipfs-overlay-swarm-key"), "swarm.key"));
        AssertNoValue(new[] { h.Narrator.Text.ToString(), h.Narrator.Json.ToString(), rollback.Plan.ToText(), rollback.Plan.ToJsonText() }, SwarmKey, rotated);
    }

    [Fact(Timeout = 60_000)]
    public async Task Prune_and_destroy_remove_a_materialized_Secret_like_any_owned_object_and_never_a_stranger()
    {
        await using var h = await Harness.StartAsync();
        var set = Set();
        await h.Deployer(RealResolvers).ApplyAsync(set);
        var stranger = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = "someone-elses",
                ["namespace"] = "ipfs-overlay",
                ["labels"] = new JsonObject { [Labels.ApplySetPartOf] = "applyset-other-v1", [Labels.Module] = "ipfs-overlay", [Labels.ManagedBy] = "flatracoon" },
            },
            ["type"] = "Opaque",
            ["data"] = new JsonObject { ["k"] = B64("stranger-value") },
        };
        h.Fake.ApplyAs("helm", stranger);

        var without = Harness.Edit(set, o => o.Display == "Secret ipfs-overlay/ipfs-overlay-cluster-secret" ? null : o);
        var deployer = h.Deployer(RealResolvers);
        var plan = await deployer.PlanAsync(without);
        Assert.Equal(PlanAction.Delete, plan.Objects.Single(o => o.Display == "Secret ipfs-overlay/ipfs-overlay-cluster-secret").Action);
        await h.Deployer(RealResolvers).ApplyAsync(without);
        Assert.Null(h.Fake.Find("Secret", "ipfs-overlay", "ipfs-overlay-cluster-secret"));
        Assert.NotNull(h.Fake.Find("Secret", "ipfs-overlay", "ipfs-overlay-swarm-key"));
        Assert.NotNull(h.Fake.Find("Secret", "ipfs-overlay", "someone-elses"));

        await h.Deployer(RealResolvers).DestroyAsync(without);
        Assert.Null(h.Fake.Find("Secret", "ipfs-overlay", "ipfs-overlay-swarm-key"));
        Assert.Null(h.Fake.Find("Secret", "poly-secret-mcp", "poly-secret-mcp-sops-age"));
        // (the stranger goes with its namespace: destroy deletes the module namespaces it owns)
    }

    [Fact(Timeout = 90_000)]
    public async Task Atomic_apply_that_fails_readiness_restores_the_previous_Secret_values()
    {
        await using var h = await Harness.StartAsync();
        await h.Deployer(RealResolvers).ApplyAsync(Set());
        var before = h.Comparable();
        const string rotated = "/key/swarm/psk/1.0.0/\n/base16/\n1111111111111111111111111111111111111111111111111111111111rotated";
        Environment.SetEnvironmentVariable(_swarmVariable, rotated);
        h.Fake.Options.NeverReady = o => o["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"]?.GetValue<string>()?.EndsWith(":broken", StringComparison.Ordinal) == true;
        var changed = Harness.Edit(Set(), o =>
        {
            if (o.Kind == "StatefulSet" && KubeObject.Name(o.Body) == "ipfs-overlay")
            {
                o.Body["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "ghcr.io/flatracoon/ipfs-overlay:broken";
            }
            return o;
        });

        var deployer = h.Deployer(RealResolvers with { Atomic = true, WaveTimeout = TimeSpan.FromSeconds(2) });
        var error = await Assert.ThrowsAsync<ApplyFailedException>(() => deployer.ApplyAsync(changed));
        Assert.True(error.RolledBack);
        Assert.Equal(SwarmKey, Data(h.Fake.Find("Secret", "ipfs-overlay", "ipfs-overlay-swarm-key"), "swarm.key"));
        var after = h.Comparable();
        Assert.Equal(before.Keys.OrderBy(k => k, StringComparer.Ordinal), after.Keys.OrderBy(k => k, StringComparer.Ordinal));
        AssertNoValue(new[] { error.ToString(), h.Narrator.Text.ToString(), h.Narrator.Json.ToString() }, SwarmKey, rotated);
    }
}

/// <summary>The resolvers themselves: errors name the reference and the reason; sops runs as documented; Vault KV v2.</summary>
public sealed class SecretResolverTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"flatracoon-resolvers-{Guid.NewGuid():N}");

    public SecretResolverTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public async Task Environment_and_file_resolvers_read_values_and_explain_what_is_missing()
    {
        var env = new EnvironmentSecretResolver(name => name == "SET" ? "value-1234" : name == "EMPTY" ? "" : null);
        Assert.Equal("value-1234", Encoding.UTF8.GetString(await env.ResolveAsync(SecretReference.Environment("SET"), CancellationToken.None)));
        var unset = await Assert.ThrowsAsync<SecretResolutionException>(() => env.ResolveAsync(SecretReference.Environment("UNSET"), CancellationToken.None));
        Assert.Equal("Cannot resolve secret reference env://UNSET: the environment variable UNSET is not set in the process that applies the stack.", unset.Message);
        var empty = await Assert.ThrowsAsync<SecretResolutionException>(() => env.ResolveAsync(SecretReference.Environment("EMPTY"), CancellationToken.None));
        Assert.Contains("is empty", empty.Message, StringComparison.Ordinal);

        var path = Path.Combine(_dir, "token");
        await File.WriteAllBytesAsync(path, new byte[] { 1, 2, 3, 250 });
        Assert.Equal(new byte[] { 1, 2, 3, 250 }, await new FileSecretResolver().ResolveAsync(SecretReference.File(path), CancellationToken.None));
        var missing = await Assert.ThrowsAsync<SecretResolutionException>(() => new FileSecretResolver().ResolveAsync(SecretReference.File(path + ".gone"), CancellationToken.None));
        Assert.Equal($"Cannot resolve secret reference file://{path}.gone: the file {path}.gone does not exist.", missing.Message);
    }

    [Fact]
    public async Task Sops_without_the_binary_says_to_install_it()
    {
        var file = Path.Combine(_dir, "twingate.enc.yaml");
        await File.WriteAllTextAsync(file, "access_token: ENC[...]\n");
        var resolver = new SopsSecretResolver(searchPath: _dir);
        Assert.Null(resolver.FindSops());
        var error = await Assert.ThrowsAsync<SecretResolutionException>(() => resolver.ResolveAsync(SecretReference.Sops(file, "access_token"), CancellationToken.None));
        Assert.Contains($"sops://{file}#access_token", error.Message, StringComparison.Ordinal);
        Assert.Contains("the 'sops' command is not on PATH; install sops", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sops_is_run_with_decrypt_and_extract_of_the_key_and_its_failure_is_reported()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // the stand-in is a POSIX shell script
        }
        var bin = Path.Combine(_dir, "bin");
        Directory.CreateDirectory(bin);
        var argsFile = Path.Combine(_dir, "args");
        var script = Path.Combine(bin, "sops");
        await File.WriteAllTextAsync(script, $"""
            #!/bin/sh
            for a in "$@"; do printf '%s\n' "$a" >> '{argsFile}'; done
            case "$3" in
              '["access_token"]') printf 'decrypted-token-value' ;;
              *) echo "Error: component [\"nope\"] not found" >&2; exit 3 ;;
            esac
            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var file = Path.Combine(_dir, "twingate.enc.yaml");
        await File.WriteAllTextAsync(file, "access_token: ENC[...]\n");
        var resolver = new SopsSecretResolver(searchPath: bin);

        var value = await resolver.ResolveAsync(SecretReference.Sops(file, "access_token"), CancellationToken.None);
        Assert.Equal("decrypted-token-value", Encoding.UTF8.GetString(value));
        Assert.Equal(new[] { "--decrypt", "--extract", "[\"access_token\"]", file }, await File.ReadAllLinesAsync(argsFile));

        var error = await Assert.ThrowsAsync<SecretResolutionException>(() => resolver.ResolveAsync(SecretReference.Sops(file, "nope"), CancellationToken.None));
        Assert.Equal($"Cannot resolve secret reference sops://{file}#nope: sops exited with 3: Error: component [\"nope\"] not found.", error.Message);
    }

    private sealed class VaultStub : HttpMessageHandler
    {
        public List<(string Url, string? Token)> Seen { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Seen.Add((request.RequestUri!.ToString(), request.Headers.TryGetValues("X-Vault-Token", out var t) ? t.Single() : null));
            var response = request.RequestUri!.AbsolutePath == "/v1/kv/data/twingate/connector"
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"data":{"data":{"access_token":"vault-token-value"},"metadata":{"version":3}}}""") }
                : new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StringContent("""{"errors":["permission denied"]}""") };
            return Task.FromResult(response);
        }
    }

    [Fact]
    public async Task Vault_reads_the_field_of_a_KV_v2_secret_with_the_token()
    {
        var stub = new VaultStub();
        var environment = new Dictionary<string, string> { ["VAULT_ADDR"] = "http://vault.test:8200/", ["VAULT_TOKEN"] = "hvs.test" };
        var resolver = new VaultSecretResolver(new HttpClient(stub), name => environment.GetValueOrDefault(name));

        var value = await resolver.ResolveAsync(SecretReference.Vault("twingate/connector", "access_token", "kv"), CancellationToken.None);
        Assert.Equal("vault-token-value", Encoding.UTF8.GetString(value));
        Assert.Equal(("http://vault.test:8200/v1/kv/data/twingate/connector", "hvs.test"), stub.Seen.Single());

        var noField = await Assert.ThrowsAsync<SecretResolutionException>(() => resolver.ResolveAsync(SecretReference.Vault("twingate/connector", "refresh_token", "kv"), CancellationToken.None));
        Assert.Contains("vault://kv/twingate/connector#refresh_token", noField.Message, StringComparison.Ordinal);
        Assert.Contains("no field 'refresh_token'", noField.Message, StringComparison.Ordinal);
        var denied = await Assert.ThrowsAsync<SecretResolutionException>(() => resolver.ResolveAsync(SecretReference.Vault("other", "k", "kv"), CancellationToken.None));
        Assert.Contains("Vault answered 403 Forbidden (permission denied)", denied.Message, StringComparison.Ordinal);

        var unconfigured = new VaultSecretResolver(new HttpClient(stub), _ => null);
        var missing = await Assert.ThrowsAsync<SecretResolutionException>(() => unconfigured.ResolveAsync(SecretReference.Vault("a/b", "k"), CancellationToken.None));
        Assert.Contains("VAULT_ADDR and VAULT_TOKEN must be set", missing.Message, StringComparison.Ordinal);
    }
}

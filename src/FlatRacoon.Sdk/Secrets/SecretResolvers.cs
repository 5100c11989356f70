using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace FlatRacoon.Secrets;

/// <summary>
/// Turns a <see cref="SecretReference"/> into the secret's bytes, at apply time only. Implement it
/// to plug in another store (or a fixed map in tests); throw <see cref="SecretResolutionException"/>
/// with the reason, never with the value.
/// </summary>
public interface ISecretResolver
{
    /// <summary>The value <paramref name="reference"/> points at.</summary>
    Task<byte[]> ResolveAsync(SecretReference reference, CancellationToken cancellation);
}

/// <summary>A reference could not be resolved. The message names the reference URI and the reason, never a value.</summary>
public sealed class SecretResolutionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SecretResolutionException(SecretReference reference, string reason, Exception? inner = null)
        : base($"Cannot resolve secret reference {reference}: {reason}", inner)
    {
        Reference = reference;
        Reason = reason;
    }

    /// <summary>The reference.</summary>
    public SecretReference Reference { get; }
    /// <summary>Why, in words.</summary>
    public string Reason { get; }
}

/// <summary>
/// The resolver apply uses by default: one resolver per <see cref="SecretSource"/> (environment,
/// file, SOPS through the <c>sops</c> CLI, Vault KV v2 over HTTP). Replace any of them with <see cref="With"/>.
/// </summary>
public sealed class SecretResolver : ISecretResolver
{
    private readonly IReadOnlyDictionary<SecretSource, ISecretResolver> _bySource;

    /// <summary>A resolver that sends each source to its resolver; a source without one is an error.</summary>
    public SecretResolver(IReadOnlyDictionary<SecretSource, ISecretResolver> bySource) => _bySource = bySource;

    /// <summary>Environment, file, SOPS and Vault resolvers, reading the process environment.</summary>
    public static SecretResolver CreateDefault() => new(new Dictionary<SecretSource, ISecretResolver>
    {
        [SecretSource.Environment] = new EnvironmentSecretResolver(),
        [SecretSource.File] = new FileSecretResolver(),
        [SecretSource.Sops] = new SopsSecretResolver(),
        [SecretSource.Vault] = new VaultSecretResolver(),
    });

    /// <summary>This resolver with <paramref name="source"/> handled by <paramref name="resolver"/>.</summary>
    public SecretResolver With(SecretSource source, ISecretResolver resolver) =>
        new(new Dictionary<SecretSource, ISecretResolver>(_bySource) { [source] = resolver });

    /// <inheritdoc/>
    public Task<byte[]> ResolveAsync(SecretReference reference, CancellationToken cancellation) =>
        _bySource.TryGetValue(reference.Source, out var resolver)
            ? resolver.ResolveAsync(reference, cancellation)
            : throw new SecretResolutionException(reference, $"no resolver is configured for {reference.Source} references.");
}

/// <summary><c>env://NAME</c>: a variable of the applying process (unset or empty is an error).</summary>
public sealed class EnvironmentSecretResolver : ISecretResolver
{
    private readonly Func<string, string?> _lookup;

    /// <summary>Reads <paramref name="lookup"/> (default: the process environment).</summary>
    public EnvironmentSecretResolver(Func<string, string?>? lookup = null) => _lookup = lookup ?? Environment.GetEnvironmentVariable;

    /// <inheritdoc/>
    public Task<byte[]> ResolveAsync(SecretReference reference, CancellationToken cancellation)
    {
        var value = _lookup(reference.Location);
        return string.IsNullOrEmpty(value)
            ? throw new SecretResolutionException(reference, $"the environment variable {reference.Location} is {(value is null ? "not set" : "empty")} in the process that applies the stack.")
            : Task.FromResult(Encoding.UTF8.GetBytes(value));
    }
}

/// <summary><c>file:///path</c>: the bytes of a file on the applying machine (missing or empty is an error).</summary>
public sealed class FileSecretResolver : ISecretResolver
{
    /// <inheritdoc/>
    public async Task<byte[]> ResolveAsync(SecretReference reference, CancellationToken cancellation)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(reference.Location, cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SecretResolutionException(reference, $"the file {reference.Location} does not exist.");
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new SecretResolutionException(reference, $"the file {reference.Location} cannot be read ({e.GetType().Name}).");
        }
        return bytes.Length == 0 ? throw new SecretResolutionException(reference, $"the file {reference.Location} is empty.") : bytes;
    }
}

/// <summary>
/// <c>sops://file#key</c>: runs <c>sops --decrypt --extract '["key"]' file</c> (the <c>sops</c> CLI
/// does the decryption, with the age or other keys of the environment, e.g. SOPS_AGE_KEY_FILE).
/// </summary>
public sealed class SopsSecretResolver : ISecretResolver
{
    private readonly string? _searchPath;
    private readonly TimeSpan _timeout;

    /// <summary>Finds <c>sops</c> on <paramref name="searchPath"/> (default: PATH); a run may take <paramref name="timeout"/> (default 60 s).</summary>
    public SopsSecretResolver(string? searchPath = null, TimeSpan? timeout = null)
    {
        _searchPath = searchPath;
        _timeout = timeout ?? TimeSpan.FromSeconds(60);
    }

    /// <summary>The <c>--extract</c> expression for <paramref name="key"/>: <c>["key"]</c>, JSON-quoted.</summary>
    public static string ExtractExpression(string key) => $"[{JsonSerializer.Serialize(key)}]";

    /// <summary>The <c>sops</c> executable on the search path, or null.</summary>
    public string? FindSops()
    {
        var path = _searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "";
        var names = OperatingSystem.IsWindows() ? new[] { "sops.exe", "sops" } : new[] { "sops" };
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(dir => names.Select(n => Path.Combine(dir, n)))
            .FirstOrDefault(File.Exists);
    }

    /// <inheritdoc/>
    public async Task<byte[]> ResolveAsync(SecretReference reference, CancellationToken cancellation)
    {
        var sops = FindSops() ?? throw new SecretResolutionException(reference,
            "the 'sops' command is not on PATH; install sops (https://github.com/getsops/sops/releases) so that apply can decrypt the file.");
        if (!File.Exists(reference.Location))
        {
            throw new SecretResolutionException(reference, $"the SOPS file {reference.Location} does not exist.");
        }
        var start = new ProcessStartInfo(sops)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--decrypt", "--extract", ExtractExpression(reference.Key!), reference.Location })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new SecretResolutionException(reference, $"'{sops}' could not be started ({e.Message}).");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(_timeout);
        using var output = new MemoryStream();
        var stdout = process.StandardOutput.BaseStream.CopyToAsync(output, timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await Task.WhenAll(stdout, stderr, process.WaitForExitAsync(timeout.Token)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new SecretResolutionException(reference, $"sops did not finish within {_timeout.TotalSeconds:0} s.");
        }
        if (process.ExitCode != 0)
        {
            // sops reports what failed (no key, bad MAC, missing path) on stderr; it never prints the plaintext there.
            var why = (await stderr.ConfigureAwait(false)).Trim().Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim();
            throw new SecretResolutionException(reference, $"sops exited with {process.ExitCode}{(why is null ? "" : $": {why}")}.");
        }
        var bytes = output.ToArray();
        return bytes.Length == 0 ? throw new SecretResolutionException(reference, "sops returned an empty value.") : bytes;
    }
}

/// <summary>
/// <c>vault://mount/path#key</c>: Vault KV v2 over HTTP, <c>GET $VAULT_ADDR/v1/&lt;mount&gt;/data/&lt;path&gt;</c>
/// with <c>X-Vault-Token: $VAULT_TOKEN</c> (and <c>X-Vault-Namespace</c> when VAULT_NAMESPACE is set);
/// the value is the field <c>data.data.&lt;key&gt;</c>.
/// </summary>
public sealed class VaultSecretResolver : ISecretResolver
{
    private readonly HttpClient? _http;
    private readonly Func<string, string?> _environment;

    /// <summary>Uses <paramref name="http"/> (default: one of its own) and reads VAULT_ADDR, VAULT_TOKEN, VAULT_NAMESPACE from <paramref name="environment"/>.</summary>
    public VaultSecretResolver(HttpClient? http = null, Func<string, string?>? environment = null)
    {
        _http = http;
        _environment = environment ?? Environment.GetEnvironmentVariable;
    }

    /// <inheritdoc/>
    public async Task<byte[]> ResolveAsync(SecretReference reference, CancellationToken cancellation)
    {
        var address = _environment("VAULT_ADDR");
        var token = _environment("VAULT_TOKEN");
        if (string.IsNullOrEmpty(address) || string.IsNullOrEmpty(token))
        {
            throw new SecretResolutionException(reference, "VAULT_ADDR and VAULT_TOKEN must be set to read Vault references.");
        }
        var slash = reference.Location.IndexOf('/');
        var mount = reference.Location[..slash];
        var path = string.Join('/', reference.Location[(slash + 1)..].Split('/').Select(Uri.EscapeDataString));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{address.TrimEnd('/')}/v1/{Uri.EscapeDataString(mount)}/data/{path}");
        request.Headers.Add("X-Vault-Token", token);
        if (_environment("VAULT_NAMESPACE") is { Length: > 0 } ns)
        {
            request.Headers.Add("X-Vault-Namespace", ns);
        }
        var http = _http ?? Shared.Value;
        JsonNode? body;
        try
        {
            using var response = await http.SendAsync(request, cancellation).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                // Vault's error bodies are {"errors": [...]}: messages, never secret data.
                string? errors = null;
                try
                {
                    errors = JsonNode.Parse(text)?["errors"]?.AsArray().Select(e => e?.ToString()).FirstOrDefault(e => !string.IsNullOrEmpty(e));
                }
                catch (JsonException)
                {
                }
                throw new SecretResolutionException(reference, $"Vault answered {(int)response.StatusCode} {response.ReasonPhrase}{(errors is null ? "" : $" ({errors})")}.");
            }
            body = JsonNode.Parse(text);
        }
        catch (HttpRequestException e)
        {
            throw new SecretResolutionException(reference, $"Vault at {address} cannot be reached ({e.Message}).");
        }
        catch (JsonException)
        {
            throw new SecretResolutionException(reference, "Vault's answer is not JSON.");
        }
        var field = body?["data"]?["data"]?[reference.Key!];
        return field switch
        {
            null => throw new SecretResolutionException(reference, $"the secret has no field '{reference.Key}' (KV v2 data.data)."),
            JsonValue v when v.TryGetValue<string>(out var s) => Encoding.UTF8.GetBytes(s),
            _ => Encoding.UTF8.GetBytes(field.ToJsonString()),
        };
    }

    private static readonly Lazy<HttpClient> Shared = new(() => new HttpClient { Timeout = TimeSpan.FromSeconds(30) });
}

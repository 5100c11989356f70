using System;
using System.Diagnostics.CodeAnalysis;

namespace FlatRacoon;

/// <summary>Where a secret lives. A reference never carries the secret's value.</summary>
public enum SecretSource
{
    /// <summary>HashiCorp Vault KV v2: mount, path and key.</summary>
    Vault,
    /// <summary>A SOPS-encrypted file (age) and a key inside it.</summary>
    Sops,
    /// <summary>An environment variable of the process that applies the stack.</summary>
    Environment,
    /// <summary>A file on the machine that applies the stack.</summary>
    File,
}

/// <summary>
/// A reference to a secret, resolved only when the stack is applied. Written as a URI:
/// <c>vault://mount/path#key</c>, <c>sops://file#key</c>, <c>env://NAME</c>, <c>file:///path</c>.
/// Rendering emits references, never values (see docs/concepts/secrets.adoc).
/// </summary>
[CheckedValue(Topology.Formats.SecretRef, Topology.RuleIds.PlainSecret)]
public sealed record SecretReference
{
    private SecretReference(SecretSource source, string location, string? key)
    {
        Source = source;
        Location = location;
        Key = key;
    }

    /// <summary>The store that holds the secret.</summary>
    public SecretSource Source { get; }

    /// <summary>Vault mount/path, SOPS file, variable name or file path.</summary>
    public string Location { get; }

    /// <summary>The key inside the Vault secret or SOPS file (null for env and file).</summary>
    public string? Key { get; }

    /// <summary>A Vault KV v2 secret: <paramref name="path"/> under <paramref name="mount"/>, field <paramref name="key"/>.</summary>
    public static SecretReference Vault(string path, string key, string mount = "secret") =>
        new(SecretSource.Vault, $"{Require(mount, nameof(mount)).Trim('/')}/{Require(path, nameof(path)).Trim('/')}", Require(key, nameof(key)));

    /// <summary>A key inside a SOPS-encrypted file.</summary>
    public static SecretReference Sops(string file, string key) =>
        new(SecretSource.Sops, Require(file, nameof(file)), Require(key, nameof(key)));

    /// <summary>An environment variable of the applying process.</summary>
    public static SecretReference Environment(string variable) =>
        new(SecretSource.Environment, Require(variable, nameof(variable)), null);

    /// <summary>A file on the applying machine.</summary>
    public static SecretReference File(string path) =>
        new(SecretSource.File, Require(path, nameof(path)), null);

    /// <summary>
    /// A setting typed as a secret reference takes a reference URI written as a string; anything else
    /// (the secret's value itself) throws <see cref="StackDeclarationException"/> (FR2001), whose message
    /// never repeats the value. The analyzer reports a constant that is not a reference where it is written.
    /// </summary>
    [return: NotNullIfNotNull(nameof(reference))]
    public static implicit operator SecretReference?(string? reference) =>
        reference is null ? null
        : TryParse(reference, out var result, out var error) ? result
        : throw new StackDeclarationException(Topology.RuleIds.PlainSecret, error + " Give a reference to where the secret lives, never the value.");

    /// <summary>Parses a reference URI; throws <see cref="FormatException"/> with the reason.</summary>
    public static SecretReference Parse(string reference) =>
        TryParse(reference, out var result, out var error) ? result : throw new FormatException(error);

    /// <summary>Parses a reference URI.</summary>
    public static bool TryParse(string? reference, [NotNullWhen(true)] out SecretReference? result) =>
        TryParse(reference, out result, out _);

    private static bool TryParse(string? reference, [NotNullWhen(true)] out SecretReference? result, out string error)
    {
        result = null;
        error = "";
        if (string.IsNullOrWhiteSpace(reference))
        {
            error = "A secret reference is empty; expected vault://mount/path#key, sops://file#key, env://NAME or file:///path.";
            return false;
        }
        var schemeEnd = reference.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            // Do not echo the input: a plain secret given by mistake must not reach logs.
            error = "A secret reference must be a URI (vault://, sops://, env:// or file://); the value given is not one.";
            return false;
        }
        var scheme = reference.Substring(0, schemeEnd);
        var rest = reference.Substring(schemeEnd + 3);
        var hash = rest.IndexOf('#');
        var location = hash >= 0 ? rest.Substring(0, hash) : rest;
        var key = hash >= 0 ? rest.Substring(hash + 1) : null;
        switch (scheme)
        {
            case "vault" when location.Contains('/') && !string.IsNullOrEmpty(key):
                result = new SecretReference(SecretSource.Vault, location.Trim('/'), key);
                return true;
            case "sops" when location.Length > 0 && !string.IsNullOrEmpty(key):
                result = new SecretReference(SecretSource.Sops, location, key);
                return true;
            case "env" when location.Length > 0 && key is null:
                result = new SecretReference(SecretSource.Environment, location, null);
                return true;
            case "file" when location.Length > 0 && key is null:
                result = new SecretReference(SecretSource.File, location, null);
                return true;
            default:
                error = $"Secret reference with scheme '{scheme}' is malformed; expected vault://mount/path#key, sops://file#key, env://NAME or file:///path.";
                return false;
        }
    }

    private static string Require(string value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException("Must not be empty.", name) : value;

    /// <summary>The reference URI (never a secret value).</summary>
    public override string ToString() => Source switch
    {
        SecretSource.Vault => $"vault://{Location}#{Key}",
        SecretSource.Sops => $"sops://{Location}#{Key}",
        SecretSource.Environment => $"env://{Location}",
        _ => $"file://{Location}",
    };
}

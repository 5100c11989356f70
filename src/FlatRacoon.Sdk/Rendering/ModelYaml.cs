using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace FlatRacoon.Rendering;

/// <summary>
/// The fast path of YAML serialization: writes KubernetesClient's own models (<c>k8s.Models</c>)
/// as UTF-8 YAML with the very bytes <see cref="KubernetesYaml.Serialize(object)"/> gives, without
/// its per-property attribute reflection (measured: 8.4 GB allocated for 50 MB of YAML).
/// <para>
/// It is deliberately conservative: whatever it cannot prove it writes exactly as KubernetesYaml
/// does (a type outside <c>k8s.Models</c>, a float, a date, bytes, a nested sequence, a string
/// that YAML might read as something else, non-ASCII text, a literal block that needs an
/// indentation or keep indicator) makes <see cref="TryWrite"/> return false, and the caller
/// serializes that one object with KubernetesYaml. Tests compare both paths on every rendered
/// object and on generated strings, so the fast path can only ever be faster, never different.
/// </para>
/// </summary>
internal static partial class ModelYaml
{
    private const int MaxSimpleKeyLength = 128;

    // KubernetesClient's StringQuotingEmitter (21.0.x) double-quotes the strings this matches; the
    // tests compare with KubernetesYaml itself, so a change in a new KubernetesClient is caught.
    [GeneratedRegex(@"^(\~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|on|On|ON|n|N|no|No|NO|off|Off|OFF|-?(0|[0-9]*)(\.[0-9]*)?([eE][-+]?[0-9]+)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedByKubernetesClient();

    // Other strings YAML 1.1 or 1.2 reads as something else (hex, octal, base 60, infinity, ...):
    // KubernetesYaml writes them as they are today, but the fast path leaves them to it anyway.
    [GeneratedRegex(
        @"^([-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+"
        + @"|[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*"
        + @"|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?"
        + @"|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$",
        RegexOptions.CultureInvariant)]
    private static partial Regex MaybeSpecial();

    // Scalars KubernetesClient's type converters (quantities, int-or-string) emit without quoting: ^[0-9A-Za-z][0-9A-Za-z.%-]*$
    private static bool IsConverterPlain(string value)
    {
        if (value.Length == 0 || !char.IsAsciiLetterOrDigit(value[0]))
        {
            return false;
        }
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '%' or '-'))
            {
                return false;
            }
        }
        return true;
    }

    // Keys YamlDotNet writes first, in this order, before the others in declaration order.
    private static readonly string[] LeadingKeys = { "apiVersion", "kind", "metadata" };

    // The words both patterns know; a string starting with a letter can match them and nothing else.
    private static readonly HashSet<string> SpecialWords = new(StringComparer.Ordinal)
    {
        "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "y", "Y", "yes", "Yes", "YES",
        "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF",
    };

    // Cheap first look: a string can match the patterns above only if it is one of their words, or
    // starts like a number, '.' or '~' (e1 and E5 match as numbers without a mantissa).
    private static bool MayMatchPatterns(string s)
    {
        if (s.Length == 0)
        {
            return true;
        }
        var c = s[0];
        if (char.IsAsciiLetter(c))
        {
            return SpecialWords.Contains(s.EndsWith('\n') ? s[..^1] : s) || c is 'e' or 'E';
        }
        return char.IsAsciiDigit(c) || c is '-' or '+' or '.' or '~';
    }

    private static readonly ConcurrentDictionary<Type, Member[]?> Shapes = new();

    private sealed class Member
    {
        public Member(byte[] key, PropertyInfo property)
        {
            Key = key;
            // An open delegate to the getter: a direct call instead of reflection's Invoke per value.
            Get = (Func<object, object?>)typeof(Member).GetMethod(nameof(Getter), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(property.DeclaringType!, property.PropertyType)
                .Invoke(null, new object[] { property.GetMethod! })!;
        }

        /// <summary>The YAML key followed by ':' (ASCII).</summary>
        public byte[] Key { get; }
        public Func<object, object?> Get { get; }

        private static Func<object, object?> Getter<TObject, TValue>(MethodInfo getter)
        {
            var get = getter.CreateDelegate<Func<TObject, TValue>>();
            return obj => get((TObject)obj);
        }
    }

    /// <summary>Raised inside the writer when something must be left to KubernetesYaml.</summary>
    private sealed class NotOnFastPath : Exception
    {
        public static readonly NotOnFastPath Instance = new();
    }

    private enum Style { Plain, SingleQuoted, DoubleQuoted, Literal, LiteralStrip }

    /// <summary>
    /// Appends <paramref name="obj"/> as one YAML document (ending in '\n') to <paramref name="output"/>,
    /// or returns false (and appends nothing) when only KubernetesYaml can say the exact bytes.
    /// </summary>
    public static bool TryWrite(object obj, YamlBuffer output)
    {
        var start = output.Length;
        try
        {
            var members = ShapeOf(obj.GetType()) ?? throw NotOnFastPath.Instance;
            if (!WriteMappingBody(obj, members, 0, firstInline: false, output))
            {
                throw NotOnFastPath.Instance; // an empty document is left to KubernetesYaml
            }
            return true;
        }
        catch (NotOnFastPath)
        {
            output.Length = start;
            return false;
        }
    }

    /// <summary>One object as a YAML document: the fast path, or KubernetesYaml where it must be.</summary>
    public static byte[] ToUtf8(object obj, YamlBuffer scratch)
    {
        scratch.Length = 0;
        if (TryWrite(obj, scratch))
        {
            return scratch.ToArray();
        }
        return Encoding.UTF8.GetBytes(Slow(obj));
    }

    /// <summary>What KubernetesYaml writes, with '\n' line ends and a final line end.</summary>
    public static string Slow(object obj)
    {
        var yaml = KubernetesYaml.Serialize(obj).Replace("\r\n", "\n", StringComparison.Ordinal);
        return yaml.EndsWith('\n') ? yaml : yaml + "\n";
    }

    private static Member[]? ShapeOf(Type type) => Shapes.GetOrAdd(type, static t =>
    {
        // Only KubernetesClient's generated models: KubernetesYaml maps their JSON names to YAML keys;
        // anything else follows YamlDotNet's naming rules, which this writer does not reproduce.
        if (t.Namespace != "k8s.Models" || !t.IsClass || t.IsAbstract)
        {
            return null;
        }
        var properties = t.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        if (properties.Any(p => p.GetMethod is not { IsPublic: true } || p.GetIndexParameters().Length > 0))
        {
            return null;
        }
        var members = new Member[properties.Length];
        for (var i = 0; i < properties.Length; i++)
        {
            var property = properties[i];
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name;
            if (name is null || !IsIdentifier(name))
            {
                return null;
            }
            members[i] = new Member(Encoding.ASCII.GetBytes(name + ":"), property);
        }
        // Stable: apiVersion, kind, metadata first, then declaration order (what KubernetesYaml does).
        return members
            .Select((m, i) => (Member: m, Rank: Array.IndexOf(LeadingKeys, Encoding.ASCII.GetString(m.Key, 0, m.Key.Length - 1)), Index: i))
            .OrderBy(x => x.Rank < 0 ? LeadingKeys.Length : x.Rank)
            .ThenBy(x => x.Index)
            .Select(x => x.Member)
            .ToArray();
    });

    private static bool IsIdentifier(string name)
    {
        if (name.Length == 0 || !char.IsAsciiLetter(name[0]))
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-' && c != '.' && c != '$')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Writes the members that are set; false (and nothing written) when none is.</summary>
    private static bool WriteMappingBody(object obj, Member[] members, int indent, bool firstInline, YamlBuffer output)
    {
        var first = true;
        foreach (var member in members)
        {
            var value = member.Get(obj);
            if (value is null)
            {
                continue; // DefaultValuesHandling.OmitNull
            }
            if (!(first && firstInline))
            {
                output.Spaces(indent);
            }
            first = false;
            output.Bytes(member.Key);
            WriteValue(value, indent, output);
        }
        return !first;
    }

    // Writes what follows "key:" (a space and a scalar, or a nested block) up to and including '\n'.
    private static void WriteValue(object value, int indent, YamlBuffer output)
    {
        switch (value)
        {
            case string s:
                WriteStringValue(s, indent, output);
                return;
            case byte[]:
                throw NotOnFastPath.Instance; // KubernetesYaml writes bytes as text; STJ as base64: left to KubernetesYaml

            case int or long or bool or ResourceQuantity or IntOrString:
                output.Byte((byte)' ');
                WriteSimpleScalar(value, output);
                output.Byte((byte)'\n');
                return;
            case IDictionary dictionary:
                if (dictionary.Count == 0)
                {
                    output.Ascii(" {}\n");
                    return;
                }
                output.Byte((byte)'\n');
                WriteDictionaryBody(dictionary, indent + 2, firstInline: false, output);
                return;
            case IEnumerable sequence:
                WriteSequence(sequence, indent, output);
                return;
            default:
                var members = ShapeOf(value.GetType()) ?? throw NotOnFastPath.Instance;
                var start = output.Length;
                output.Byte((byte)'\n');
                if (!WriteMappingBody(value, members, indent + 2, firstInline: false, output))
                {
                    output.Length = start;
                    output.Ascii(" {}\n");
                }
                return;
        }
    }

    private static void WriteDictionaryBody(IDictionary dictionary, int indent, bool firstInline, YamlBuffer output)
    {
        var first = true;
        var entries = dictionary.GetEnumerator();
        while (entries.MoveNext())
        {
            var entry = entries.Entry;
            if (entry.Key is not string key || entry.Value is null || key.Length > MaxSimpleKeyLength)
            {
                throw NotOnFastPath.Instance;
            }
            if (!(first && firstInline))
            {
                output.Spaces(indent);
            }
            first = false;
            var style = Classify(key);
            if (style is Style.Literal or Style.LiteralStrip)
            {
                throw NotOnFastPath.Instance;
            }
            WriteFlowScalar(key, style, output);
            output.Byte((byte)':');
            WriteValue(entry.Value, indent, output);
        }
    }

    // Block sequences inside a mapping sit at the key's own indentation ("key:\n- item").
    private static void WriteSequence(IEnumerable sequence, int indent, YamlBuffer output)
    {
        var any = false;
        foreach (var item in sequence)
        {
            if (!any)
            {
                output.Byte((byte)'\n');
                any = true;
            }
            output.Spaces(indent);
            output.Ascii("- ");
            switch (item)
            {
                case null:
                    throw NotOnFastPath.Instance;
                case string s:
                    var style = Classify(s);
                    if (style is Style.Literal or Style.LiteralStrip)
                    {
                        throw NotOnFastPath.Instance;
                    }
                    WriteFlowScalar(s, style, output);
                    output.Byte((byte)'\n');
                    break;
                case int or long or bool or ResourceQuantity or IntOrString:
                    WriteSimpleScalar(item, output);
                    output.Byte((byte)'\n');
                    break;
                case IDictionary dictionary:
                    if (dictionary.Count == 0)
                    {
                        output.Ascii("{}\n");
                        break;
                    }
                    WriteDictionaryBody(dictionary, indent + 2, firstInline: true, output);
                    break;
                case IEnumerable:
                    throw NotOnFastPath.Instance; // a sequence in a sequence
                default:
                    var members = ShapeOf(item.GetType()) ?? throw NotOnFastPath.Instance;
                    if (!WriteMappingBody(item, members, indent + 2, firstInline: true, output))
                    {
                        output.Ascii("{}\n");
                    }
                    break;
            }
        }
        if (!any)
        {
            output.Ascii(" []\n");
        }
    }

    private static void WriteSimpleScalar(object value, YamlBuffer output)
    {
        switch (value)
        {
            case int i:
                output.Ascii(i.ToString(CultureInfo.InvariantCulture));
                return;
            case long l:
                output.Ascii(l.ToString(CultureInfo.InvariantCulture));
                return;
            case bool b:
                output.Ascii(b ? "true" : "false");
                return;
            case ResourceQuantity quantity:
                output.Ascii(ConverterScalar(quantity.ToString()));
                return;
            case IntOrString intOrString:
                output.Ascii(ConverterScalar(intOrString.Value));
                return;
            default:
                throw NotOnFastPath.Instance;
        }
    }

    // What KubernetesClient's YAML type converters emit, when it is plainly a plain scalar.
    private static string ConverterScalar(string? value) =>
        value is not null && IsConverterPlain(value) && !SpecialWords.Contains(value) ? value : throw NotOnFastPath.Instance;

    private static void WriteStringValue(string s, int indent, YamlBuffer output)
    {
        var style = Classify(s);
        if (style is Style.Literal or Style.LiteralStrip)
        {
            output.Ascii(style == Style.Literal ? " |\n" : " |-\n");
            var contentIndent = indent + 2;
            var end = style == Style.Literal ? s.Length - 1 : s.Length; // the final '\n' is the chomping's
            var lineStart = 0;
            while (lineStart <= end)
            {
                var newline = s.IndexOf('\n', lineStart);
                var lineEnd = newline < 0 || newline > end ? end : newline;
                if (lineEnd > lineStart)
                {
                    output.Spaces(contentIndent);
                    output.Ascii(s.AsSpan(lineStart, lineEnd - lineStart));
                }
                output.Byte((byte)'\n');
                lineStart = lineEnd + 1;
            }
            return;
        }
        output.Byte((byte)' ');
        WriteFlowScalar(s, style, output);
        output.Byte((byte)'\n');
    }

    private static void WriteFlowScalar(string s, Style style, YamlBuffer output)
    {
        switch (style)
        {
            case Style.Plain:
                output.Ascii(s);
                return;
            case Style.SingleQuoted:
                output.Byte((byte)'\'');
                output.Ascii(s);
                output.Byte((byte)'\'');
                return;
            case Style.DoubleQuoted:
                output.Byte((byte)'"');
                output.Ascii(s);
                output.Byte((byte)'"');
                return;
            default:
                throw NotOnFastPath.Instance;
        }
    }

    /// <summary>How KubernetesYaml writes a string, or NotOnFastPath when this writer cannot be sure.</summary>
    private static Style Classify(string s)
    {
        if (MayMatchPatterns(s) && QuotedByKubernetesClient().IsMatch(s))
        {
            if (s.EndsWith('\n'))
            {
                throw NotOnFastPath.Instance; // '$' also matches before a final line break: that one needs an escape
            }
            return Style.DoubleQuoted; // only '~', letters, digits, '.', '+', '-': nothing to escape
        }
        var hasBreak = false;
        foreach (var c in s)
        {
            if (c == '\n')
            {
                hasBreak = true;
            }
            else if (c < 0x20 || c > 0x7E)
            {
                throw NotOnFastPath.Instance; // tabs, control characters, non-ASCII: YamlDotNet decides
            }
        }
        if (hasBreak)
        {
            // A literal block: only the shapes that need no indentation or keep indicator.
            if (s[0] is ' ' or '\n' || s[^1] == ' ' || s.EndsWith("\n\n", StringComparison.Ordinal)
                || s.Contains(" \n", StringComparison.Ordinal))
            {
                throw NotOnFastPath.Instance;
            }
            return s[^1] == '\n' ? Style.Literal : Style.LiteralStrip;
        }
        if (s.Length == 1 && !char.IsAsciiLetterOrDigit(s[0]))
        {
            throw NotOnFastPath.Instance;
        }
        if (MayMatchPatterns(s) && MaybeSpecial().IsMatch(s))
        {
            throw NotOnFastPath.Instance;
        }
        if (PlainAllowed(s))
        {
            return Style.Plain;
        }
        if (s.Contains('\'', StringComparison.Ordinal))
        {
            throw NotOnFastPath.Instance;
        }
        return Style.SingleQuoted;
    }

    // The block-context plain scalar rules of the YAML emitter, for one line of printable ASCII.
    private static bool PlainAllowed(string s)
    {
        if (s[0] == ' ' || s[^1] == ' ')
        {
            return false;
        }
        if (s.Length >= 3 && (s.StartsWith("---", StringComparison.Ordinal) || s.StartsWith("...", StringComparison.Ordinal)))
        {
            return false;
        }
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            var followedByBlank = i + 1 >= s.Length || s[i + 1] == ' ';
            if (i == 0)
            {
                if ("#,[]{}&*!|>'\"%@`".IndexOf(c) >= 0)
                {
                    return false;
                }
                if (c is '?' or ':' or '-' && followedByBlank)
                {
                    return false;
                }
            }
            else
            {
                if (c == ':' && followedByBlank)
                {
                    return false;
                }
                if (c == '#' && s[i - 1] == ' ')
                {
                    return false;
                }
            }
        }
        return true;
    }
}

/// <summary>A growable UTF-8 byte buffer for <see cref="ModelYaml"/> (reused across objects).</summary>
internal sealed class YamlBuffer
{
    private byte[] _bytes;

    public YamlBuffer(int capacity = 4096) => _bytes = new byte[capacity];

    public int Length { get; set; }

    public ReadOnlySpan<byte> Span => _bytes.AsSpan(0, Length);

    public byte[] ToArray() => _bytes.AsSpan(0, Length).ToArray();

    public void Byte(byte b)
    {
        Ensure(1);
        _bytes[Length++] = b;
    }

    public void Bytes(byte[] bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_bytes, Length);
        Length += bytes.Length;
    }

    public void Spaces(int count)
    {
        Ensure(count);
        _bytes.AsSpan(Length, count).Fill((byte)' ');
        Length += count;
    }

    /// <summary>Appends text already known to be ASCII.</summary>
    public void Ascii(ReadOnlySpan<char> text)
    {
        Ensure(text.Length);
        var target = _bytes.AsSpan(Length, text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            target[i] = (byte)text[i];
        }
        Length += text.Length;
    }

    /// <summary>Appends any text as UTF-8.</summary>
    public void Utf8(string text)
    {
        Ensure(Encoding.UTF8.GetMaxByteCount(text.Length));
        Length += Encoding.UTF8.GetBytes(text, _bytes.AsSpan(Length));
    }

    private void Ensure(int more)
    {
        if (Length + more > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + more));
        }
    }
}

using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace FlatRacoon.Generators.Helpers
{
    /// <summary>Turning JSON names into C# names and literals.</summary>
    internal static class Names
    {
        /// <summary>
        /// <c>ipfs-overlay</c> → <c>IpfsOverlay</c>, <c>network_id</c> → <c>NetworkId</c>: every run of
        /// letters and digits starts with an upper-case letter; everything else separates words.
        /// A leading digit gets an underscore (the rule lives in the shared <c>GeneratedNames</c>).
        /// Null when nothing usable remains or the result is not a C# identifier.
        /// </summary>
        public static string? ToPascalCase(string name) =>
            Topology.GeneratedNames.Pascal(name) is { } result && SyntaxFacts.IsValidIdentifier(result) ? result : null;

        /// <summary>A C# regular string literal, quotes included.</summary>
        /// <summary>Whether <paramref name="name"/> is a C# keyword (it needs an <c>@</c> to be an identifier).</summary>
        public static bool IsKeyword(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None;

        public static string StringLiteral(string value)
        {
            var builder = new StringBuilder(value.Length + 2);
            builder.Append('"');
            foreach (var c in value)
            {
                switch (c)
                {
                    case '"': builder.Append("\\\""); break;
                    case '\\': builder.Append("\\\\"); break;
                    case '\0': builder.Append("\\0"); break;
                    case '\a': builder.Append("\\a"); break;
                    case '\b': builder.Append("\\b"); break;
                    case '\f': builder.Append("\\f"); break;
                    case '\n': builder.Append("\\n"); break;
                    case '\r': builder.Append("\\r"); break;
                    case '\t': builder.Append("\\t"); break;
                    case '\v': builder.Append("\\v"); break;
                    default:
                        if (c < ' ' || c == '\u007f' || c == '\u0085' || c == '\u2028' || c == '\u2029' || char.IsSurrogate(c))
                        {
                            builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            builder.Append(c);
                        }
                        break;
                }
            }
            builder.Append('"');
            return builder.ToString();
        }

        /// <summary>Text safe inside an XML doc comment (escaped, no characters XML forbids), one line per line of input.</summary>
        public static string[] XmlDocLines(string text)
        {
            var builder = new StringBuilder(text.Length);
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                switch (c)
                {
                    case '&': builder.Append("&amp;"); break;
                    case '<': builder.Append("&lt;"); break;
                    case '>': builder.Append("&gt;"); break;
                    case '\r':
                        if (i + 1 < text.Length && text[i + 1] == '\n')
                        {
                            i++;
                        }
                        builder.Append('\n');
                        break;
                    case '\u0085':
                    case '\u2028':
                    case '\u2029':
                        builder.Append('\n');
                        break;
                    default:
                        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                        {
                            builder.Append(c).Append(text[i + 1]);
                            i++;
                        }
                        else if ((c < ' ' && c != '\t' && c != '\n') || char.IsSurrogate(c) || c == '\uFFFE' || c == '\uFFFF')
                        {
                            builder.Append(' ');
                        }
                        else
                        {
                            builder.Append(c);
                        }
                        break;
                }
            }
            var lines = builder.ToString().Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                lines[i] = lines[i].TrimEnd();
            }
            return lines;
        }

        /// <summary>A one-line XML-safe text (for short inline uses such as <c>&lt;c&gt;name&lt;/c&gt;</c>).</summary>
        public static string XmlInline(string text) => string.Join(" ", XmlDocLines(text)).Trim();

        /// <summary>Semantic version 2.0: MAJOR.MINOR.PATCH, optional -prerelease and +build.</summary>
        public static bool IsSemanticVersion(string value)
        {
            var pos = 0;
            for (var part = 0; part < 3; part++)
            {
                if (!ReadNumericIdentifier(value, ref pos))
                {
                    return false;
                }
                if (part < 2)
                {
                    if (pos >= value.Length || value[pos] != '.')
                    {
                        return false;
                    }
                    pos++;
                }
            }
            if (pos < value.Length && value[pos] == '-')
            {
                pos++;
                if (!ReadIdentifiers(value, ref pos, prerelease: true))
                {
                    return false;
                }
            }
            if (pos < value.Length && value[pos] == '+')
            {
                pos++;
                if (!ReadIdentifiers(value, ref pos, prerelease: false))
                {
                    return false;
                }
            }
            return pos == value.Length;
        }

        private static bool ReadNumericIdentifier(string value, ref int pos)
        {
            var start = pos;
            while (pos < value.Length && value[pos] >= '0' && value[pos] <= '9')
            {
                pos++;
            }
            var length = pos - start;
            return length > 0 && (length == 1 || value[start] != '0');
        }

        private static bool ReadIdentifiers(string value, ref int pos, bool prerelease)
        {
            while (true)
            {
                var start = pos;
                var allDigits = true;
                while (pos < value.Length && (IsAsciiLetterOrDigit(value[pos]) || value[pos] == '-'))
                {
                    allDigits &= value[pos] >= '0' && value[pos] <= '9';
                    pos++;
                }
                var length = pos - start;
                if (length == 0 || (prerelease && allDigits && length > 1 && value[start] == '0'))
                {
                    return false;
                }
                if (pos < value.Length && value[pos] == '.')
                {
                    pos++;
                    continue;
                }
                return true;
            }
        }

        private static bool IsAsciiLetterOrDigit(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using FlatRacoon.Generators.Helpers;
using Microsoft.CodeAnalysis.Text;

namespace FlatRacoon.Generators.Json
{
    /// <summary>
    /// A strict RFC 8259 reader that records the line/column span of every token and reports
    /// duplicate keys. One pass, linear in the input. A syntax error becomes one FR0001 diagnostic
    /// at the offending character (never an exception to the caller) and the result is null.
    /// Line breaks are counted the way Roslyn counts them (CR, LF, CRLF, U+0085, U+2028, U+2029),
    /// so reported positions match what the IDE shows.
    /// </summary>
    internal sealed class JsonReader
    {
        /// <summary>Deeper nesting is refused, so a hostile file cannot overflow the compiler's stack.</summary>
        public const int MaxDepth = 64;

        private readonly string _path;
        private readonly string _text;
        private readonly List<DiagnosticInfo> _diagnostics;
        private int _pos;
        private int _line;
        private int _lineStart;
        private StringBuilder? _buffer;

        private JsonReader(string path, string text, List<DiagnosticInfo> diagnostics)
        {
            _path = path;
            _text = text;
            _diagnostics = diagnostics;
        }

        /// <summary>Parses <paramref name="text"/>; null when it is not valid JSON (the reason is in <paramref name="diagnostics"/>).</summary>
        public static JsonNode? Parse(string path, string text, List<DiagnosticInfo> diagnostics)
        {
            var reader = new JsonReader(path, text, diagnostics);
            try
            {
                return reader.ParseDocument();
            }
            catch (JsonSyntaxException e)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.JsonSyntaxError, e.Location, e.Message));
                return null;
            }
        }

        private JsonNode ParseDocument()
        {
            if (_text.Length > 0 && _text[0] == '\uFEFF')
            {
                _pos = 1;
                _lineStart = 1;
            }
            SkipWhitespace();
            if (_pos >= _text.Length)
            {
                throw Error("the file is empty; expected a JSON value");
            }
            var root = ParseValue(0);
            SkipWhitespace();
            if (_pos < _text.Length)
            {
                throw Error($"unexpected {DescribeCurrent()} after the end of the JSON value");
            }
            return root;
        }

        private JsonNode ParseValue(int depth)
        {
            if (_pos >= _text.Length)
            {
                throw Error("unexpected end of file; expected a value");
            }
            var c = _text[_pos];
            switch (c)
            {
                case '{':
                    return ParseObject(depth + 1);
                case '[':
                    return ParseArray(depth + 1);
                case '"':
                    return Scalar(JsonKind.String, ReadStringToken(out var location), location);
                case 't':
                    return Literal("true", JsonKind.True);
                case 'f':
                    return Literal("false", JsonKind.False);
                case 'n':
                    return Literal("null", JsonKind.Null);
                default:
                    if (c == '-' || (c >= '0' && c <= '9'))
                    {
                        return ParseNumber();
                    }
                    if (char.IsLetter(c))
                    {
                        throw BadWord(_pos);
                    }
                    throw Error($"unexpected {DescribeCurrent()}; expected a value (object, array, string, number, true, false or null)");
            }
        }

        private JsonNode ParseObject(int depth)
        {
            if (depth > MaxDepth)
            {
                throw Error($"nesting deeper than {MaxDepth} levels");
            }
            var open = TokenAt(_pos, 1);
            _pos++;
            var members = new List<JsonMember>();
            HashSet<string>? names = null;
            SkipWhitespace();
            if (Peek() == '}')
            {
                _pos++;
                return new JsonNode(JsonKind.Object, null, default, default, open);
            }
            while (true)
            {
                if (_pos >= _text.Length)
                {
                    throw Error("unexpected end of file inside an object; expected a key or '}'");
                }
                if (_text[_pos] != '"')
                {
                    throw Error($"unexpected {DescribeCurrent()}; expected a key in double quotes");
                }
                var name = ReadStringToken(out var nameLocation);
                SkipWhitespace();
                if (Peek() != ':')
                {
                    throw Error($"unexpected {DescribeCurrent()}; expected ':' after the key \"{name}\"");
                }
                _pos++;
                SkipWhitespace();
                var value = ParseValue(depth);
                if (IsNewKey(members, ref names, name))
                {
                    members.Add(new JsonMember(name, nameLocation, value));
                }
                else
                {
                    _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateKey, nameLocation, name));
                }
                SkipWhitespace();
                var next = Peek();
                if (next == ',')
                {
                    _pos++;
                    SkipWhitespace();
                    if (Peek() == '}')
                    {
                        throw Error("a trailing comma is not allowed before '}'");
                    }
                    continue;
                }
                if (next == '}')
                {
                    _pos++;
                    return new JsonNode(JsonKind.Object, null, members.ToEquatableArray(), default, open);
                }
                throw Error(_pos >= _text.Length
                    ? "unexpected end of file inside an object; expected ',' or '}'"
                    : $"unexpected {DescribeCurrent()}; expected ',' or '}}' after a member");
            }
        }

        /// <summary>Linear scan for small objects (the usual case), a set once an object grows.</summary>
        private static bool IsNewKey(List<JsonMember> members, ref HashSet<string>? names, string name)
        {
            if (names is null)
            {
                if (members.Count < 8)
                {
                    foreach (var member in members)
                    {
                        if (string.Equals(member.Name, name, StringComparison.Ordinal))
                        {
                            return false;
                        }
                    }
                    return true;
                }
                names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var member in members)
                {
                    names.Add(member.Name);
                }
            }
            return names.Add(name);
        }

        private JsonNode ParseArray(int depth)
        {
            if (depth > MaxDepth)
            {
                throw Error($"nesting deeper than {MaxDepth} levels");
            }
            var open = TokenAt(_pos, 1);
            _pos++;
            var items = new List<JsonNode>();
            SkipWhitespace();
            if (Peek() == ']')
            {
                _pos++;
                return new JsonNode(JsonKind.Array, null, default, default, open);
            }
            while (true)
            {
                items.Add(ParseValue(depth));
                SkipWhitespace();
                var next = Peek();
                if (next == ',')
                {
                    _pos++;
                    SkipWhitespace();
                    if (Peek() == ']')
                    {
                        throw Error("a trailing comma is not allowed before ']'");
                    }
                    continue;
                }
                if (next == ']')
                {
                    _pos++;
                    return new JsonNode(JsonKind.Array, null, default, items.ToEquatableArray(), open);
                }
                throw Error(_pos >= _text.Length
                    ? "unexpected end of file inside an array; expected ',' or ']'"
                    : $"unexpected {DescribeCurrent()}; expected ',' or ']' after an element");
            }
        }

        private JsonNode Literal(string word, JsonKind kind)
        {
            var start = _pos;
            for (var i = 0; i < word.Length; i++)
            {
                if (_pos >= _text.Length || _text[_pos] != word[i])
                {
                    throw BadWord(start);
                }
                _pos++;
            }
            if (_pos < _text.Length && IsWordChar(_text[_pos]))
            {
                throw BadWord(start);
            }
            return Scalar(kind, null, TokenAt(start, _pos - start));
        }

        /// <summary>A bare word where a value belongs (usually a string without quotes); the error spans the whole word.</summary>
        private JsonSyntaxException BadWord(int start)
        {
            var end = start;
            while (end < _text.Length && IsWordChar(_text[end]))
            {
                end++;
            }
            var length = Math.Max(1, end - start);
            var word = _text.Substring(start, Math.Min(length, _text.Length - start));
            return new JsonSyntaxException(TokenAt(start, length), $"unexpected '{Shorten(word)}'; expected a value (strings need double quotes)");
        }

        private JsonNode ParseNumber()
        {
            var start = _pos;
            if (Peek() == '-')
            {
                _pos++;
            }
            if (Peek() == '0')
            {
                _pos++;
                if (IsDigit(Peek()))
                {
                    throw Error("a number must not have a leading zero");
                }
            }
            else if (IsDigit(Peek()))
            {
                while (IsDigit(Peek()))
                {
                    _pos++;
                }
            }
            else
            {
                throw Error("expected a digit in the number");
            }
            if (Peek() == '.')
            {
                _pos++;
                if (!IsDigit(Peek()))
                {
                    throw Error("expected a digit after the decimal point");
                }
                while (IsDigit(Peek()))
                {
                    _pos++;
                }
            }
            if (Peek() == 'e' || Peek() == 'E')
            {
                _pos++;
                if (Peek() == '+' || Peek() == '-')
                {
                    _pos++;
                }
                if (!IsDigit(Peek()))
                {
                    throw Error("expected a digit in the exponent");
                }
                while (IsDigit(Peek()))
                {
                    _pos++;
                }
            }
            if (_pos < _text.Length && IsWordChar(_text[_pos]))
            {
                throw Error($"unexpected {DescribeCurrent()} in a number");
            }
            return Scalar(JsonKind.Number, _text.Substring(start, _pos - start), TokenAt(start, _pos - start));
        }

        /// <summary>Reads a string token starting at the opening quote; <paramref name="location"/> spans both quotes.</summary>
        private string ReadStringToken(out LocationInfo location)
        {
            var start = _pos;
            var startLine = _line;
            var startColumn = _pos - _lineStart;
            _pos++;
            var chunkStart = _pos;
            StringBuilder? builder = null;
            while (true)
            {
                if (_pos >= _text.Length)
                {
                    throw new JsonSyntaxException(TokenAt(start, 1), "unterminated string; expected a closing '\"'");
                }
                var c = _text[_pos];
                if (c == '"')
                {
                    string value;
                    if (builder is null)
                    {
                        value = _text.Substring(chunkStart, _pos - chunkStart);
                    }
                    else
                    {
                        builder.Append(_text, chunkStart, _pos - chunkStart);
                        value = builder.ToString();
                    }
                    _pos++;
                    location = new LocationInfo(
                        _path,
                        TextSpan.FromBounds(start, _pos),
                        new LinePositionSpan(new LinePosition(startLine, startColumn), new LinePosition(_line, _pos - _lineStart)));
                    return value;
                }
                if (c == '\\')
                {
                    if (builder is null)
                    {
                        builder = _buffer ??= new StringBuilder();
                        builder.Clear();
                    }
                    builder.Append(_text, chunkStart, _pos - chunkStart);
                    builder.Append(ReadEscape());
                    chunkStart = _pos;
                    continue;
                }
                if (c < ' ')
                {
                    throw Error(c == '\n' || c == '\r'
                        ? "unterminated string: a line break inside a string must be written \\n"
                        : $"control character U+{(int)c:X4} inside a string must be escaped");
                }
                if (c == '\u0085' || c == '\u2028' || c == '\u2029')
                {
                    // Allowed raw in JSON strings, but Roslyn counts them as line breaks.
                    _pos++;
                    _line++;
                    _lineStart = _pos;
                    continue;
                }
                _pos++;
            }
        }

        private char ReadEscape()
        {
            var escapeStart = _pos;
            _pos++;
            if (_pos >= _text.Length)
            {
                throw new JsonSyntaxException(TokenAt(escapeStart, 1), "unterminated escape sequence");
            }
            var c = _text[_pos];
            _pos++;
            switch (c)
            {
                case '"': return '"';
                case '\\': return '\\';
                case '/': return '/';
                case 'b': return '\b';
                case 'f': return '\f';
                case 'n': return '\n';
                case 'r': return '\r';
                case 't': return '\t';
                case 'u':
                    var value = 0;
                    for (var i = 0; i < 4; i++)
                    {
                        var h = _pos < _text.Length ? _text[_pos] : '\0';
                        int digit;
                        if (h >= '0' && h <= '9')
                        {
                            digit = h - '0';
                        }
                        else if (h >= 'a' && h <= 'f')
                        {
                            digit = h - 'a' + 10;
                        }
                        else if (h >= 'A' && h <= 'F')
                        {
                            digit = h - 'A' + 10;
                        }
                        else
                        {
                            throw new JsonSyntaxException(TokenAt(escapeStart, _pos - escapeStart), "a \\u escape needs four hex digits");
                        }
                        value = (value * 16) + digit;
                        _pos++;
                    }
                    return (char)value;
                default:
                    throw new JsonSyntaxException(TokenAt(escapeStart, 2), $"invalid escape sequence '\\{Printable(c)}'");
            }
        }

        private void SkipWhitespace()
        {
            while (_pos < _text.Length)
            {
                var c = _text[_pos];
                if (c == ' ' || c == '\t')
                {
                    _pos++;
                }
                else if (c == '\n')
                {
                    _pos++;
                    _line++;
                    _lineStart = _pos;
                }
                else if (c == '\r')
                {
                    _pos++;
                    if (_pos < _text.Length && _text[_pos] == '\n')
                    {
                        _pos++;
                    }
                    _line++;
                    _lineStart = _pos;
                }
                else
                {
                    return;
                }
            }
        }

        private JsonNode Scalar(JsonKind kind, string? text, LocationInfo location) => new(kind, text, default, default, location);

        /// <summary>A location for a token on the current line.</summary>
        private LocationInfo TokenAt(int start, int length)
        {
            var column = start - _lineStart;
            return new LocationInfo(
                _path,
                new TextSpan(start, length),
                new LinePositionSpan(new LinePosition(_line, column), new LinePosition(_line, column + length)));
        }

        private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

        private JsonSyntaxException Error(string message) =>
            new(TokenAt(_pos, _pos < _text.Length ? 1 : 0), message);

        private string DescribeCurrent() => _pos >= _text.Length ? "end of file" : $"'{Printable(_text[_pos])}'";

        private static string Printable(char c) =>
            c < ' ' || c == '\u007f' || (c >= '\u0080' && c <= '\u00a0') || c == '\u2028' || c == '\u2029'
                ? "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture)
                : c.ToString();

        private static string Shorten(string s) => s.Length > 20 ? s.Substring(0, 20) + "..." : s;

        private static bool IsDigit(char c) => c >= '0' && c <= '9';

        private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '.' || c == '+' || c == '-';

        private sealed class JsonSyntaxException : Exception
        {
            public JsonSyntaxException(LocationInfo location, string message)
                : base(message)
            {
                Location = location;
            }

            public LocationInfo Location { get; }
        }
    }
}

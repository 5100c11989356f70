using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace FlatRacoon.Topology
{
    /// <summary>
    /// A small, forgiving JSON reader for the rule engine's inputs (manifests, schema defaults,
    /// environment exports, configuration written by <c>IModuleConfig.WriteJson</c>). Objects become
    /// ordered lists of key/value pairs, arrays lists, numbers and booleans their JSON text. It never
    /// throws: malformed input gives null (the generator reports malformed files).
    /// </summary>
    public static class MiniJson
    {
        /// <summary>Parses <paramref name="text"/>; null when it is not JSON.</summary>
        public static object? Parse(string text)
        {
            try
            {
                var index = 0;
                var value = ReadValue(text, ref index, 0);
                SkipWhitespace(text, ref index);
                return index == text.Length ? value : null;
            }
            catch (FormatException)
            {
                return null;
            }
            catch (IndexOutOfRangeException)
            {
                return null;
            }
            catch (ArgumentOutOfRangeException)
            {
                return null;
            }
        }

        /// <summary>The member <paramref name="name"/> of a parsed object, or null.</summary>
        public static object? Member(object? node, string name)
        {
            if (node is List<KeyValuePair<string, object?>> members)
            {
                foreach (var member in members)
                {
                    if (member.Key == name)
                    {
                        return member.Value;
                    }
                }
            }
            return null;
        }

        /// <summary>The members of a parsed object (empty for anything else).</summary>
        public static IReadOnlyList<KeyValuePair<string, object?>> Members(object? node) =>
            node as List<KeyValuePair<string, object?>> ?? new List<KeyValuePair<string, object?>>();

        /// <summary>The strings of a parsed array (other items skipped).</summary>
        public static IReadOnlyList<string> Strings(object? node)
        {
            var result = new List<string>();
            if (node is List<object?> items)
            {
                foreach (var item in items)
                {
                    if (item is JsonText text)
                    {
                        result.Add(text.Value);
                    }
                }
            }
            return result;
        }

        /// <summary>The text of a scalar (string, number, boolean), or null.</summary>
        public static string? Text(object? node) => (node as JsonText)?.Value;

        /// <summary>
        /// Flattens a configuration object into key paths (<c>a.b</c>; array items share their array's key;
        /// objects inside arrays continue the path). Null values are skipped.
        /// </summary>
        public static void Flatten(object? node, string prefix, ICollection<SettingValue> into)
        {
            switch (node)
            {
                case List<KeyValuePair<string, object?>> members:
                    foreach (var member in members)
                    {
                        Flatten(member.Value, prefix.Length == 0 ? member.Key : prefix + "." + member.Key, into);
                    }
                    break;
                case List<object?> items:
                    foreach (var item in items)
                    {
                        Flatten(item, prefix, into);
                    }
                    break;
                case JsonText text:
                    into.Add(new SettingValue(prefix, text.Value));
                    break;
            }
        }

        /// <summary>A scalar's text.</summary>
        public sealed class JsonText
        {
            /// <summary>Creates it.</summary>
            public JsonText(string value, bool isString)
            {
                Value = value;
                IsString = isString;
            }

            /// <summary>The string, or the number/boolean as written.</summary>
            public string Value { get; }
            /// <summary>Whether it was a JSON string.</summary>
            public bool IsString { get; }
        }

        private static object? ReadValue(string s, ref int i, int depth)
        {
            if (depth > 64)
            {
                throw new FormatException("too deep");
            }
            SkipWhitespace(s, ref i);
            var c = s[i];
            switch (c)
            {
                case '{':
                {
                    i++;
                    var members = new List<KeyValuePair<string, object?>>();
                    SkipWhitespace(s, ref i);
                    if (s[i] == '}')
                    {
                        i++;
                        return members;
                    }
                    while (true)
                    {
                        SkipWhitespace(s, ref i);
                        var key = ReadString(s, ref i);
                        SkipWhitespace(s, ref i);
                        Expect(s, ref i, ':');
                        members.Add(new KeyValuePair<string, object?>(key, ReadValue(s, ref i, depth + 1)));
                        SkipWhitespace(s, ref i);
                        if (s[i] == ',')
                        {
                            i++;
                            continue;
                        }
                        Expect(s, ref i, '}');
                        return members;
                    }
                }
                case '[':
                {
                    i++;
                    var items = new List<object?>();
                    SkipWhitespace(s, ref i);
                    if (s[i] == ']')
                    {
                        i++;
                        return items;
                    }
                    while (true)
                    {
                        items.Add(ReadValue(s, ref i, depth + 1));
                        SkipWhitespace(s, ref i);
                        if (s[i] == ',')
                        {
                            i++;
                            continue;
                        }
                        Expect(s, ref i, ']');
                        return items;
                    }
                }
                case '"':
                    return new JsonText(ReadString(s, ref i), true);
                default:
                {
                    var start = i;
                    while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '-' || s[i] == '+' || s[i] == '.'))
                    {
                        i++;
                    }
                    var word = s.Substring(start, i - start);
                    if (word == "null")
                    {
                        return null;
                    }
                    if (word == "true" || word == "false"
                        || double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    {
                        return new JsonText(word, false);
                    }
                    throw new FormatException("unexpected token");
                }
            }
        }

        private static string ReadString(string s, ref int i)
        {
            Expect(s, ref i, '"');
            var builder = new StringBuilder();
            while (s[i] != '"')
            {
                var c = s[i++];
                if (c != '\\')
                {
                    builder.Append(c);
                    continue;
                }
                var e = s[i++];
                switch (e)
                {
                    case 'n': builder.Append('\n'); break;
                    case 't': builder.Append('\t'); break;
                    case 'r': builder.Append('\r'); break;
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case 'u':
                        builder.Append((char)int.Parse(s.Substring(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        i += 4;
                        break;
                    default: builder.Append(e); break;
                }
            }
            i++;
            return builder.ToString();
        }

        private static void Expect(string s, ref int i, char c)
        {
            if (s[i] != c)
            {
                throw new FormatException("expected " + c);
            }
            i++;
        }

        private static void SkipWhitespace(string s, ref int i)
        {
            while (i < s.Length && char.IsWhiteSpace(s[i]))
            {
                i++;
            }
        }
    }
}

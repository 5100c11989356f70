using System;
using FlatRacoon.Generators.Helpers;

namespace FlatRacoon.Generators.Json
{
    internal enum JsonKind
    {
        Object,
        Array,
        String,
        Number,
        True,
        False,
        Null,
    }

    /// <summary>
    /// A JSON value with the location of its token (for an object or array: its opening bracket).
    /// Equatable, so it can travel through the incremental pipeline.
    /// </summary>
    internal sealed record JsonNode(
        JsonKind Kind,
        string? Text,
        EquatableArray<JsonMember> Members,
        EquatableArray<JsonNode> Items,
        LocationInfo Location)
    {
        public bool IsBoolean => Kind == JsonKind.True || Kind == JsonKind.False;

        public JsonMember? GetMember(string name)
        {
            foreach (var member in Members)
            {
                if (string.Equals(member.Name, name, StringComparison.Ordinal))
                {
                    return member;
                }
            }
            return null;
        }

        /// <summary>How a message names the JSON type of this value.</summary>
        public string Describe() => Kind switch
        {
            JsonKind.Object => "an object",
            JsonKind.Array => "an array",
            JsonKind.String => "a string",
            JsonKind.Number => "a number",
            JsonKind.True or JsonKind.False => "a boolean",
            _ => "null",
        };
    }

    /// <summary>A member of a JSON object: its key (with the key's location) and value.</summary>
    internal sealed record JsonMember(string Name, LocationInfo NameLocation, JsonNode Value);
}

using System.Collections.Generic;
using System.Linq;
using FlatRacoon.Generators.Helpers;
using FlatRacoon.Generators.Json;
using Xunit;

namespace FlatRacoon.Generators.Tests;

/// <summary>The reader's token positions, which every diagnostic relies on.</summary>
public sealed class JsonReaderTests
{
    [Fact]
    public void Every_token_has_its_exact_span()
    {
        const string text = "{\n  \"a\": [1, -2.5e3, true],\n  \"b\": { \"c\": null }\n}";
        var root = Parse(text);

        Assert.Equal((0, 0, 0, 1), Span(root.Location));
        var a = root.Members[0];
        Assert.Equal((1, 2, 1, 5), Span(a.NameLocation));
        Assert.Equal((1, 7, 1, 8), Span(a.Value.Location));
        Assert.Equal(new[] { "1", "-2.5e3", null }, a.Value.Items.Select(i => i.Text));
        Assert.Equal((1, 11, 1, 17), Span(a.Value.Items[1].Location));
        Assert.Equal((1, 19, 1, 23), Span(a.Value.Items[2].Location));
        var c = root.Members[1].Value.Members[0];
        Assert.Equal((2, 9, 2, 12), Span(c.NameLocation));
        Assert.Equal((2, 14, 2, 18), Span(c.Value.Location));
        Assert.Equal(text.IndexOf("null", System.StringComparison.Ordinal), c.Value.Location.TextSpan.Start);
    }

    [Fact]
    public void Escapes_are_decoded_and_the_span_covers_the_source_text()
    {
        var root = Parse("{\"k\": \"a\\\"b\\u00e9\\n\"}");
        var value = root.Members[0].Value;
        Assert.Equal("a\"bé\n", value.Text);
        Assert.Equal((0, 6, 0, 20), Span(value.Location));
    }

    [Fact]
    public void Line_separators_inside_strings_count_as_line_breaks_as_in_Roslyn()
    {
        var root = Parse("{\"k\": \"a\u2028b\", \"n\": 1}");
        Assert.Equal((0, 6, 1, 2), Span(root.Members[0].Value.Location));
        Assert.Equal((1, 4, 1, 7), Span(root.Members[1].NameLocation));
    }

    [Fact]
    public void A_byte_order_mark_is_skipped_without_shifting_columns()
    {
        var root = Parse("\uFEFF{\"k\": 1}");
        Assert.Equal((0, 0, 0, 1), Span(root.Location));
        Assert.Equal((0, 1, 0, 4), Span(root.Members[0].NameLocation));
    }

    [Fact]
    public void A_duplicate_key_keeps_the_first_value_and_reports_the_second_key()
    {
        var diagnostics = new List<DiagnosticInfo>();
        var root = JsonReader.Parse("/f.json", "{\"k\": 1, \"k\": 2}", diagnostics)!;
        Assert.Equal("1", Assert.Single(root.Members).Value.Text);
        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("FR0006", diagnostic.Descriptor.Id);
        Assert.Equal((0, 9, 0, 12), Span(diagnostic.Location!.Value));
    }

    [Fact]
    public void Duplicates_are_found_in_large_objects_too()
    {
        var members = string.Join(", ", Enumerable.Range(0, 50).Select(i => $"\"k{i}\": {i}"));
        var diagnostics = new List<DiagnosticInfo>();
        JsonReader.Parse("/f.json", "{" + members + ", \"k7\": 0}", diagnostics);
        Assert.Equal("k7", Assert.Single(diagnostics).Arguments[0]);
    }

    private static JsonNode Parse(string text)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var root = JsonReader.Parse("/f.json", text, diagnostics);
        Assert.Empty(diagnostics);
        return root!;
    }

    private static (int, int, int, int) Span(LocationInfo location) =>
        (location.LineSpan.Start.Line, location.LineSpan.Start.Character, location.LineSpan.End.Line, location.LineSpan.End.Character);
}

using System.Text;
using MemoryContracts.Documents;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>Every value keeps its exact start and end position, in YAML and in JSON.</summary>
public sealed class DocumentLoaderTests
{
    [Fact]
    public void Yaml_values_know_their_start_and_end()
    {
        var document = Load("graph.yaml", "id: g\nnodes:\n  - id: a\n    title: \"Quoted title\"\n");
        var node = Single(document.Root, "nodes");
        Assert.True(node.TryGetProperty("title", out var title));
        Assert.Equal((4, 12, 4, 26), Range(title));
        Assert.Equal("Quoted title", title.GetString());
        Assert.Equal((3, 5, 4, 26), Range(node));
    }

    [Fact]
    public void Json_values_know_their_start_and_end()
    {
        var document = Load("graph.json", "{\n  \"id\": \"g\",\n  \"nodes\": [\n    {\"id\": \"a\", \"weight\": 12.5}\n  ]\n}\n");
        var node = Single(document.Root, "nodes");
        Assert.True(node.TryGetProperty("weight", out var weight));
        Assert.Equal((4, 27, 4, 31), Range(weight));
        Assert.Equal(DocumentValueKind.Float, weight.Kind);
        Assert.True(weight.TryGetDouble(out var value));
        Assert.Equal(12.5, value);
        Assert.Equal((4, 5, 4, 32), Range(node));
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    public void Line_endings_do_not_move_positions(string newline)
    {
        var document = Load("crlf.yaml", string.Join(newline, "a: 1", "b: 2", "c: three") + newline);
        Assert.True(document.Root.TryGetProperty("c", out var c));
        Assert.Equal((3, 4), (c.Location.Line, c.Location.Column));
    }

    [Fact]
    public void A_byte_order_mark_is_not_a_column()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("{\"a\": \"b\"}")).ToArray();
        var document = DocumentLoader.Load("bom.json", bytes).Document!;
        Assert.True(document.Root.TryGetProperty("a", out var a));
        Assert.Equal((1, 7), (a.Location.Line, a.Location.Column));
    }

    [Theory]
    [InlineData("yaml", "t: \"é😀\"\nx: 1\n", 2, 1)]
    [InlineData("json", "{\"t\": \"é😀\", \"x\": 1}", 1, 14)]
    public void Columns_count_utf16_code_units(string extension, string text, int line, int column)
    {
        var document = Load("unicode." + extension, text);
        Assert.True(document.Root.TryGetProperty("x", out _));
        var key = document.Root.EnumerateProperties().Last().Key;
        Assert.Equal((line, column), (key.Location.Line, key.Location.Column));
        Assert.Equal("é😀", document.Root.GetOptionalString("t"));
    }

    [Theory]
    [InlineData("true", DocumentValueKind.Boolean)]
    [InlineData("False", DocumentValueKind.Boolean)]
    [InlineData("~", DocumentValueKind.Null)]
    [InlineData("", DocumentValueKind.Null)]
    [InlineData("42", DocumentValueKind.Integer)]
    [InlineData("-7", DocumentValueKind.Integer)]
    [InlineData("0x1F", DocumentValueKind.Integer)]
    [InlineData("0o17", DocumentValueKind.Integer)]
    [InlineData("1.5e3", DocumentValueKind.Float)]
    [InlineData(".inf", DocumentValueKind.Float)]
    [InlineData("'true'", DocumentValueKind.String)]
    [InlineData("\"42\"", DocumentValueKind.String)]
    [InlineData("yes", DocumentValueKind.String)]
    [InlineData("2026-05-01T10:00:00Z", DocumentValueKind.String)]
    [InlineData("!!str 12", DocumentValueKind.String)]
    [InlineData("!!float 12", DocumentValueKind.Float)]
    public void Yaml_scalars_follow_the_core_schema(string scalar, DocumentValueKind kind)
    {
        var document = Load("scalar.yaml", "v: " + scalar + "\n");
        Assert.True(document.Root.TryGetProperty("v", out var value));
        Assert.Equal(kind, value.Kind);
    }

    [Fact]
    public void Integers_read_in_every_spelling()
    {
        var document = Load("numbers.yaml", "hex: 0x1F\noctal: 0o17\nsigned: -12\n");
        Assert.Equal([31L, 15L, -12L], document.Root.EnumerateProperties().Select(pair => pair.Value.TryGetInt64(out var n) ? n : 0));
    }

    [Fact]
    public void Json_strings_decode_escapes_and_long_text_lazily()
    {
        var longText = new string('x', 100) + "\u00e9";
        var document = Load("strings.json", "{\"escaped\": \"a\\\"b\\u0041\", \"long\": \"" + longText + "\"}");
        Assert.Equal("a\"bA", document.Root.GetOptionalString("escaped"));
        Assert.Equal(longText, document.Root.GetOptionalString("long"));
    }

    [Fact]
    public void Json_and_yaml_of_the_same_graph_load_the_same_values()
    {
        var yaml = Load("same.yaml", "id: g\nnodes:\n  - {id: a, weight: 2, tags: [x, y], ok: true, none: null}\n");
        var json = Load("same.json", "{\"id\": \"g\", \"nodes\": [{\"id\": \"a\", \"weight\": 2, \"tags\": [\"x\", \"y\"], \"ok\": true, \"none\": null}]}");
        Assert.Equal(Flatten(yaml.Root), Flatten(json.Root));
    }

    [Fact]
    public void A_large_document_spans_several_tape_chunks()
    {
        var items = string.Join(",", Enumerable.Range(0, 50_000).Select(i => $"{{\"id\":\"n{i}\",\"v\":{i}}}"));
        var document = Load("large.json", "{\"nodes\":[" + items + "]}");
        Assert.Equal(3 + (50_000 * 5), document.ValueCount);
        var last = document.Root.EnumerateProperties().Single().Value.EnumerateItems().Last();
        Assert.Equal("n49999", last.GetOptionalString("id"));
        Assert.True(last.TryGetProperty("v", out var v) && v.TryGetInt64(out var n) && n == 49_999);
    }

    private static SourceDocument Load(string name, string text)
    {
        var result = DocumentLoader.Load(name, Encoding.UTF8.GetBytes(text));
        Assert.Empty(result.Diagnostics);
        return result.Document!;
    }

    private static DocumentNode Single(DocumentNode root, string list)
    {
        Assert.True(root.TryGetProperty(list, out var sequence));
        return Assert.Single(sequence.EnumerateItems());
    }

    private static (int, int, int, int) Range(DocumentNode node) =>
        (node.Location.Line, node.Location.Column, node.Location.EndLine, node.Location.EndColumn);

    private static string Flatten(DocumentNode node) => node.Kind switch
    {
        DocumentValueKind.Mapping => "{" + string.Join(",", node.EnumerateProperties().Select(pair => pair.Key.GetString() + ":" + Flatten(pair.Value))) + "}",
        DocumentValueKind.Sequence => "[" + string.Join(",", node.EnumerateItems().Select(Flatten)) + "]",
        DocumentValueKind.Null => "null",
        _ => node.Kind + ":" + node.GetString().ToLowerInvariant(),
    };
}

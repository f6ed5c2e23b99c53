using System.Text;
using MemoryContracts.Documents;
using MemoryContracts.Output;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>What the writers write reads back as the same values.</summary>
public sealed class WireWriterTests
{
    public static TheoryData<string> Strings() => new()
    {
        "plain", "", " leading space", "trailing space ", "key: value", "a #comment", "- dash", "? question", "[flow]", "{map}",
        "true", "null", "~", "12", "1.5", "0x10", "yes", "no", "2026-05-01T10:00:00Z", "line\nbreak", "tab\there", "quote \" and \\ slash",
        "\u0001 control", "é and 😀", "'single'", "&anchor", "*alias", "!tag", "%directive", "@at", "`tick`", "ends with colon:",
    };

    [Theory]
    [MemberData(nameof(Strings))]
    public void Strings_round_trip_through_yaml_and_json(string value)
    {
        var wire = new WireObject().Add("value", value).Add("list", WireValue.From([value, value]));
        foreach (var (name, text) in new[] { ("v.yaml", WireYamlWriter.Write(wire)), ("v.json", WireJsonWriter.Write(wire)) })
        {
            var loaded = DocumentLoader.Load(name, Encoding.UTF8.GetBytes(text));
            Assert.Empty(loaded.Diagnostics);
            Assert.True(loaded.Document!.Root.TryGetProperty("value", out var read));
            Assert.Equal(DocumentValueKind.String, read.Kind);
            Assert.Equal(value, read.GetString());
        }
    }

    [Fact]
    public void Json_is_indented_with_lf_and_a_final_newline()
    {
        var text = WireJsonWriter.Write(new WireObject().Add("a", 1).Add("b", new WireArray([])).Add("c", new WireObject()));
        Assert.Equal("{\n  \"a\": 1,\n  \"b\": [],\n  \"c\": {}\n}\n", text);
    }

    [Fact]
    public void Yaml_nests_mappings_in_sequences()
    {
        var text = WireYamlWriter.Write(new WireObject().Add("items", new WireArray([new WireObject().Add("id", "a").Add("tags", WireValue.From(["x"]))])));
        Assert.Equal("items:\n  - id: a\n    tags:\n      - x\n", text);
    }
}

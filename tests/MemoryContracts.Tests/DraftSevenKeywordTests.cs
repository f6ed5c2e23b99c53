using MemoryContracts.Schemas;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>
/// Issue 16, finding 1 (in part): draft-07 keywords the compiled validator now enforces, each with its tricky cases,
/// checked through the public <see cref="JsonSchemaFile"/> on YAML documents with exact codes and positions.
/// </summary>
public sealed class DraftSevenKeywordTests : IDisposable
{
    private readonly string _folder = TempFolders.Create("draft7");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("""{"minProperties": 2}""", "a: 1\nb: 2", "")]
    [InlineData("""{"minProperties": 2}""", "a: 1", "MC1003(1,1)")]
    [InlineData("""{"maxProperties": 1}""", "a: 1\nb: 2", "MC1003(1,1)")]
    [InlineData("""{"maxProperties": 1.0}""", "a: 1", "")]
    [InlineData("""{"minProperties": 1}""", "[]", "")]
    public void MinProperties_and_maxProperties(string schema, string document, string expected) => Assert.Equal(expected, Check(schema, document));

    [Theory]
    [InlineData("""{"multipleOf": 2}""", "10", "")]
    [InlineData("""{"multipleOf": 2}""", "7", "MC1003(1,1)")]
    [InlineData("""{"multipleOf": 0.1}""", "0.3", "")]
    [InlineData("""{"multipleOf": 1.5}""", "4.5", "")]
    [InlineData("""{"multipleOf": 1.5}""", "35", "MC1003(1,1)")]
    [InlineData("""{"multipleOf": 0.0001}""", "0.0075", "")]
    [InlineData("""{"multipleOf": 0.0001}""", "0.00751", "MC1003(1,1)")]
    [InlineData("""{"type": "integer", "multipleOf": 0.123456789}""", "1e308", "MC1003(1,1)")]
    [InlineData("""{"multipleOf": 2}""", "x", "")]
    [InlineData("""{"type": "integer", "multipleOf": 0.5}""", "1e308", "")]
    public void MultipleOf(string schema, string document, string expected) => Assert.Equal(expected, Check(schema, document));

    [Theory]
    [InlineData("""{"propertyNames": {"maxLength": 3}}""", "ab: 1\nabcd: 2", "MC1003(2,1)")]
    [InlineData("""{"propertyNames": {"pattern": "^[a-z]+$"}}""", "ok: 1\nNot: 2", "MC1003(2,1)")]
    [InlineData("""{"propertyNames": false}""", "{}", "")]
    [InlineData("""{"propertyNames": false}""", "a: 1", "MC1003(1,1)")]
    public void PropertyNames(string schema, string document, string expected) => Assert.Equal(expected, Check(schema, document));

    [Theory]
    [InlineData("""{"patternProperties": {"^x-": {"type": "integer"}}, "additionalProperties": false}""", "x-a: 1\nx-b: no\ny: 1", "MC1003(2,6) MC1003(3,1)")]
    [InlineData("""{"properties": {"x-a": {"minimum": 5}}, "patternProperties": {"^x-": {"maximum": 3}}}""", "x-a: 4", "MC1003(1,6) MC1003(1,6)")]
    [InlineData("""{"patternProperties": {"a": {"type": "integer"}, "b": {"minimum": 2}}}""", "ab: 1", "MC1003(1,5)")]
    [InlineData("""{"patternProperties": {"^a": {}}, "additionalProperties": {"type": "string"}}""", "ax: 1\nb: 2", "MC1003(2,4)")]
    public void PatternProperties(string schema, string document, string expected) => Assert.Equal(expected, Check(schema, document));

    [Theory]
    [InlineData("""{"dependencies": {"card": ["billing"]}}""", "card: 1", "MC1003(1,1)")]
    [InlineData("""{"dependencies": {"card": ["billing"]}}""", "billing: 1", "")]
    [InlineData("""{"dependencies": {"card": ["billing"]}}""", "card: 1\nbilling: 2", "")]
    [InlineData("""{"dependencies": {"card": {"required": ["billing"]}}}""", "card: 1", "MC1003(1,1)")]
    [InlineData("""{"dependencies": {"card": false}}""", "card: 1", "MC1003(1,1)")]
    [InlineData("""{"dependencies": {"card": []}}""", "card: 1", "")]
    public void Dependencies(string schema, string document, string expected) => Assert.Equal(expected, Check(schema, document));

    [Theory]
    [InlineData("""{"contains": {"const": 5}}""", "[1, 5]", "")]
    [InlineData("""{"contains": {"const": 5}}""", "[1, 2]", "MC1003(1,1)")]
    [InlineData("""{"contains": {"const": 5}}""", "[]", "MC1003(1,1)")]
    [InlineData("""{"contains": false}""", "[1]", "MC1003(1,1)")]
    [InlineData("""{"contains": {"const": 5}}""", "a: 1", "")]
    public void Contains(string schema, string document, string expected) => Assert.Equal(expected, Check(schema, document));

    [Theory]
    [InlineData("kind: a", "MC1003(1,1)")]
    [InlineData("kind: b", "MC1003(1,1)")]
    [InlineData("kind: a\nx: 1", "")]
    [InlineData("kind: b\ny: 1", "")]
    public void If_then_else(string document, string expected) =>
        Assert.Equal(expected, Check("""{"if": {"properties": {"kind": {"const": "a"}}}, "then": {"required": ["x"]}, "else": {"required": ["y"]}}""", document));

    [Theory]
    [InlineData("""{"if": {"const": 1}}""", "2", "")]
    [InlineData("""{"then": {"const": 1}}""", "2", "")]
    [InlineData("""{"if": {"const": 1}, "else": {"const": 3}}""", "2", "MC1003(1,1)")]
    [InlineData("""{"if": {"const": 1}, "else": {"const": 3}}""", "1", "")]
    public void If_alone_or_then_alone_changes_nothing(string schema, string document, string expected) => Assert.Equal(expected, Check(schema, document));

    [Theory]
    [InlineData("""{"items": [{"type": "string"}, {"type": "integer"}], "additionalItems": false}""", "[a, 1]", "")]
    [InlineData("""{"items": [{"type": "string"}, {"type": "integer"}], "additionalItems": false}""", "[a, 1, true]", "MC1003(1,8)")]
    [InlineData("""{"items": [{"type": "string"}, {"type": "integer"}]}""", "[1]", "MC1003(1,2)")]
    [InlineData("""{"items": [{}], "additionalItems": {"type": "integer"}}""", "[x, 1, y]", "MC1003(1,8)")]
    [InlineData("""{"items": {}, "additionalItems": false}""", "[1, 2, 3]", "")]
    [InlineData("""{"additionalItems": false}""", "[1, 2, 3]", "")]
    [InlineData("""{"items": [false]}""", "[]", "")]
    [InlineData("""{"items": [false]}""", "[1]", "MC1003(1,2)")]
    public void Tuple_items_and_additionalItems(string schema, string document, string expected) => Assert.Equal(expected, Check(schema, document));

    [Theory]
    [InlineData("""{"required": ["a"]}""", "b: 1", "MC1003(1,1)")]
    [InlineData("""{"required": ["a"]}""", "a: 1", "")]
    [InlineData("""{"required": ["a"], "additionalProperties": false}""", "a: 1", "MC1003(1,1)")]
    public void Required_names_a_property_properties_need_not_declare(string schema, string document, string expected) => Assert.Equal(expected, Check(schema, document));

    [Theory]
    [InlineData("""{"enum": [{"a": 1, "b": [1, 2]}, [1, "x"]]}""", "{b: [1, 2.0], a: 1}", "")]
    [InlineData("""{"enum": [{"a": 1, "b": [1, 2]}, [1, "x"]]}""", "[1, x]", "")]
    [InlineData("""{"enum": [{"a": 1, "b": [1, 2]}, [1, "x"]]}""", "{a: 1, b: [2, 1]}", "MC1003(1,1)")]
    [InlineData("""{"enum": [{"a": 1, "b": [1, 2]}, [1, "x"]]}""", "{a: 1}", "MC1003(1,1)")]
    [InlineData("""{"enum": [[1, "x"]]}""", "[1, \"1\"]", "MC1003(1,1)")]
    [InlineData("""{"const": {"a": null}}""", "{a: null}", "")]
    [InlineData("""{"const": {"a": null}}""", "{}", "MC1003(1,1)")]
    [InlineData("""{"const": [false]}""", "[0]", "MC1003(1,1)")]
    [InlineData("""{"enum": [1, {"k": "v"}]}""", "1.0", "")]
    public void Enum_and_const_hold_mappings_and_sequences_compared_as_JSON_values(string schema, string document, string expected) => Assert.Equal(expected, Check(schema, document));

    [Theory]
    [InlineData("""{"maxLength": 2.0}""", "abc", "MC1003(1,1)")]
    [InlineData("""{"minItems": 1.0}""", "[]", "MC1003(1,1)")]
    public void Integer_valued_decimals_are_integers(string schema, string document, string expected) => Assert.Equal(expected, Check(schema, document));

    [Theory]
    [InlineData("""{"definitions": {"a/b": {"type": "integer"}}, "$ref": "#/definitions/a~1b"}""", "x", "MC1003(1,1)")]
    [InlineData("""{"definitions": {"a~b": {"type": "integer"}}, "$ref": "#/definitions/a~0b"}""", "x", "MC1003(1,1)")]
    [InlineData("""{"definitions": {"a%b": {"type": "integer"}}, "$ref": "#/definitions/a%25b"}""", "x", "MC1003(1,1)")]
    [InlineData("""{"definitions": {"say \"hi\"": {"type": "integer"}}, "$ref": "#/definitions/say%20%22hi%22"}""", "x", "MC1003(1,1)")]
    [InlineData("""{"definitions": {"": {"definitions": {"": {"type": "integer"}}}}, "$ref": "#/definitions//definitions/"}""", "x", "MC1003(1,1)")]
    [InlineData("""{"properties": {"a": {"type": "integer"}, "b": {"$ref": "#/properties/a"}}}""", "b: x", "MC1003(1,4)")]
    [InlineData("""{"items": [{"type": "integer"}, {"$ref": "#/items/0"}]}""", "[1, x]", "MC1003(1,5)")]
    public void A_reference_is_a_JSON_pointer_with_escapes_into_any_subschema(string schema, string document, string expected) => Assert.Equal(expected, Check(schema, document));

    [Fact]
    public void A_nested_definition_does_not_replace_the_top_level_one_of_the_same_name()
    {
        // Before: both were registered as '#/definitions/id', so the nested one won and the answer was wrong.
        const string Schema = """{"definitions": {"id": {"type": "integer"}, "wrapper": {"definitions": {"id": {"type": "string"}}, "$ref": "#/definitions/wrapper/definitions/id"}}, "properties": {"n": {"$ref": "#/definitions/id"}, "s": {"$ref": "#/definitions/wrapper"}}}""";

        Assert.Equal("MC1003(1,4) MC1003(2,4)", Check(Schema, "n: x\ns: 1"));
        Assert.Equal("", Check(Schema, "n: 1\ns: x"));
    }

    [Theory]
    [InlineData("""{"$id": "https://example.com/root.json", "definitions": {"a": {"$id": "#int", "type": "integer"}}, "$ref": "#int"}""", "x", "MC1003(1,1)")]
    [InlineData("""{"$id": "https://example.com/root.json", "definitions": {"a": {"$id": "#int", "type": "integer"}}, "$ref": "https://example.com/root.json#int"}""", "x", "MC1003(1,1)")]
    [InlineData("""{"$id": "https://example.com/a/root.json", "definitions": {"b": {"$id": "b.json", "type": "integer"}}, "$ref": "b.json"}""", "x", "MC1003(1,1)")]
    [InlineData("""{"$id": "https://example.com/a/root.json", "definitions": {"b": {"$id": "https://example.com/b/", "definitions": {"c": {"$id": "c.json", "type": "integer"}}}}, "$ref": "https://example.com/b/c.json"}""", "x", "MC1003(1,1)")]
    [InlineData("""{"$id": "https://example.com/a/root.json", "definitions": {"b": {"$id": "/other/b.json", "type": "integer"}}, "$ref": "https://example.com/other/b.json"}""", "x", "MC1003(1,1)")]
    [InlineData("""{"$id": "https://example.com/root.json", "properties": {"p": {"$id": "inner.json", "definitions": {"t": {"type": "integer"}}, "allOf": [{"$ref": "#/definitions/t"}]}}}""", "p: x", "MC1003(1,4)")]
    [InlineData("""{"$id": "urn:uuid:8b6b1d4e-3f0a-4b8e-9a7c-2f4d5e6a7b8c", "definitions": {"a": {"$id": "#int", "type": "integer"}}, "$ref": "urn:uuid:8b6b1d4e-3f0a-4b8e-9a7c-2f4d5e6a7b8c#int"}""", "x", "MC1003(1,1)")]
    public void An_id_names_a_subschema_or_starts_a_resource_that_references_resolve_against(string schema, string document, string expected) => Assert.Equal(expected, Check(schema, document));

    [Fact]
    public void A_ref_ignores_a_sibling_id_and_resolves_against_the_enclosing_base()
    {
        const string Schema = """{"$id": "https://example.com/base/", "definitions": {"n": {"$id": "n.json", "type": "number"}, "other": {"$id": "https://example.com/elsewhere/n.json", "type": "string"}}, "allOf": [{"$id": "https://example.com/elsewhere/", "$ref": "n.json"}]}""";

        Assert.Equal("", Check(Schema, "1"));
        Assert.Equal("MC1003(1,1)", Check(Schema, "x"));
    }

    [Fact]
    public void Recursive_references_between_embedded_resources_check_every_level()
    {
        const string Schema = """
            {"$id": "https://example.com/tree", "type": "object", "required": ["nodes"],
             "properties": {"nodes": {"type": "array", "items": {"$ref": "node"}}},
             "definitions": {"node": {"$id": "https://example.com/node", "type": "object", "required": ["value"],
               "properties": {"value": {"type": "number"}, "subtree": {"$ref": "tree"}}}}}
            """;

        Assert.Equal("", Check(Schema, "nodes:\n  - value: 1\n    subtree:\n      nodes:\n        - value: 2\n"));
        Assert.Equal("MC1003(5,18)", Check(Schema, "nodes:\n  - value: 1\n    subtree:\n      nodes:\n        - value: two\n"));
    }

    [Theory]
    [InlineData("""{"definitions": {"a": {"$id": "#x"}, "b": {"$id": "#x"}}}""", 1, 51)]
    [InlineData("""{"required": ["a", "b", "a"]}""", 1, 25)]
    [InlineData("""{"$ref": "#/definitions/missing"}""", 1, 10)]
    [InlineData("""{"definitions": {"a": {}}, "$ref": "#/definitions"}""", 1, 36)]
    [InlineData("""{"pattern": "(?i)abc"}""", 1, 13)]
    public void Ambiguous_or_missing_targets_are_MC9002_at_their_position(string schema, int line, int column) => AssertRefusedAt(schema, line, column);

    [Fact]
    public void A_checked_document_may_hold_U0000_in_a_string_a_fixture_may_not()
    {
        var loaded = JsonSchemaFile.Load(Write("nul.schema.json", """{"enum": ["a\u0000b"]}"""));
        Assert.True(loaded.Schema is not null, string.Join("; ", loaded.Diagnostics));

        Assert.Empty(loaded.Schema.Validate(Write("nul.json", "\"a\\u0000b\"")));
        Assert.Equal("MC1003", Assert.Single(loaded.Schema.Validate(Write("ab.json", "\"ab\""))).Code);
        var stored = Assert.Single(loaded.Schema.Validate(Write("nul.json", "\"a\\u0000b\""), Documents.DocumentLimits.Default));
        Assert.Equal(("MC1001", 1, 1), (stored.Code, stored.Location.Line, stored.Location.Column));
    }

    [Fact]
    public void More_than_64_required_names_are_each_checked()
    {
        var names = Enumerable.Range(0, 70).Select(index => $"p{index}").ToArray();
        var schema = $$"""{"required": [{{string.Join(", ", names.Select(name => $"\"{name}\""))}}]}""";

        Assert.Equal("", Check(schema, string.Join("\n", names.Select(name => name + ": 1"))));
        var missing = Messages(schema, string.Join("\n", names.Where(name => name is not ("p3" or "p66")).Select(name => name + ": 1")));
        Assert.Equal(["the document is missing the required property 'p3'", "the document is missing the required property 'p66'"], missing);
    }

    [Theory]
    [InlineData("""{"pattern": "^abc$"}""", "\"abc\\n\"", "MC1003(1,1)")]
    [InlineData("""{"pattern": "^\\d+$"}""", "\"١٢٣\"", "MC1003(1,1)")]
    [InlineData("""{"pattern": "^\\w+$"}""", "\"é\"", "MC1003(1,1)")]
    [InlineData("""{"pattern": "^a.b$"}""", "\"a\\rb\"", "MC1003(1,1)")]
    [InlineData("""{"pattern": "^\\s$"}""", "\"\\ufeff\"", "")]
    [InlineData("""{"pattern": "^🐉{2}$"}""", "\"🐉🐉\"", "")]
    [InlineData("""{"pattern": "^[^]$"}""", "\"\\n\"", "")]
    [InlineData("""{"pattern": "[]"}""", "\"anything\"", "MC1003(1,1)")]
    [InlineData("""{"pattern": "^\\p{Letter}+$"}""", "\"école\"", "")]
    [InlineData("""{"pattern": "^[\\p{digit}]+$"}""", "\"١٢٣\"", "")]
    [InlineData("""{"pattern": "^\\P{gc=Decimal_Number}$"}""", "\"7\"", "MC1003(1,1)")]
    public void Patterns_mean_what_ECMA_262_says(string schema, string document, string expected) => Assert.Equal(expected, Check(schema, document, "doc.json"));

    [Theory]
    [InlineData("""{"multipleOf": 0}""", 1, 16)]
    [InlineData("""{"minProperties": 1.5}""", 1, 19)]
    [InlineData("""{"patternProperties": {"(": {}}}""", 1, 24)]
    public void Invalid_keyword_values_are_MC9002_at_the_value(string schema, int line, int column) => AssertRefusedAt(schema, line, column);

    [Fact]
    public void Messages_name_the_value_and_the_rule()
    {
        var messages = Messages("""{"dependencies": {"card": ["billing"]}, "maxProperties": 1, "propertyNames": {"maxLength": 4}}""", "card: 1\nexpiry: 2");

        Assert.Equal(
            [
                "the document must have at most 1 propert(ies), not 2",
                "the document has 'card', so it needs 'billing' too",
            ],
            messages.Where(message => !message.Contains("expiry", StringComparison.Ordinal)));
        Assert.Contains(messages, message => message.Contains("expiry", StringComparison.Ordinal) && message.Contains("at most 4 character(s)", StringComparison.Ordinal));
    }

    /// <summary>The document's diagnostics as <c>code(line,column)</c>, in position order; YAML unless named otherwise.</summary>
    private string Check(string schema, string document, string documentName = "doc.yaml")
    {
        var loaded = JsonSchemaFile.Load(Write("test.schema.json", schema));
        Assert.True(loaded.Schema is not null, string.Join("; ", loaded.Diagnostics));
        return string.Join(" ", loaded.Schema.Validate(Write(documentName, document)).OrderBy(d => d.Location.Line).ThenBy(d => d.Location.Column).Select(d => $"{d.Code}({d.Location.Line},{d.Location.Column})"));
    }

    /// <summary>The schema is refused with exactly one MC9002 at the position.</summary>
    private void AssertRefusedAt(string schema, int line, int column)
    {
        var loaded = JsonSchemaFile.Load(Write("bad.schema.json", schema));

        Assert.Null(loaded.Schema);
        var diagnostic = Assert.Single(loaded.Diagnostics);
        Assert.Equal(("MC9002", line, column), (diagnostic.Code, diagnostic.Location.Line, diagnostic.Location.Column));
    }

    private string[] Messages(string schema, string document) =>
        JsonSchemaFile.Load(Write("test.schema.json", schema)).Schema!.Validate(Write("doc.yaml", document)).Select(d => d.Message).ToArray();

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}

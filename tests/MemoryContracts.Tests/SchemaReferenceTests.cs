using MemoryContracts.Schemas;
using MemoryContracts.Validation;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>
/// Issue 16, finding 5: a schema refers to another by a reference that both an editor and the compiler resolve: a
/// relative file reference resolved against <c>$id</c> (RFC 3986), the other schema's absolute <c>$id</c>, or a bare
/// file name of the catalog (as an editor resolves it next to the referring file).
/// </summary>
public sealed class SchemaReferenceTests
{
    [Theory]
    [InlineData("https://markitect.dev/schemas/test.refs.v1.schema.json", "markitect.memory.graph.v1.schema.json#/definitions/node_kind")]
    [InlineData("https://markitect.dev/schemas/test.refs.v1.schema.json", "./markitect.memory.graph.v1.schema.json#/definitions/node_kind")]
    [InlineData("https://markitect.dev/schemas/test/refs.v1.schema.json", "../markitect.memory.graph.v1.schema.json#/definitions/node_kind")]
    [InlineData("https://example.com/test.refs.v1.schema.json", "https://markitect.dev/schemas/markitect.memory.graph.v1.schema.json#/definitions/node_kind")]
    [InlineData("https://example.com/test.refs.v1.schema.json", "markitect.memory.graph.v1.schema.json#/definitions/node_kind")]
    [InlineData("urn:test:refs:v1", "markitect.memory.graph.v1.schema.json#/definitions/node_kind")]
    public void A_reference_to_another_schema_resolves_and_checks_through_it(string id, string reference)
    {
        var folder = WriteSchema(id, reference);

        var loaded = SchemaCatalog.Load(folder);

        Assert.Empty(loaded.Diagnostics);
        var fixture = Path.Combine(folder, "refs.yaml");
        File.WriteAllText(fixture, "schema_version: test.refs.v1\nkind: decisoin\n");
        var result = new ContractValidator(new ValidationOptions { Catalog = loaded.Catalog! }).Validate(fixture);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(("MC2001", 2, 7), (diagnostic.Descriptor.Code, diagnostic.Location.Line, diagnostic.Location.Column));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void A_reference_to_a_file_the_catalog_does_not_hold_is_MC9002_at_the_reference()
    {
        var folder = WriteSchema("https://markitect.dev/schemas/test.refs.v1.schema.json", "markitect.memory.grahp.v1.schema.json#/definitions/node_kind");

        var diagnostic = Assert.Single(SchemaCatalog.Load(folder).Diagnostics);

        Assert.Equal(("MC9002", 6, 23), (diagnostic.Descriptor.Code, diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.StartsWith("$ref 'markitect.memory.grahp.v1.schema.json#/definitions/node_kind' resolves to no schema in the catalog", diagnostic.Message, StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void A_relative_id_is_MC9002_at_the_id()
    {
        var folder = WriteSchema("test.refs.v1.schema.json", "#");

        var diagnostic = Assert.Single(SchemaCatalog.Load(folder).Diagnostics);

        Assert.Equal(("MC9002", 2, 10), (diagnostic.Descriptor.Code, diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.StartsWith("$id 'test.refs.v1.schema.json' must be an absolute URI", diagnostic.Message, StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }

    private static string WriteSchema(string id, string reference)
    {
        var folder = TempFolders.Create("schemas");
        File.WriteAllText(Path.Combine(folder, "test.refs.v1.schema.json"), $$"""
            {
              "$id": "{{id}}",
              "x-contract": "test",
              "properties": {
                "schema_version": { "const": "test.refs.v1" },
                "kind": { "$ref": "{{reference}}" }
              }
            }
            """);
        return folder;
    }
}

using MemoryContracts.Schemas;
using MemoryContracts.Tool;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>
/// Issue 16, finding 2: any YAML or JSON document against any JSON Schema, with positions, through the library
/// (<see cref="JsonSchemaFile"/>) and the command line (<c>dotnet memory schema check</c>).
/// </summary>
public sealed class SchemaCheckTests
{
    private const string TeamSchema = """
        {
          "$schema": "http://json-schema.org/draft-07/schema#",
          "type": "object",
          "required": ["name", "kinds"],
          "additionalProperties": false,
          "properties": {
            "name": { "type": "string", "minLength": 2 },
            "kinds": { "type": "array", "items": { "$ref": "markitect.memory.graph.v1.schema.json#/definitions/node_kind" } },
            "lead": { "$ref": "https://markitect.dev/schemas/markitect.memory.graph.v1.schema.json#/definitions/id" },
            "since": { "type": "string", "format": "date-time" }
          }
        }
        """;

    [Fact]
    public void A_catalog_schema_file_itself_or_an_edited_copy_with_its_id_checks_documents()
    {
        // A schema with the $id of a catalog schema replaces it (it registered twice before, which was refused as ambiguous).
        var graphSchema = Path.Combine(Repository.Root, "schemas", "markitect.memory.graph.v1.schema.json");
        var loaded = JsonSchemaFile.Load(graphSchema);
        Assert.Empty(loaded.Diagnostics);
        Assert.Empty(loaded.Schema!.Validate(Path.Combine(Repository.Root, "examples", "memory", "decision-graph.yaml")));
        foreach (var schema in Directory.GetFiles(Path.Combine(Repository.Root, "schemas"), "*.schema.json"))
        {
            Assert.True(JsonSchemaFile.Load(schema).Diagnostics.Count == 0, schema + ": " + string.Join("; ", JsonSchemaFile.Load(schema).Diagnostics));
        }

        var folder = TempFolders.Create("schema-copy");
        var edited = File.ReadAllText(graphSchema).Replace("\"required\": [\"schema_version\", \"id\", \"nodes\"]", "\"required\": [\"schema_version\", \"id\", \"nodes\", \"title\"]", StringComparison.Ordinal);
        Assert.NotEqual(File.ReadAllText(graphSchema), edited);
        var copy = JsonSchemaFile.Load(Write(folder, "graph.schema.json", edited));
        Assert.Empty(copy.Diagnostics);
        var missingTitle = Write(folder, "g.yaml", "schema_version: markitect.memory.graph.v1\nid: g\nnodes: []\n");
        Assert.Equal("MC1003", Assert.Single(copy.Schema!.Validate(missingTitle)).Code);
    }

    [Fact]
    public void A_document_is_checked_against_a_schema_of_its_own_with_positions_and_references_into_the_catalog()
    {
        var folder = TempFolders.Create("schema-check");
        var schemaPath = Write(folder, "team.schema.json", TeamSchema);
        var document = Write(folder, "team.yaml", "name: x\nkinds: [decision, decisoin]\nlead: \"\"\nsince: \"2026-13-01T00:00:00Z\"\nextra: 1\n");

        var loaded = JsonSchemaFile.Load(schemaPath);

        Assert.Empty(loaded.Diagnostics);
        var diagnostics = loaded.Schema!.Validate(document);
        Assert.Equal(
            [("MC1003", 1, 7), ("MC2001", 2, 19), ("MC1003", 3, 7), ("MC1003", 4, 8), ("MC1003", 5, 1)],
            diagnostics.Select(diagnostic => (diagnostic.Code, diagnostic.Location.Line, diagnostic.Location.Column)).OrderBy(item => item.Line));
        Assert.Empty(loaded.Schema.Validate(Write(folder, "good.json", """{"name": "ok", "kinds": ["risk"], "lead": "ada"}""")));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void A_schema_with_a_problem_or_a_file_that_cannot_be_read_is_a_diagnostic_with_a_position()
    {
        var folder = TempFolders.Create("schema-check");

        var broken = JsonSchemaFile.Load(Write(folder, "bad.schema.json", "{\n  \"properties\": { \"a\": { \"type\": \"strnig\" } },\n  \"$ref\": \"other.schema.json#/definitions/x\"\n}\n"));
        var missing = JsonSchemaFile.Load(Path.Combine(folder, "nope.schema.json"));

        Assert.Null(broken.Schema);
        Assert.Equal([("MC9002", 2, 34), ("MC9002", 3, 11)], broken.Diagnostics.Select(diagnostic => (diagnostic.Code, diagnostic.Location.Line, diagnostic.Location.Column)).OrderBy(item => item.Line));
        Assert.Equal("MC1010", Assert.Single(missing.Diagnostics).Code);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void The_command_prints_canonical_lines_and_exits_like_validate()
    {
        var folder = TempFolders.Create("schema-check");
        var schemaPath = Write(folder, "team.schema.json", TeamSchema);
        var bad = Write(folder, "team.yaml", "name: x\nkinds: [decision]\n");
        var good = Write(folder, "good.json", """{"name": "ok", "kinds": ["risk"]}""");

        var (failed, failedOutput) = Run("schema", "check", "--schema", schemaPath, bad, good);
        var (passed, _) = Run("schemas", "check", "-s", schemaPath, good);
        var (missing, _) = Run("schema", "check", "-s", schemaPath, Path.Combine(folder, "nope.yaml"));

        Assert.Equal(ExitCodes.ContractErrors, failed);
        Assert.Equal([$"{bad}(1,7): error MC1003: 'name' must have at least 2 character(s), not 1"], failedOutput);
        Assert.Equal(ExitCodes.Success, passed);
        Assert.Equal(ExitCodes.IoError, missing);
        Directory.Delete(folder, recursive: true);
    }

    private static (int ExitCode, string[] Lines) Run(params string[] arguments)
    {
        var output = new StringWriter();
        var exitCode = MemoryCli.Run(arguments, output, TextWriter.Null);
        return (exitCode, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static string Write(string folder, string name, string text)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}

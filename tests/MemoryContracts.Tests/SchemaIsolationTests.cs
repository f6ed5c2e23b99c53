using MemoryContracts.Schemas;
using MemoryContracts.Tool;
using MemoryContracts.Validation;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>
/// Issue 16, finding 3: a schema with a problem fails only the fixtures of its own contract (and of contracts whose
/// schemas refer into it); MC9002 points at the keyword's line and column in the schema file.
/// </summary>
public sealed class SchemaIsolationTests
{
    [Fact]
    public void A_broken_v2_schema_leaves_v1_usable_and_points_at_the_keyword()
    {
        var folder = TempFolders.Create("schemas");
        var (schema, line, column) = WriteBrokenGraphV2(folder);

        var loaded = SchemaCatalog.Load(folder);

        var diagnostic = Assert.Single(loaded.Diagnostics);
        Assert.Equal(("MC9002", schema, line, column), (diagnostic.Descriptor.Code, diagnostic.Location.Path, diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.Equal("keyword 'minLenght' is not supported by the contract validator", diagnostic.Message);
        Assert.NotNull(loaded.Catalog!.FindBySchemaVersion("markitect.memory.graph.v1"));
        Assert.Null(loaded.Catalog.FindBySchemaVersion("markitect.memory.graph.v2"));
        Assert.Equal("markitect.memory.graph.v2.schema.json", loaded.Catalog.FindUnusable("markitect.memory.graph.v2"));

        var v1 = new ContractValidator(new ValidationOptions { Catalog = loaded.Catalog }).Validate(Path.Combine(Repository.Root, "examples", "memory", "invalid-memory-graph.yaml"));
        Assert.Equal(["MC2001", "MC2004", "MC2005", "MC2002", "MC2006"], v1.Diagnostics.Select(item => item.Code).Distinct());
        var fixture = Path.Combine(folder, "next.yaml");
        File.WriteAllText(fixture, "schema_version: markitect.memory.graph.v2\nid: next\nnodes: []\n");
        var v2 = Assert.Single(new ContractValidator(new ValidationOptions { Catalog = loaded.Catalog }).Validate(fixture).Diagnostics);
        Assert.Equal(("MC9002", 1, 17), (v2.Code, v2.Location.Line, v2.Location.Column));
        Assert.StartsWith("contract 'markitect.memory.graph.v2' cannot be used: its schema 'markitect.memory.graph.v2.schema.json'", v2.Message, StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void A_broken_schema_takes_out_the_contracts_that_refer_into_it_and_no_others()
    {
        var folder = TempFolders.Create("schemas");
        var selection = File.ReadAllText(Path.Combine(Repository.Root, "schemas", "markitect.memory.selection.v1.schema.json"));
        File.WriteAllText(Path.Combine(folder, "markitect.memory.selection.v1.schema.json"), selection.Replace("\"type\": \"object\"", "\"type\": \"objcet\"", StringComparison.Ordinal));

        var catalog = SchemaCatalog.Load(folder).Catalog!;

        Assert.Equal(["markitect.context.policy.v1", "markitect.memory.graph.v1", "markitect.memory.profile.v1", "markitect.memory.runtime-boundaries.v1"], catalog.Contracts.Select(contract => contract.SchemaVersion));
        Assert.Equal("markitect.memory.selection.v1.schema.json", catalog.FindUnusable("markitect.memory.selection.v1"));
        Assert.Equal("markitect.context.manifest.v1.schema.json", catalog.FindUnusable("markitect.context.manifest.v1"));
        Assert.Equal("markitect.context.package.v1.schema.json", catalog.FindUnusable("markitect.context.package.v1"));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void The_command_line_reports_the_schema_and_still_validates_the_other_contracts()
    {
        var folder = TempFolders.Create("schemas");
        var (schema, line, column) = WriteBrokenGraphV2(folder);
        var output = new StringWriter();

        var exit = MemoryCli.Run(["validate", "--schemas", folder, Path.Combine(Repository.Root, "examples", "memory", "decision-graph.yaml"), Path.Combine(Repository.Root, "examples", "memory", "invalid-memory-graph.yaml")], output, TextWriter.Null);

        Assert.Equal(ExitCodes.ContractErrors, exit);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"{schema}({line},{column}): error MC9002: keyword 'minLenght'", lines[0], StringComparison.Ordinal);
        Assert.Equal(6, lines.Length); // the schema's problem, then the five of invalid-memory-graph.yaml; decision-graph.yaml is valid
        Assert.All(lines.Skip(1), item => Assert.Contains("invalid-memory-graph.yaml(", item, StringComparison.Ordinal));
        Directory.Delete(folder, recursive: true);
    }

    private static (string Path, int Line, int Column) WriteBrokenGraphV2(string folder)
    {
        var v1 = File.ReadAllText(Path.Combine(Repository.Root, "schemas", "markitect.memory.graph.v1.schema.json"));
        var text = v1.Replace("markitect.memory.graph.v1", "markitect.memory.graph.v2", StringComparison.Ordinal);
        var title = text.IndexOf("\"title\":", StringComparison.Ordinal);
        text = text.Insert(title, "\"minLenght\": 1, ");
        var path = Path.Combine(folder, "markitect.memory.graph.v2.schema.json");
        File.WriteAllText(path, text);
        var before = text[..title];
        return (path, before.Count(character => character == '\n') + 1, title - before.LastIndexOf('\n'));
    }
}

using System.Text;
using System.Text.RegularExpressions;
using MemoryContracts.Diagnostics;
using MemoryContracts.Schemas;
using MemoryContracts.Validation;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>The schemas are the single source of truth; a new contract version needs only a schema file.</summary>
public sealed class CatalogTests
{
    [Theory]
    [InlineData("NodeKind", 34, "policy_decision", false)]
    [InlineData("NodeKind", 34, "context_package", true)]
    [InlineData("EdgeKind", 13, "supersedes", true)]
    [InlineData("EventKind", 10, "policy_decision", true)]
    [InlineData("MemoryKind", 4, "reasoning", true)]
    [InlineData("StoreKind", 6, "local-event-log", true)]
    public void Vocabularies_come_from_the_schemas(string name, int count, string term, bool contains)
    {
        var vocabulary = SchemaCatalog.Default.Vocabularies.Single(vocabulary => vocabulary.Name == name);
        Assert.Equal(count, vocabulary.Terms.Count);
        Assert.Equal(contains, vocabulary.Contains(term));
        Assert.All(vocabulary.Terms, term => Assert.False(string.IsNullOrWhiteSpace(term.Description)));
    }

    [Fact]
    public void Every_schema_property_has_a_description()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(Repository.Root, "schemas"), "*.schema.json"))
        {
            var document = Documents.DocumentLoader.Load(file, File.ReadAllBytes(file)).Document!;
            foreach (var (owner, property) in Properties(document.Root))
            {
                Assert.True(property.TryGetProperty("description", out _), $"{Path.GetFileName(file)}: property '{owner}' has no description");
            }
        }
    }

    [Fact]
    public void No_vocabulary_is_kept_by_hand_in_src()
    {
        var nodeKinds = SchemaCatalog.Default.Vocabularies.Single(vocabulary => vocabulary.Name == "NodeKind").Terms.Select(term => term.Value).ToArray();
        var sep = Path.DirectorySeparatorChar;
        foreach (var file in Directory.GetFiles(Path.Combine(Repository.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{sep}obj{sep}", StringComparison.Ordinal) && !file.Contains($"{sep}bin{sep}", StringComparison.Ordinal)))
        {
            var literals = Regex.Matches(File.ReadAllText(file), "\"([a-z_]+)\"").Select(match => match.Groups[1].Value).ToHashSet();
            var kinds = nodeKinds.Where(literals.Contains).ToArray();
            Assert.True(kinds.Length < 5, $"{file} spells out node kinds {string.Join(", ", kinds)}; read them from the schema catalog");
        }
    }

    [Fact]
    public void A_new_graph_version_is_a_schema_file_and_nothing_else()
    {
        var folder = TempFolders.Create("schemas");
        var v1 = File.ReadAllText(Path.Combine(Repository.Root, "schemas", "markitect.memory.graph.v1.schema.json"));
        var v2 = v1.Replace("markitect.memory.graph.v1", "markitect.memory.graph.v2") // the $id, the file name in it, and the const
            .Replace("\"memory\"\n      ],", "\"memory\", \"hypothesis\"\n      ],")
            .Replace("\"A memory that fits no narrower kind.\"", "\"A memory that fits no narrower kind.\", \"A claim under test.\"");
        File.WriteAllText(Path.Combine(folder, "markitect.memory.graph.v2.schema.json"), v2);

        var loaded = SchemaCatalog.Load(folder);
        Assert.Empty(loaded.Diagnostics);
        var catalog = loaded.Catalog!;
        Assert.Equal(35, catalog.FindBySchemaVersion("markitect.memory.graph.v2")!.Vocabularies.Single(v => v.Name == "NodeKind").Terms.Count);
        Assert.Equal(34, catalog.FindBySchemaVersion("markitect.memory.graph.v1")!.Vocabularies.Single(v => v.Name == "NodeKind").Terms.Count);

        var fixture = Path.Combine(folder, "graph.yaml");
        File.WriteAllText(fixture, "schema_version: markitect.memory.graph.v2\nid: g\nnodes:\n  - {id: h, kind: hypothesis, title: Tests catch regressions}\n  - {id: h2, kind: hypothesis, title: Again}\nedges:\n  - {id: e, kind: supports, source: h, target: ghost}\n");
        var v2Result = new ContractValidator(new ValidationOptions { Catalog = catalog }).Validate(fixture);
        Assert.Equal(["MC2005"], v2Result.Diagnostics.Select(diagnostic => diagnostic.Code));

        File.WriteAllText(fixture, File.ReadAllText(fixture).Replace("graph.v2", "graph.v1"));
        var v1Result = new ContractValidator(new ValidationOptions { Catalog = catalog }).Validate(fixture);
        Assert.Equal(["MC2001", "MC2001", "MC2005"], v1Result.Diagnostics.Select(diagnostic => diagnostic.Code));
    }

    [Fact]
    public void Every_diagnostic_code_has_a_page_and_the_index_lists_it()
    {
        var index = File.ReadAllText(Path.Combine(Repository.Root, "docs", "diagnostics", "README.md"));
        foreach (var descriptor in DiagnosticCatalog.All)
        {
            var page = Path.Combine(Repository.Root, "docs", "diagnostics", descriptor.Code + ".md");
            Assert.True(File.Exists(page), $"{descriptor.Code} has no page");
            Assert.StartsWith($"# {descriptor.Code}: {descriptor.Title}", File.ReadAllText(page), StringComparison.Ordinal);
            Assert.Contains($"[{descriptor.Code}]({descriptor.Code}.md)", index, StringComparison.Ordinal);
            Assert.EndsWith("/docs/diagnostics/" + descriptor.Code + ".md", descriptor.HelpLink, StringComparison.Ordinal);
        }

        var pages = Directory.GetFiles(Path.Combine(Repository.Root, "docs", "diagnostics"), "MC*.md").Select(Path.GetFileNameWithoutExtension);
        Assert.All(pages, code => Assert.NotNull(DiagnosticCatalog.Find(code!)));
    }

    [Fact]
    public void Codes_are_unique_and_in_their_ranges()
    {
        var codes = DiagnosticCatalog.All.Select(descriptor => descriptor.Code).ToArray();
        Assert.Equal(codes.Length, codes.Distinct().Count());
        Assert.All(codes, code => Assert.Matches("^MC[123459]\\d{3}$", code));
    }

    private static IEnumerable<(string Owner, Documents.DocumentNode Schema)> Properties(Documents.DocumentNode schema)
    {
        if (!schema.IsMapping)
        {
            yield break;
        }

        foreach (var (key, value) in schema.EnumerateProperties())
        {
            if (key.GetString() == "properties")
            {
                foreach (var (name, property) in value.EnumerateProperties())
                {
                    yield return (name.GetString(), property);
                }
            }

            if (value.IsMapping || value.IsSequence)
            {
                foreach (var child in value.IsMapping ? value.EnumerateProperties().Select(pair => pair.Value) : value.EnumerateItems())
                {
                    foreach (var nested in Properties(child))
                    {
                        yield return nested;
                    }
                }
            }
        }
    }
}

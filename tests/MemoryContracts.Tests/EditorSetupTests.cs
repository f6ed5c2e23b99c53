using System.Globalization;
using System.Text.Json;
using MemoryContracts.Schemas;
using MemoryContracts.Tool;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>
/// The editor set-up the docs give works in a real editor client for every contract. yaml-language-server (npm, as
/// VS Code's YAML extension runs it) is driven over LSP: on the twelve catalog fixtures with their modelines into
/// <c>schemas/</c>, and on fresh fixtures whose modelines point at what <c>dotnet memory schemas export</c> wrote.
/// Property completions with their descriptions, vocabulary values from another contract's schema, and diagnostics.
/// </summary>
public sealed class EditorSetupTests
{
    private static readonly string[] LoadFailures = ["Problems loading reference", "Unable to load schema"];

    [EditorFact]
    public async Task The_documented_modeline_gives_completions_and_diagnostics_in_yaml_language_server()
    {
        var folder = ExportSchemas();
        var fixture = Write(folder, "decisions.yaml", """
            # yaml-language-server: $schema=../.schemas/markitect.memory.graph.v1.schema.json
            schema_version: markitect.memory.graph.v1
            id: decisions
            nodes:
              - id: a
                kind: assumpton
                title: A
              - id: b
                kind: d
                title: B
            """);

        var result = (await Probe((fixture, 8, 11))).Single();

        var completions = Completions(result);
        Assert.Equal(34, completions.Count);
        Assert.Equal("A choice that was made, with its reasons.", completions["decision"]);
        Assert.Contains(Diagnostics(result), diagnostic => diagnostic.Line == 5 && diagnostic.Character == 10 && diagnostic.Message.StartsWith("Value is not accepted. Valid values: \"question\", \"claim\", \"assumption\"", StringComparison.Ordinal));
        Directory.Delete(folder, recursive: true);
    }

    [EditorFact]
    public async Task Every_catalog_fixture_loads_its_schema_and_the_schemas_it_refers_to()
    {
        var fixtures = Directory.GetFiles(Path.Combine(Repository.Root, "examples", "memory"), "*.yaml").OrderBy(file => file, StringComparer.Ordinal).ToArray();
        Assert.Equal(12, fixtures.Length);

        var results = await Probe(fixtures.Select(file => (file, 1, 0)).ToArray());

        foreach (var result in results)
        {
            var file = Path.GetFileName(result.GetProperty("file").GetString()!);
            var diagnostics = Diagnostics(result);
            Assert.DoesNotContain(diagnostics, diagnostic => LoadFailures.Any(failure => diagnostic.Message.Contains(failure, StringComparison.Ordinal)));
            if (!file.StartsWith("invalid-", StringComparison.Ordinal))
            {
                Assert.True(diagnostics.Length == 0, file + ": " + string.Join("; ", diagnostics.Select(diagnostic => diagnostic.ToString())));
            }
        }
    }

    [EditorFact]
    public async Task Every_contract_completes_its_properties_with_their_descriptions_from_the_exported_schemas()
    {
        var folder = ExportSchemas();
        var probes = SchemaCatalog.Default.Contracts.Select(contract => (Write(folder, contract.SchemaVersion + ".yaml", $"""
            # yaml-language-server: $schema=../.schemas/{contract.FileName}
            schema_version: {contract.SchemaVersion}

            """), 2, 0)).ToArray();

        var results = await Probe(probes);

        foreach (var (contract, result) in SchemaCatalog.Default.Contracts.Zip(results))
        {
            using var schema = JsonDocument.Parse(contract.Json);
            var expected = schema.RootElement.GetProperty("properties").EnumerateObject()
                .Where(property => property.Name != "schema_version")
                .ToDictionary(property => property.Name, property => property.Value.GetProperty("description").GetString());
            var completions = Completions(result);
            Assert.StartsWith(contract.Description + "\n", completions[contract.Title!], StringComparison.Ordinal); // the whole-document snippet, named by the schema's title
            completions.Remove(contract.Title!);
            Assert.Equal(expected.OrderBy(pair => pair.Key, StringComparer.Ordinal), completions.OrderBy(pair => pair.Key, StringComparer.Ordinal));
            Assert.DoesNotContain(Diagnostics(result), diagnostic => LoadFailures.Any(failure => diagnostic.Message.Contains(failure, StringComparison.Ordinal)));
        }

        Directory.Delete(folder, recursive: true);
    }

    [EditorFact]
    public async Task Vocabularies_another_contract_declares_complete_and_are_checked_through_its_schema()
    {
        var folder = ExportSchemas();
        var manifest = Write(folder, "workplan.yaml", """
            # yaml-language-server: $schema=../.schemas/markitect.context.manifest.v1.schema.json
            schema_version: markitect.context.manifest.v1
            id: workplan
            sources:
              - graph: decisions.yaml
                query:
                  kinds:
                    - decisoin
                    - <cursor>
            """.Replace("<cursor>", string.Empty, StringComparison.Ordinal));

        var result = (await Probe((manifest, 8, 10))).Single();

        var completions = Completions(result);
        Assert.Equal(34, completions.Count);
        Assert.Equal("A choice that was made, with its reasons.", completions["decision"]);
        Assert.Contains(Diagnostics(result), diagnostic => diagnostic.Line == 7 && diagnostic.Character == 10 && diagnostic.Message.StartsWith("Value is not accepted. Valid values: \"question\", \"claim\", \"assumption\"", StringComparison.Ordinal));
        Directory.Delete(folder, recursive: true);
    }

    private static string ExportSchemas()
    {
        var folder = TempFolders.Create("editor");
        Assert.Equal(ExitCodes.Success, MemoryCli.Run(["schemas", "export", "-o", Path.Combine(folder, ".schemas")], TextWriter.Null, TextWriter.Null));
        Directory.CreateDirectory(Path.Combine(folder, "memory"));
        return folder;
    }

    private static string Write(string folder, string name, string text)
    {
        var path = Path.Combine(folder, "memory", name);
        File.WriteAllText(path, text);
        return path;
    }

    private static async Task<JsonElement[]> Probe(params (string File, int Line, int Character)[] probes)
    {
        var arguments = new List<string> { EditorFactAttribute.Script };
        foreach (var (file, line, character) in probes)
        {
            arguments.AddRange([file, line.ToString(CultureInfo.InvariantCulture), character.ToString(CultureInfo.InvariantCulture)]);
        }

        using var output = JsonDocument.Parse(await ChildProcess.RunAsync("node", [.. arguments]));
        return output.RootElement.EnumerateArray().Select(result => result.Clone()).ToArray();
    }

    private static Dictionary<string, string?> Completions(JsonElement result) =>
        result.GetProperty("completions").EnumerateArray().ToDictionary(item => item.GetProperty("label").GetString()!, item => item.GetProperty("documentation").GetString());

    private static (int Line, int Character, string Message)[] Diagnostics(JsonElement result) =>
        result.GetProperty("diagnostics").EnumerateArray().Select(item => (item.GetProperty("line").GetInt32(), item.GetProperty("character").GetInt32(), item.GetProperty("message").GetString()!)).ToArray();
}

/// <summary>A test that needs Node and yaml-language-server installed in tests/editor (.ci/run does: npm ci there); skipped with the reason otherwise.</summary>
public sealed class EditorFactAttribute : FactAttribute
{
    public static string Script => Path.Combine(Repository.Root, "tests", "editor", "lsp-check.mjs");

    /// <remarks>A skipped test is named with its reason (<see cref="SkipReason"/>).</remarks>
    public EditorFactAttribute([System.Runtime.CompilerServices.CallerFilePath] string file = "", [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var node = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(folder => File.Exists(Path.Combine(folder, "node")));
        if (!node || !Directory.Exists(Path.Combine(Repository.Root, "tests", "editor", "node_modules", "yaml-language-server")))
        {
            SkipReason.Apply(this, "yaml-language-server is not installed: run 'npm ci --prefix tests/editor' (.ci/run does) to drive it over LSP", file, test);
        }
    }
}

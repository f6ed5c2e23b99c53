using System.Text.Json;
using MemoryContracts.Tool;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>
/// Issue 18, finding 7: the editor set-up the docs give works in a real editor client. yaml-language-server (npm, as
/// VS Code's YAML extension runs it) is driven over LSP on a fixture whose modeline points at the schemas that
/// <c>dotnet memory schemas export</c> wrote: vocabulary completions with their descriptions, and a diagnostic on a
/// misspelled kind.
/// </summary>
public sealed class EditorSetupTests
{
    [EditorFact]
    public async Task The_documented_modeline_gives_completions_and_diagnostics_in_yaml_language_server()
    {
        var folder = TempFolders.Create("editor");
        Assert.Equal(ExitCodes.Success, MemoryCli.Run(["schemas", "export", "-o", Path.Combine(folder, ".schemas")], TextWriter.Null, TextWriter.Null));
        Directory.CreateDirectory(Path.Combine(folder, "memory"));
        var fixture = Path.Combine(folder, "memory", "decisions.yaml");
        File.WriteAllText(fixture, """
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

        using var result = JsonDocument.Parse(await ChildProcess.RunAsync("node", [EditorFactAttribute.Script, fixture, "8", "11"]));

        var completions = result.RootElement.GetProperty("completions").EnumerateArray().ToDictionary(item => item.GetProperty("label").GetString()!, item => item.GetProperty("documentation").GetString());
        Assert.Equal(34, completions.Count);
        Assert.Equal("A choice that was made, with its reasons.", completions["decision"]);
        var diagnostics = result.RootElement.GetProperty("diagnostics").EnumerateArray().Select(item => (item.GetProperty("line").GetInt32(), item.GetProperty("character").GetInt32(), item.GetProperty("message").GetString()!)).ToArray();
        Assert.Contains(diagnostics, diagnostic => diagnostic.Item1 == 5 && diagnostic.Item2 == 10 && diagnostic.Item3.StartsWith("Value is not accepted. Valid values: \"question\", \"claim\", \"assumption\"", StringComparison.Ordinal));
        Directory.Delete(folder, recursive: true);
    }
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

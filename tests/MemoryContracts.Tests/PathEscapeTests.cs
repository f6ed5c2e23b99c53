using MemoryContracts.Tool;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>
/// Issue 12, findings 3 and 4: every file a fixture names stays inside the root folder (after links are resolved),
/// the content of a file that is not a contract never reaches a diagnostic, and package files are named through the
/// one-to-one id encoding, so no selection id names a path.
/// </summary>
public sealed class PathEscapeTests : IDisposable
{
    internal static readonly string[] CodesCoveredHere = ["MC4010"];

    private readonly string _top = TempFolders.Create("escape");

    public PathEscapeTests()
    {
        Directory.CreateDirectory(Project);
        Directory.CreateDirectory(Secret);
        File.WriteAllText(Path.Combine(Secret, ".env"), "DB_PASSWORD=hunter2\nAPI_TOKEN=abc\n");
        File.Copy(Repository.Examples("decision-graph.yaml"), Path.Combine(Secret, "graph.yaml"));
        File.Copy(Repository.Examples("context-policy.yaml"), Path.Combine(Secret, "policy.yaml"));
    }

    private string Project => Path.Combine(_top, "project");

    private string Secret => Path.Combine(_top, "secret");

    public void Dispose() => Directory.Delete(_top, recursive: true);

    [Theory]
    [InlineData("../secret/.env")]
    [InlineData("../secret/graph.yaml")]
    [InlineData("../../../../../../../../etc/passwd")]
    public void A_selection_naming_a_file_outside_the_root_is_MC4010_and_the_file_is_not_read(string graph)
    {
        var selection = Selection("leak", graph);
        foreach (var format in new[] { "text", "json", "sarif" })
        {
            var run = Run("validate", selection, "--root", Project, "--format", format);
            Assert.Equal(1, run.Code);
            Assert.Contains("MC4010", run.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", run.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("root:", run.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("keep-compiler-boundary", run.Output, StringComparison.Ordinal);
        }

        var text = Run("validate", selection, "--root", Project);
        Assert.Contains($"leak.yaml(3,8): error MC4010: graph file '{graph}' resolves to '", text.Output, StringComparison.Ordinal);
        Assert.Contains($"', outside the root folder '{Project}'; fixtures may only name files inside it, and this one was not read", text.Output, StringComparison.Ordinal);
        var pack = Run("graph", "pack", selection, "--root", Project);
        Assert.Equal(1, pack.Code);
        Assert.DoesNotContain("keep-compiler-boundary", pack.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_symbolic_link_inside_the_root_that_leads_outside_is_MC4010()
    {
        File.CreateSymbolicLink(Path.Combine(Project, "graph.yaml"), Path.Combine(Secret, "graph.yaml"));
        Directory.CreateSymbolicLink(Path.Combine(Project, "shared"), Secret);
        foreach (var graph in new[] { "graph.yaml", "shared/graph.yaml", "./shared/../shared/graph.yaml" })
        {
            var run = Run("validate", Selection("linked", graph), "--root", Project);
            Assert.Equal(1, run.Code);
            Assert.Contains($"error MC4010: graph file '{graph}' resolves to '{Path.Combine(Secret, "graph.yaml")}'", run.Output, StringComparison.Ordinal);
        }

        // A link that stays inside the root is followed as before.
        File.Copy(Repository.Examples("decision-graph.yaml"), Path.Combine(Project, "real.yaml"));
        File.CreateSymbolicLink(Path.Combine(Project, "alias.yaml"), Path.Combine(Project, "real.yaml"));
        Assert.Equal(0, Run("validate", Selection("inside", "alias.yaml"), "--root", Project).Code);
    }

    [Fact]
    public void A_file_inside_the_root_that_is_no_contract_is_refused_without_showing_its_content()
    {
        File.WriteAllText(Path.Combine(Project, ".env"), "DB_PASSWORD=hunter2\n");
        var run = Run("validate", Selection("env", ".env"), "--root", Project);
        Assert.Equal(1, run.Code);
        Assert.DoesNotContain("hunter2", run.Output, StringComparison.Ordinal);
        Assert.Contains("env.yaml(3,8): error MC4005: graph file '.env' has 1 error(s)", run.Output, StringComparison.Ordinal);
        Assert.Contains(".env(1,1): error MC1002: this file is not a contract fixture (a fixture names it); its content is not shown", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_whose_policy_lies_outside_the_root_is_MC4010()
    {
        File.Copy(Repository.Examples("decision-graph.yaml"), Path.Combine(Project, "decision-graph.yaml"));
        var manifest = Path.Combine(Project, "m.yaml");
        File.WriteAllText(manifest, "schema_version: markitect.context.manifest.v1\nid: m\nsources:\n  - graph: decision-graph.yaml\n    query: {kinds: [decision]}\npolicy: ../secret/.env\n");
        var run = Run("validate", manifest, "--root", Project);
        Assert.Equal(1, run.Code);
        Assert.Contains("m.yaml(6,9): error MC4010: policy file '../secret/.env' resolves to", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../escaped", "~2e~2e~2f~2e~2e~2fescaped.context.json")]
    [InlineData("/tmp/absolute-id", "~2ftmp~2fabsolute-id.context.json")]
    [InlineData("a/b", "a~2fb.context.json")]
    [InlineData("CON", "~43~4f~4e.context.json")]
    [InlineData("con", "co~6e.context.json")]
    [InlineData("x:y", "x~3ay.context.json")]
    public void Package_files_are_named_by_the_id_encoding_and_stay_in_the_output_folder(string id, string fileName)
    {
        File.Copy(Repository.Examples("decision-graph.yaml"), Path.Combine(Project, "decision-graph.yaml"));
        var selection = Selection("named", "decision-graph.yaml", id);
        var output = Path.Combine(_top, "out", "deep");
        var run = Run("compile", selection, "--root", Project, "--output", output);
        Assert.Equal(0, run.Code);
        Assert.Equal([fileName], Directory.GetFiles(output).Select(Path.GetFileName));
        Assert.Empty(Directory.GetDirectories(output));
        Assert.Empty(Directory.GetFiles(Path.Combine(_top, "out")));
        Assert.False(File.Exists("/tmp/absolute-id.context.json"));
    }

    private string Selection(string name, string graph, string? id = null)
    {
        var path = Path.Combine(Project, name + ".yaml");
        File.WriteAllText(path, $"schema_version: markitect.memory.selection.v1\nid: \"{id ?? name}\"\ngraph: {graph}\nselect:\n  nodes: [keep-compiler-boundary]\n");
        return path;
    }

    private static (int Code, string Output) Run(params string[] args)
    {
        var writer = new StringWriter { NewLine = "\n" };
        var code = MemoryCli.Run(args, writer, writer);
        return (code, writer.ToString());
    }
}

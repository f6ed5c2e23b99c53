using System.Diagnostics;
using System.Text.RegularExpressions;
using MemoryContracts.Output;
using MemoryContracts.Validation;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>Pictures of graphs and packages: approved output, valid Mermaid, and DOT that Graphviz itself parses.</summary>
public sealed class RenderTests
{
    private static readonly Regex MermaidLine = new("^(flowchart LR|  classDef k_[a-z_]+ fill:#[0-9a-f]{6},stroke:#555555,color:#111111|  n\\d+\\[\"[^\"]*\"\\]:::k_[a-z_]+|  n\\d+ -->\\|\"[a-z_]+\"\\| n\\d+)$");

    public static TheoryData<string, GraphPictureFormat> Pictures() => new()
    {
        { "decision-graph.yaml", GraphPictureFormat.Mermaid },
        { "decision-graph.yaml", GraphPictureFormat.Dot },
        { "knowledge-neighborhood.yaml", GraphPictureFormat.Mermaid },
        { "knowledge-neighborhood.yaml", GraphPictureFormat.Dot },
    };

    [Theory]
    [MemberData(nameof(Pictures))]
    public void Rendering_matches_the_approved_picture(string graph, GraphPictureFormat format)
    {
        var picture = Render(graph, format);
        Approvals.Verify(picture, Path.Combine(Repository.TestsRoot, "Approvals", Path.GetFileNameWithoutExtension(graph) + (format == GraphPictureFormat.Mermaid ? ".verified.mmd" : ".verified.dot")));
    }

    [Fact]
    public void Mermaid_output_uses_only_valid_statements_and_escapes_what_would_break_a_label()
    {
        foreach (var graph in new[] { "decision-graph.yaml", "knowledge-neighborhood.yaml", "conversation-path.yaml" })
        {
            Assert.All(Render(graph, GraphPictureFormat.Mermaid).TrimEnd('\n').Split('\n'), line => Assert.Matches(MermaidLine, line));
        }

        var tricky = new Model.MemoryGraph("tricky", "g", [new Model.GraphNode("a\"b", "claim", "Say \"hi\" <b>#1</b>"), new Model.GraphNode("c", "claim", "line\nbreak")], [new Model.GraphEdge("e", "supports", "a\"b", "c")], []);
        var mermaid = GraphRenderer.Render(tricky, GraphPictureFormat.Mermaid);
        Assert.Contains("n0[\"Say #quot;hi#quot; #lt;b#gt;#35;1#lt;/b#gt;<br/><i>claim</i>\"]:::k_claim", mermaid, StringComparison.Ordinal);
        Assert.Contains("n1[\"line break<br/><i>claim</i>\"]:::k_claim", mermaid, StringComparison.Ordinal);
        Assert.Contains("\"a\\\"b\" [label=\"Say \\\"hi\\\" <b>#1</b>\\n(claim)\"", GraphRenderer.Render(tricky, GraphPictureFormat.Dot), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_node_kind_has_its_own_colour_from_the_vocabulary()
    {
        var colours = NodeKinds.WireNames.Select(GraphRenderer.ColorOf).ToArray();
        Assert.Equal(colours.Length, colours.Distinct().Count());
        Assert.All(colours, colour => Assert.Matches("^#[0-9a-f]{6}$", colour));
    }

    [GraphvizFact]
    public void Graphviz_parses_the_dot_output()
    {
        foreach (var graph in new[] { "decision-graph.yaml", "knowledge-neighborhood.yaml", "conversation-path.yaml" })
        {
            var start = new ProcessStartInfo("dot", "-Tsvg") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            process.StandardInput.Write(Render(graph, GraphPictureFormat.Dot));
            process.StandardInput.Close();
            var svg = process.StandardOutput.ReadToEnd();
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0 && errors.Length == 0, $"dot rejected the output of {graph}: {errors}");
            Assert.Contains("<svg", svg, StringComparison.Ordinal);
        }
    }

    private static string Render(string graph, GraphPictureFormat format) =>
        GraphRenderer.Render(new ContractValidator().Validate(Repository.Examples(graph)).Graph!, format);
}

/// <summary>A fact that needs Graphviz's <c>dot</c> (the Debian package <c>graphviz</c>; .ci/run installs it); skipped, with the reason, without it.</summary>
public sealed class GraphvizFactAttribute : FactAttribute
{
    /// <remarks>A skipped test is named with its reason, so the reason shows at the default verbosity of dotnet test.</remarks>
    public GraphvizFactAttribute([System.Runtime.CompilerServices.CallerFilePath] string file = "", [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(folder => File.Exists(Path.Combine(folder, "dot")));
        if (!found)
        {
            Skip = "Graphviz 'dot' is not on PATH: install the Debian package graphviz (.ci/run does) to check the DOT output with Graphviz itself";
            DisplayName = $"{Path.GetFileNameWithoutExtension(file)}.{test} (skipped: {Skip})";
        }
    }
}

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

    /// <summary>Issue 16, finding 9: any two kinds' colours differ by at least ΔE*ab 10 (the closest pairs were about 3).</summary>
    [Fact]
    public void Any_two_node_kinds_have_colours_people_tell_apart()
    {
        var colours = NodeKinds.WireNames.Select(kind => (Kind: kind, Lab: Lab(GraphRenderer.ColorOf(kind)))).ToArray();
        var closest = colours.SelectMany((first, index) => colours.Skip(index + 1).Select(second => (first.Kind, second.Kind, Distance: Math.Sqrt(
                Math.Pow(first.Lab.L - second.Lab.L, 2) + Math.Pow(first.Lab.A - second.Lab.A, 2) + Math.Pow(first.Lab.B - second.Lab.B, 2)))))
            .MinBy(pair => pair.Distance);
        Assert.True(closest.Distance >= 10, $"'{closest.Item1}' and '{closest.Item2}' are only ΔE {closest.Distance:F1} apart");
        Assert.All(colours, colour => Assert.InRange(colour.Lab.L, 55, 95));
    }

    [Fact]
    public void The_picture_in_the_docs_is_what_render_draws()
    {
        var page = File.ReadAllText(Path.Combine(Repository.Root, "docs", "context-packages.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var shown = Regex.Match(page, "```mermaid\n(?<picture>.*?)```", RegexOptions.Singleline).Groups["picture"].Value;
        Assert.Equal(Render("decision-graph.yaml", GraphPictureFormat.Mermaid), shown);
    }

    /// <summary>sRGB <c>#rrggbb</c> to CIELAB (D65).</summary>
    private static (double L, double A, double B) Lab(string hex)
    {
        static double Linear(int channel)
        {
            var c = channel / 255.0;
            return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        static double F(double t) => t > 0.008856 ? Math.Cbrt(t) : (7.787 * t) + (16.0 / 116);
        var (r, g, b) = (Linear(Convert.ToInt32(hex[1..3], 16)), Linear(Convert.ToInt32(hex[3..5], 16)), Linear(Convert.ToInt32(hex[5..7], 16)));
        var x = ((0.4124 * r) + (0.3576 * g) + (0.1805 * b)) / 0.95047;
        var y = (0.2126 * r) + (0.7152 * g) + (0.0722 * b);
        var z = ((0.0193 * r) + (0.1192 * g) + (0.9505 * b)) / 1.08883;
        return ((116 * F(y)) - 16, 500 * (F(x) - F(y)), 200 * (F(y) - F(z)));
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
    /// <remarks>A skipped test is named with its reason (<see cref="SkipReason"/>).</remarks>
    public GraphvizFactAttribute([System.Runtime.CompilerServices.CallerFilePath] string file = "", [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(folder => File.Exists(Path.Combine(folder, "dot")));
        if (!found)
        {
            SkipReason.Apply(this, "Graphviz 'dot' is not on PATH: install the Debian package graphviz (.ci/run does) to check the DOT output with Graphviz itself", file, test);
        }
    }
}

using System.Globalization;
using System.Text;
using MemoryContracts.Model;
using MemoryContracts.Packing;

namespace MemoryContracts.Output;

/// <summary>The picture formats of a graph.</summary>
public enum GraphPictureFormat
{
    /// <summary>A Mermaid flowchart (renders in GitHub, GitLab and most Markdown viewers).</summary>
    Mermaid,

    /// <summary>A Graphviz DOT digraph.</summary>
    Dot,
}

/// <summary>
/// Draws a graph or a package: nodes labelled with title and kind and coloured by kind (the colour comes from the
/// kind's place in the schema's vocabulary, so every kind has its own and no list of colours is kept), edges
/// labelled with their kind. Output is deterministic.
/// </summary>
public static class GraphRenderer
{
    /// <summary>Draws a graph fixture.</summary>
    public static string Render(MemoryGraph graph, GraphPictureFormat format) =>
        Render(graph.Id, graph.Nodes.Select(node => (node.Id, node.Kind, node.Title)), graph.Edges.Select(edge => (edge.Kind, edge.Source, edge.Target)), format);

    /// <summary>Draws a context package: its node items and its edges between them.</summary>
    public static string Render(ContextPackage package, GraphPictureFormat format)
    {
        var nodes = package.Items.Where(item => item.ItemType == "node").ToArray();
        var ids = new HashSet<string>(nodes.Select(item => item.Id), StringComparer.Ordinal);
        return Render(package.Id, nodes.Select(item => (item.Id, item.Kind, item.Title)), package.Edges.Where(edge => ids.Contains(edge.Source) && ids.Contains(edge.Target)).Select(edge => (edge.Kind, edge.Source, edge.Target)), format);
    }

    /// <summary>The fill colour of a node kind, as <c>#rrggbb</c>.</summary>
    public static string ColorOf(string kind)
    {
        var index = NodeKinds.WireNames.ToList().IndexOf(kind);
        var hue = index < 0 ? 0 : index * 360.0 / NodeKinds.WireNames.Count;
        return Hsl(hue, index < 0 ? 0 : 0.55, 0.82);
    }

    private static string Render(string name, IEnumerable<(string Id, string Kind, string Title)> nodes, IEnumerable<(string Kind, string Source, string Target)> edges, GraphPictureFormat format)
    {
        var nodeList = nodes.ToList();
        var edgeList = edges.ToList();
        return format == GraphPictureFormat.Mermaid ? Mermaid(nodeList, edgeList) : Dot(name, nodeList, edgeList);
    }

    private static string Mermaid(List<(string Id, string Kind, string Title)> nodes, List<(string Kind, string Source, string Target)> edges)
    {
        var text = new StringBuilder("flowchart LR\n");
        var handles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var kind in nodes.Select(node => node.Kind).Distinct(StringComparer.Ordinal).OrderBy(kind => kind, StringComparer.Ordinal))
        {
            text.Append($"  classDef {ClassOf(kind)} fill:{ColorOf(kind)},stroke:#555555,color:#111111\n");
        }

        foreach (var (id, kind, title) in nodes)
        {
            var handle = "n" + handles.Count.ToString(CultureInfo.InvariantCulture);
            handles[id] = handle;
            text.Append($"  {handle}[\"{MermaidText(title)}<br/><i>{MermaidText(kind)}</i>\"]:::{ClassOf(kind)}\n");
        }

        foreach (var (kind, source, target) in edges.Where(edge => handles.ContainsKey(edge.Source) && handles.ContainsKey(edge.Target)))
        {
            text.Append($"  {handles[source]} -->|\"{MermaidText(kind)}\"| {handles[target]}\n");
        }

        return text.ToString();
    }

    private static string Dot(string name, List<(string Id, string Kind, string Title)> nodes, List<(string Kind, string Source, string Target)> edges)
    {
        var text = new StringBuilder();
        text.Append($"digraph {DotText(name)} {{\n");
        text.Append("  rankdir=LR;\n");
        text.Append("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n");
        text.Append("  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];\n");
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, kind, title) in nodes)
        {
            known.Add(id);
            text.Append($"  {DotText(id)} [label={DotText(title + "\n(" + kind + ")")}, fillcolor=\"{ColorOf(kind)}\"];\n");
        }

        foreach (var (kind, source, target) in edges.Where(edge => known.Contains(edge.Source) && known.Contains(edge.Target)))
        {
            text.Append($"  {DotText(source)} -> {DotText(target)} [label={DotText(kind)}];\n");
        }

        text.Append("}\n");
        return text.ToString();
    }

    private static string ClassOf(string kind) => "k_" + new string(kind.Select(character => char.IsLetterOrDigit(character) ? character : '_').ToArray());

    /// <summary>Text inside a quoted Mermaid label: quotes and angle brackets as entity codes, no line breaks.</summary>
    private static string MermaidText(string text) =>
        text.Replace("#", "#35;").Replace("\"", "#quot;").Replace("<", "#lt;").Replace(">", "#gt;").Replace("\r", " ").Replace("\n", " ");

    /// <summary>A DOT quoted string: backslashes and quotes escaped, line breaks as <c>\n</c>.</summary>
    private static string DotText(string text) =>
        "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\r", string.Empty).Replace("\n", "\\n") + "\"";

    private static string Hsl(double hue, double saturation, double lightness)
    {
        var chroma = (1 - Math.Abs((2 * lightness) - 1)) * saturation;
        var x = chroma * (1 - Math.Abs((hue / 60 % 2) - 1));
        var m = lightness - (chroma / 2);
        var (r, g, b) = hue switch
        {
            < 60 => (chroma, x, 0.0),
            < 120 => (x, chroma, 0.0),
            < 180 => (0.0, chroma, x),
            < 240 => (0.0, x, chroma),
            < 300 => (x, 0.0, chroma),
            _ => (chroma, 0.0, x),
        };
        static int Channel(double value) => (int)Math.Round(value * 255);
        return string.Format(CultureInfo.InvariantCulture, "#{0:x2}{1:x2}{2:x2}", Channel(r + m), Channel(g + m), Channel(b + m));
    }
}

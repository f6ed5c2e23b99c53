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

    /// <summary>
    /// The fill colour of a node kind, as <c>#rrggbb</c>. Kinds are spread over four lightness bands of CIELAB (L* 58,
    /// 69, 80, 91) and around the hue circle within each band (chroma 34), in vocabulary order, so any two kinds'
    /// colours differ by at least 10 in ΔE*ab (a difference people tell apart at a glance); an unknown kind is grey.
    /// </summary>
    public static string ColorOf(string kind)
    {
        const int Bands = 4;
        var index = NodeKinds.WireNames.ToList().IndexOf(kind);
        if (index < 0)
        {
            return FromLab(80, 0, 0);
        }

        var perBand = (NodeKinds.WireNames.Count + Bands - 1) / Bands;
        var band = index % Bands;
        var angle = 2 * Math.PI * (((double)(index / Bands) / perBand) + ((double)band / (perBand * Bands)));
        return FromLab(58 + (11 * band), 34 * Math.Cos(angle), 34 * Math.Sin(angle));
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

    /// <summary>A CIELAB colour (D65) as sRGB <c>#rrggbb</c>, channels clamped to the gamut.</summary>
    private static string FromLab(double lightness, double a, double b)
    {
        static double Inverse(double t) => t * t * t > 0.008856 ? t * t * t : (t - (16.0 / 116)) / 7.787;
        static int Channel(double linear)
        {
            var clamped = Math.Min(1, Math.Max(0, linear));
            var encoded = clamped <= 0.0031308 ? 12.92 * clamped : (1.055 * Math.Pow(clamped, 1 / 2.4)) - 0.055;
            return (int)Math.Round(encoded * 255);
        }

        var fy = (lightness + 16) / 116;
        var x = 0.95047 * Inverse(fy + (a / 500));
        var y = Inverse(fy);
        var z = 1.08883 * Inverse(fy - (b / 200));
        return string.Format(
            CultureInfo.InvariantCulture,
            "#{0:x2}{1:x2}{2:x2}",
            Channel((3.2406 * x) - (1.5372 * y) - (0.4986 * z)),
            Channel((-0.9689 * x) + (1.8758 * y) + (0.0415 * z)),
            Channel((0.0557 * x) - (0.2040 * y) + (1.0570 * z)));
    }
}

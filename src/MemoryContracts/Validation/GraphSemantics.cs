using System.Runtime.CompilerServices;
using MemoryContracts.Diagnostics;
using MemoryContracts.Documents;

namespace MemoryContracts.Validation;

/// <summary>
/// Graph checks: ids unique across nodes, edges and events (MC2004); edge endpoints (MC2005), event references
/// (MC2006) and provenance (MC2008) name existing nodes; spans are ordered (MC2009); self-loops (MC2007) and
/// repeated edges (MC2010) are flagged. One pass over each element's properties, and references are looked up
/// without decoding them into strings.
/// </summary>
internal sealed class GraphSemantics : IContractSemantics
{
    public string Family => "graph";

    [MethodImpl(HotPath.Options)]
    public void Check(FixtureContext context)
    {
        var root = context.Root;
        root.TryGetProperty(GraphFields.Nodes, out var nodes);
        root.TryGetProperty(GraphFields.Edges, out var edges);
        root.TryGetProperty(GraphFields.Events, out var events);
        var ids = new IdIndex(nodes.Count + edges.Count + events.Count);
        var derivations = new List<(DocumentNode Owner, DocumentNode Provenance)>();

        foreach (var node in nodes.EnumerateItems())
        {
            var element = ElementFields.Read(node);
            Register(context, element, ElementKind.Node, ids);
            CheckSpan(context, element);
            if (element.Provenance.Exists)
            {
                derivations.Add((element.Id, element.Provenance));
            }
        }

        // Every node is declared by now, so each edge's endpoints are checked as it is read.
        var edgeKinds = new List<string>();
        var edgeKeys = new Dictionary<long, DocumentNode>(edges.Count);
        foreach (var edge in edges.EnumerateItems())
        {
            var element = ElementFields.Read(edge);
            Register(context, element, ElementKind.Edge, ids);
            CheckEdge(context, element, ids, edgeKinds, edgeKeys);
            if (element.Provenance.Exists)
            {
                derivations.Add((element.Id, element.Provenance));
            }
        }

        foreach (var graphEvent in events.EnumerateItems())
        {
            var element = ElementFields.Read(graphEvent);
            Register(context, element, ElementKind.Event, ids);
            CheckReferences(context, element.Nodes, ElementKind.Node, element, ids);
            CheckReferences(context, element.Edges, ElementKind.Edge, element, ids);
        }

        foreach (var (owner, provenance) in derivations)
        {
            provenance.TryGetProperty(ProvenanceFields.DerivedFrom, out var origins);
            foreach (var origin in origins.EnumerateItems())
            {
                if (origin.IsString && ids.Find(origin, ElementKind.Node) < 0)
                {
                    context.Report(DiagnosticCatalog.DerivedFromMissing, origin, IdText(owner), origin.GetString());
                }
            }
        }
    }

    private static void Register(FixtureContext context, ElementFields element, ElementKind kind, IdIndex ids)
    {
        if (element.Id.IsString && !ids.TryAdd(element.Id, kind, out var first))
        {
            context.Report(DiagnosticCatalog.DuplicateId, element.Id, element.Id.GetString(), Name(first.Element), first.Id.Location.Line);
        }
    }

    private static void CheckEdge(FixtureContext context, ElementFields edge, IdIndex ids, List<string> edgeKinds, Dictionary<long, DocumentNode> edgeKeys)
    {
        var source = Endpoint(context, edge, edge.Source, "starts at", ids);
        var target = Endpoint(context, edge, edge.Target, "targets", ids);
        if (source < 0 || target < 0 || !edge.Kind.IsString)
        {
            return;
        }

        if (source == target)
        {
            context.Report(DiagnosticCatalog.SelfLoopEdge, edge.Target, IdText(edge.Id), edge.Kind.GetString(), edge.Source.GetString());
        }

        // Ordinals stay below 2^28: a document with that many ids would not fit in memory first.
        var key = ((long)KindOrdinal(edge.Kind, edgeKinds) << 56) | ((long)source << 28) | (long)target;
        if (edgeKeys.TryGetValue(key, out var first))
        {
            context.Report(DiagnosticCatalog.DuplicateEdge, edge.Element, IdText(edge.Id), IdText(first), edge.Kind.GetString(), edge.Source.GetString(), edge.Target.GetString());
        }
        else
        {
            edgeKeys.Add(key, edge.Id);
        }
    }

    /// <summary>Returns the ordinal of the node an endpoint names, reporting MC2005 when it names none; -1 when unusable.</summary>
    private static int Endpoint(FixtureContext context, ElementFields edge, DocumentNode endpoint, string verb, IdIndex ids)
    {
        if (!endpoint.IsString)
        {
            return -1;
        }

        var ordinal = ids.Find(endpoint, ElementKind.Node);
        if (ordinal < 0)
        {
            context.Report(DiagnosticCatalog.EdgeEndpointMissing, endpoint, IdText(edge.Id), verb, endpoint.GetString());
        }

        return ordinal;
    }

    /// <summary>A small number per distinct edge kind, for the repeated-edge key.</summary>
    private static int KindOrdinal(DocumentNode kind, List<string> kinds)
    {
        Span<char> buffer = stackalloc char[64];
        var chars = kind.GetChars(buffer);
        for (var i = 0; i < kinds.Count; i++)
        {
            if (chars.SequenceEqual(kinds[i].AsSpan()))
            {
                return i;
            }
        }

        kinds.Add(chars.ToString());
        return kinds.Count - 1;
    }

    private static void CheckReferences(FixtureContext context, DocumentNode list, ElementKind element, ElementFields graphEvent, IdIndex ids)
    {
        foreach (var reference in list.EnumerateItems())
        {
            if (reference.IsString && ids.Find(reference, element) < 0)
            {
                context.Report(DiagnosticCatalog.EventReferenceMissing, reference, IdText(graphEvent.Id), Name(element), reference.GetString());
            }
        }
    }

    private static void CheckSpan(FixtureContext context, ElementFields node)
    {
        if (node.Source.TryGetProperty(SourceSpanFields.StartLine, out var startNode) && startNode.TryGetInt64(out var start) &&
            node.Source.TryGetProperty(SourceSpanFields.EndLine, out var endNode) && endNode.TryGetInt64(out var end) && end < start)
        {
            context.Report(DiagnosticCatalog.InvertedSourceSpan, endNode, IdText(node.Id), end, start);
        }
    }

    private static string IdText(DocumentNode id) => id.IsString ? id.GetString() : "?";

    private static string Name(ElementKind element) => element switch
    {
        ElementKind.Node => "node",
        ElementKind.Edge => "edge",
        _ => "event",
    };

    /// <summary>The properties of a node, edge or event that the checks read, found in one pass (the names node, edge and event share are taken from the node).</summary>
    private readonly record struct ElementFields(DocumentNode Element, DocumentNode Id, DocumentNode Kind, DocumentNode Source, DocumentNode Target, DocumentNode Provenance, DocumentNode Nodes, DocumentNode Edges)
    {
        [MethodImpl(HotPath.Options)]
        public static ElementFields Read(DocumentNode element)
        {
            DocumentNode id = default, kind = default, source = default, target = default, provenance = default, nodes = default, edges = default;
            foreach (var (key, value) in element.EnumerateProperties())
            {
                switch (key.GetString())
                {
                    case NodeFields.Id: id = value; break;
                    case NodeFields.Kind: kind = value; break;
                    case NodeFields.Source: source = value; break;
                    case EdgeFields.Target: target = value; break;
                    case NodeFields.Provenance: provenance = value; break;
                    case EventFields.Nodes: nodes = value; break;
                    case EventFields.Edges: edges = value; break;
                }
            }

            return new ElementFields(element, id, kind, source, target, provenance, nodes, edges);
        }
    }
}

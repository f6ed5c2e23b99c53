using MemoryContracts.Diagnostics;
using MemoryContracts.Documents;

namespace MemoryContracts.Validation;

/// <summary>
/// Graph checks: ids unique across nodes, edges and events (MC2004); edge endpoints (MC2005), event references
/// (MC2006) and provenance (MC2008) name existing nodes; spans are ordered (MC2009); self-loops (MC2007) and
/// repeated edges (MC2010) are flagged.
/// </summary>
internal sealed class GraphSemantics : IContractSemantics
{
    public string Family => "graph";

    public void Check(FixtureContext context)
    {
        var root = context.Root;
        var ids = new Dictionary<string, (DocumentNode Id, string Element)>(StringComparer.Ordinal);
        var nodeIds = CollectIds(context, root, "nodes", "node", ids);
        var edgeIds = CollectIds(context, root, "edges", "edge", ids);
        CollectIds(context, root, "events", "event", ids);

        foreach (var node in Items(root, "nodes"))
        {
            CheckProvenance(context, node, nodeIds);
            CheckSpan(context, node);
        }

        var edgeKeys = new Dictionary<(string, string, string), string>();
        foreach (var edge in Items(root, "edges"))
        {
            CheckEdge(context, edge, nodeIds, edgeKeys);
            CheckProvenance(context, edge, nodeIds);
        }

        foreach (var graphEvent in Items(root, "events"))
        {
            var eventId = graphEvent.GetOptionalString("id") ?? "?";
            CheckReferences(context, graphEvent, "nodes", "node", eventId, nodeIds);
            CheckReferences(context, graphEvent, "edges", "edge", eventId, edgeIds);
        }
    }

    private static HashSet<string> CollectIds(FixtureContext context, DocumentNode root, string list, string element, Dictionary<string, (DocumentNode Id, string Element)> ids)
    {
        var collected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in Items(root, list))
        {
            if (!item.TryGetProperty("id", out var idNode) || !idNode.IsString)
            {
                continue;
            }

            var id = idNode.GetString();
            if (ids.TryGetValue(id, out var first))
            {
                context.Report(DiagnosticCatalog.DuplicateId, idNode, id, first.Element, first.Id.Location.Line);
            }
            else
            {
                ids.Add(id, (idNode, element));
                collected.Add(id);
            }
        }

        return collected;
    }

    private static void CheckEdge(FixtureContext context, DocumentNode edge, HashSet<string> nodeIds, Dictionary<(string, string, string), string> edgeKeys)
    {
        var edgeId = edge.GetOptionalString("id") ?? "?";
        var sourceOk = CheckEndpoint(context, edge, "source", "starts at", edgeId, nodeIds, out var source);
        var targetOk = CheckEndpoint(context, edge, "target", "targets", edgeId, nodeIds, out var target);
        if (!sourceOk || !targetOk || edge.GetOptionalString("kind") is not { } kind)
        {
            return;
        }

        if (source == target)
        {
            context.Report(DiagnosticCatalog.SelfLoopEdge, edge.TryGetProperty("target", out var targetNode) ? targetNode : edge, edgeId, kind, source);
        }

        if (edgeKeys.TryGetValue((kind, source, target), out var firstId))
        {
            context.Report(DiagnosticCatalog.DuplicateEdge, edge, edgeId, firstId, kind, source, target);
        }
        else
        {
            edgeKeys.Add((kind, source, target), edgeId);
        }
    }

    private static bool CheckEndpoint(FixtureContext context, DocumentNode edge, string property, string verb, string edgeId, HashSet<string> nodeIds, out string endpoint)
    {
        endpoint = string.Empty;
        if (!edge.TryGetProperty(property, out var value) || !value.IsString)
        {
            return false;
        }

        endpoint = value.GetString();
        if (nodeIds.Contains(endpoint))
        {
            return true;
        }

        context.Report(DiagnosticCatalog.EdgeEndpointMissing, value, edgeId, verb, endpoint);
        return false;
    }

    private static void CheckReferences(FixtureContext context, DocumentNode graphEvent, string list, string element, string eventId, HashSet<string> known)
    {
        foreach (var reference in Items(graphEvent, list))
        {
            if (reference.IsString && !known.Contains(reference.GetString()))
            {
                context.Report(DiagnosticCatalog.EventReferenceMissing, reference, eventId, element, reference.GetString());
            }
        }
    }

    private static void CheckProvenance(FixtureContext context, DocumentNode owner, HashSet<string> nodeIds)
    {
        if (!owner.TryGetProperty("provenance", out var provenance))
        {
            return;
        }

        var ownerId = owner.GetOptionalString("id") ?? "?";
        foreach (var origin in Items(provenance, "derived_from"))
        {
            if (origin.IsString && !nodeIds.Contains(origin.GetString()))
            {
                context.Report(DiagnosticCatalog.DerivedFromMissing, origin, ownerId, origin.GetString());
            }
        }
    }

    private static void CheckSpan(FixtureContext context, DocumentNode node)
    {
        if (node.TryGetProperty("source", out var source) &&
            source.TryGetProperty("start_line", out var startNode) && startNode.TryGetInt64(out var start) &&
            source.TryGetProperty("end_line", out var endNode) && endNode.TryGetInt64(out var end) && end < start)
        {
            context.Report(DiagnosticCatalog.InvertedSourceSpan, endNode, node.GetOptionalString("id") ?? "?", end, start);
        }
    }

    internal static IEnumerable<DocumentNode> Items(DocumentNode owner, string name) =>
        owner.TryGetProperty(name, out var list) && list.IsSequence ? list.EnumerateItems() : Enumerable.Empty<DocumentNode>();
}

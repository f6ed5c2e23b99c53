using System.Globalization;
using MemoryContracts.Diagnostics;
using MemoryContracts.Model;

namespace MemoryContracts.Runtime;

/// <summary>What an appended record must satisfy: kinds from the schemas' vocabularies, an RFC 3339 time, edge endpoints that exist.</summary>
internal static class RecordCheck
{
    public static void Check(GraphEvent graphEvent, GraphChanges changes, Func<string> location)
    {
        if (EventKinds.TryParse(graphEvent.Kind, out _) && IsTimestamp(graphEvent.At)
            && changes.PutNodes.All(node => NodeKinds.TryParse(node.Kind, out _)) && changes.PutEdges.All(edge => EdgeKinds.TryParse(edge.Kind, out _)))
        {
            return;
        }

        var diagnostics = new List<ContractDiagnostic>();
        var at = SourceLocation.File(location());
        if (!EventKinds.TryParse(graphEvent.Kind, out _))
        {
            diagnostics.Add(DiagnosticCatalog.UnknownEventKind.Create(at, $"event '{graphEvent.Id}' has kind '{graphEvent.Kind}', which is not an event kind of {SchemaVersions.GraphV1}"));
        }

        if (!IsTimestamp(graphEvent.At))
        {
            diagnostics.Add(DiagnosticCatalog.SchemaViolation.Create(at, $"event '{graphEvent.Id}' has 'at' = '{graphEvent.At}', which is not an RFC 3339 date and time"));
        }

        foreach (var node in changes.PutNodes.Where(node => !NodeKinds.TryParse(node.Kind, out _)))
        {
            diagnostics.Add(DiagnosticCatalog.UnknownNodeKind.Create(at, $"node '{node.Id}' has kind '{node.Kind}', which is not a node kind of {SchemaVersions.GraphV1}"));
        }

        foreach (var edge in changes.PutEdges.Where(edge => !EdgeKinds.TryParse(edge.Kind, out _)))
        {
            diagnostics.Add(DiagnosticCatalog.UnknownEdgeKind.Create(at, $"edge '{edge.Id}' has kind '{edge.Kind}', which is not an edge kind of {SchemaVersions.GraphV1}"));
        }

        if (diagnostics.Count > 0)
        {
            throw new MemoryStoreException(diagnostics);
        }
    }

    /// <summary>Every put edge must end at a node the state holds or the record puts, and not at one it removes.</summary>
    public static void CheckEndpoints(GraphState state, GraphChanges changes, Func<string> location)
    {
        if (changes.PutEdges.Count == 0)
        {
            return;
        }

        var put = changes.PutNodes.Select(node => node.Id).ToHashSet(StringComparer.Ordinal);
        var removed = changes.RemoveNodes.ToHashSet(StringComparer.Ordinal);
        bool Holds(string id) => put.Contains(id) || (state.FindNode(id) is not null && !removed.Contains(id));
        var diagnostics = changes.PutEdges
            .SelectMany(edge => new[] { ("source", edge.Source), ("target", edge.Target) }.Where(end => !Holds(end.Item2)).Select(end => (Edge: edge.Id, End: end.Item1, Node: end.Item2)))
            .Select(missing => DiagnosticCatalog.EdgeEndpointMissing.Create(SourceLocation.File(location()), missing.Edge, missing.End == "source" ? "starts at" : "ends at", missing.Node))
            .ToArray();
        if (diagnostics.Length > 0)
        {
            throw new MemoryStoreException(diagnostics);
        }
    }

    public static bool IsTimestamp(string value) =>
        value.Length >= 20 && value[10] is 'T' or 't' && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _);
}

using System.Globalization;
using MemoryContracts.Diagnostics;
using MemoryContracts.Documents;
using MemoryContracts.Model;
using MemoryContracts.Model.Wire;
using MemoryContracts.Runtime.Json;
using MemoryContracts.Runtime.Storage;
using MemoryContracts.Validation;

namespace MemoryContracts.Runtime;

/// <summary>
/// What an appended record must satisfy so that the graph stays one the contract accepts (its export validates and
/// imports again): the event, nodes and edges it puts pass the graph schema and the graph semantics exactly as an
/// imported fixture does; ids are unique across the graph's nodes, edges and events; and, on the main path, every
/// edge it puts ends at nodes the graph holds, and no node it removes leaves an edge dangling.
/// </summary>
internal static class RecordCheck
{
    /// <summary>Codes of the semantic checks that look at elements outside the record; they are checked against the live state instead.</summary>
    private static readonly HashSet<string> OutsideTheRecord = new(StringComparer.Ordinal) { DiagnosticCatalog.EdgeEndpointMissing.Code, DiagnosticCatalog.EventReferenceMissing.Code, DiagnosticCatalog.DerivedFromMissing.Code };

    /// <summary>A rooted name for the envelope (diagnostics carry the log's location instead): a relative one would cost a getcwd per append.</summary>
    private static readonly string EnvelopeName = Path.Combine(Path.GetTempPath(), "appended-record.json");

    /// <summary>
    /// Validates the record's elements as a graph envelope through the contract validator. The envelope is written
    /// straight into a document by the writer that writes it as JSON (<see cref="TapeWireWriter"/>), so the validator
    /// sees what loading that JSON would give without the text being written and read; a test holds the two equal.
    /// </summary>
    public static void Check(string graphId, GraphEvent graphEvent, GraphChanges changes, Func<string> location)
    {
        var envelope = new TapeWireWriter(EnvelopeName, DocumentLimits.Default);
        EnvelopeJson.WriteGraph(envelope, new GraphHeader(graphId, null, null), changes.PutNodes, changes.PutEdges, [graphEvent]);
        var result = new ContractValidator().Validate(EnvelopeName, envelope.ToLoadResult());
        if (!result.HasErrors)
        {
            return;
        }

        var problems = result.Diagnostics.Where(diagnostic => diagnostic.IsError && !OutsideTheRecord.Contains(diagnostic.Code)).ToArray();
        if (problems.Length > 0)
        {
            var at = SourceLocation.File(location());
            throw new MemoryStoreException(problems.Select(problem => new ContractDiagnostic(problem.Descriptor, problem.Severity, $"the appended record: {problem.Message}", at)).ToArray());
        }
    }

    /// <summary>
    /// Ids the record puts must not be used by another kind of element of the graph: an event id by a node or edge,
    /// a node or edge id by a logged event (<paramref name="loggedIds"/>: those of the record's ids the log holds as
    /// event ids; the log itself refuses a second event with the same id, MC5008).
    /// </summary>
    public static void CheckIds(GraphState state, IReadOnlySet<string> loggedIds, string graphId, GraphEvent graphEvent, GraphChanges changes, Func<string> location)
    {
        var clashes = new List<ContractDiagnostic>();
        if (state.FindNode(graphEvent.Id) is not null || state.FindEdge(graphEvent.Id) is not null)
        {
            clashes.Add(Clash(graphEvent.Id, $"a {(state.FindNode(graphEvent.Id) is null ? "edge" : "node")} of graph '{graphId}'", location));
        }

        foreach (var id in changes.PutNodes.Select(node => node.Id).Concat(changes.PutEdges.Select(edge => edge.Id)).Where(loggedIds.Contains))
        {
            clashes.Add(Clash(id, $"a logged event of graph '{graphId}'", location));
        }

        if (clashes.Count > 0)
        {
            throw new MemoryStoreException(clashes);
        }
    }

    private static ContractDiagnostic Clash(string id, string owner, Func<string> location) =>
        new(DiagnosticCatalog.DuplicateId, DiagnosticSeverity.Error, $"id '{id}' is already used by {owner}; ids are unique across a graph's nodes, edges and events", SourceLocation.File(location()));

    /// <summary>
    /// Every put edge must end at a node the state holds or the record puts, and not at one it removes; every node
    /// the record removes must take the edges that end at it along (removed, or put again at other nodes); a put
    /// node may be derived only from nodes the state holds or the record puts, and no node may be left derived from a
    /// removed one (MC2008).
    /// </summary>
    public static void CheckEndpoints(GraphState state, GraphChanges changes, Func<string> location)
    {
        if (changes.PutEdges.Count == 0 && changes.RemoveNodes.Count == 0 && !changes.PutNodes.Any(node => node.Provenance?.DerivedFrom.Count > 0))
        {
            return;
        }

        var put = changes.PutNodes.Select(node => node.Id).ToHashSet(StringComparer.Ordinal);
        var removed = changes.RemoveNodes.Where(id => !put.Contains(id)).ToHashSet(StringComparer.Ordinal);
        bool Holds(string id) => put.Contains(id) || (state.FindNode(id) is not null && !removed.Contains(id));
        var underived = changes.PutNodes
            .Concat(removed.Count == 0 ? [] : state.Nodes.Where(node => !put.Contains(node.Id) && !removed.Contains(node.Id)))
            .SelectMany(node => (node.Provenance?.DerivedFrom ?? []).Where(ancestor => !Holds(ancestor)).Select(ancestor => DiagnosticCatalog.DerivedFromMissing.Create(SourceLocation.File(location()), node.Id, ancestor)))
            .ToArray();
        if (underived.Length > 0)
        {
            throw new MemoryStoreException(underived);
        }

        var putEdges = changes.PutEdges.ToDictionary(edge => edge.Id, StringComparer.Ordinal);
        var removedEdges = changes.RemoveEdges.ToHashSet(StringComparer.Ordinal);
        var after = changes.PutEdges
            .Concat(removed.SelectMany(id => state.EdgesFrom(id).Concat(state.EdgesTo(id))).Where(edge => !removedEdges.Contains(edge.Id) && !putEdges.ContainsKey(edge.Id)))
            .DistinctBy(edge => edge.Id);
        var diagnostics = after
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

using MemoryContracts.Model;
using MemoryContracts.Runtime.Json;
using MemoryContracts.Runtime.Kernel;

namespace MemoryContracts.Runtime.Exporting;

/// <summary>
/// A graph as a <c>markitect.memory.graph.v1</c> envelope: nodes and edges of its main path (live, or replayed to a
/// cutoff) and the events logged up to it, deterministic and indented.
/// </summary>
internal sealed class GraphExport(WorkspaceKernel kernel)
{
    public async ValueTask<byte[]> ExportAsync(bool useAsync, string graphId, CancellationToken cancellationToken)
    {
        var header = await kernel.RequireGraphAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
        var live = await kernel.LiveAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
        GraphNode[] nodes;
        GraphEdge[] edges;
        lock (live)
        {
            nodes = live.State.Nodes.ToArray();
            edges = live.State.Edges.ToArray();
        }

        var events = (await kernel.ReadLogAsync(useAsync, graphId, 0, cancellationToken).ConfigureAwait(false)).Select(record => record.Event).OfType<GraphEvent>();
        return EnvelopeJson.WriteGraph(header, nodes, edges, Referencing(nodes, edges, events));
    }

    /// <summary>A replayed state as a <c>markitect.memory.graph.v1</c> envelope, with the events logged up to it.</summary>
    public byte[] Of(GraphState state)
    {
        var header = kernel.RequireGraph(state.GraphId);
        var events = kernel.Log.Read(state.GraphId).TakeWhile(record => record.Sequence <= state.Sequence).Select(record => record.Event).OfType<GraphEvent>();
        return EnvelopeJson.WriteGraph(header, state.Nodes, state.Edges, Referencing(state.Nodes, state.Edges, events));
    }

    /// <summary>
    /// The events as an export holds them: naming only nodes and edges the exported graph holds, so that it passes its
    /// contract (MC2006) and imports again. Ids of removed, forgotten or branch-only elements stay in the log.
    /// </summary>
    private static IEnumerable<GraphEvent> Referencing(IEnumerable<GraphNode> nodes, IEnumerable<GraphEdge> edges, IEnumerable<GraphEvent> events)
    {
        var nodeIds = nodes.Select(node => node.Id).ToHashSet(StringComparer.Ordinal);
        var edgeIds = edges.Select(edge => edge.Id).ToHashSet(StringComparer.Ordinal);
        return events.Select(graphEvent => graphEvent.Nodes.All(nodeIds.Contains) && graphEvent.Edges.All(edgeIds.Contains)
            ? graphEvent
            : graphEvent with { Nodes = graphEvent.Nodes.Where(nodeIds.Contains).ToArray(), Edges = graphEvent.Edges.Where(edgeIds.Contains).ToArray() });
    }
}

using MemoryContracts.Model;

namespace MemoryContracts.Runtime.Retrieval;

/// <summary>What to retrieve.</summary>
public abstract record RetrievalQuery(string GraphId)
{
    /// <summary>The nodes within <paramref name="Depth"/> edges of a node, either direction.</summary>
    public sealed record Neighborhood(string GraphId, string Node, int Depth = 1) : RetrievalQuery(GraphId);

    /// <summary>The chain that led to a node, back to the start: sources of the <c>led_to</c> and <c>supports</c> edges into it, targets of the <c>depends_on</c> and <c>derived_from</c> edges out of it.</summary>
    public sealed record DecisionPath(string GraphId, string Node) : RetrievalQuery(GraphId);

    /// <summary>The nodes the events of a conversational path touched, in event order, as they stand on that path.</summary>
    public sealed record Episode(string GraphId, string Path) : RetrievalQuery(GraphId);
}

/// <summary>A node the subject may see, with its text and where it comes from.</summary>
/// <param name="Node">The node.</param>
/// <param name="Reason">Why the policy allowed it.</param>
public sealed record RetrievedItem(GraphNode Node, string Reason);

/// <summary>A node the subject may not see: its id and the reason, never its title or text.</summary>
/// <param name="Id">The node id.</param>
/// <param name="Reason">Why it was denied.</param>
public sealed record DeniedItem(string Id, string Reason);

/// <summary>What a retrieval returned, and what it withheld.</summary>
/// <param name="Operation">The audit operation id.</param>
/// <param name="GraphId">The graph.</param>
/// <param name="Items">Allowed nodes, in retrieval order.</param>
/// <param name="Edges">Edges between allowed nodes.</param>
/// <param name="Denied">Withheld nodes, with reasons.</param>
public sealed record RetrievalResult(string Operation, string GraphId, IReadOnlyList<RetrievedItem> Items, IReadOnlyList<GraphEdge> Edges, IReadOnlyList<DeniedItem> Denied)
{
    /// <summary>
    /// The allowed part as a graph and a selection of all of it, ready for <see cref="Packing.SelectionCompiler"/>:
    /// denied nodes are not in the graph, so no package can carry them.
    /// </summary>
    public (MemoryGraph Graph, MemorySelection Selection) ToSelection(string selectionId)
    {
        var graph = new MemoryGraph(SchemaVersions.GraphV1, GraphId, Items.Select(item => item.Node).ToArray(), Edges, []);
        var selection = new MemorySelection(SchemaVersions.SelectionV1, selectionId, GraphId)
        {
            Title = $"Retrieval {Operation}",
            Nodes = Items.Select(item => item.Node.Id).ToArray(),
            Edges = Edges.Select(edge => edge.Id).ToArray(),
        };
        return (graph, selection);
    }
}

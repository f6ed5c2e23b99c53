namespace MemoryContracts.Model;

/// <summary>A validated <c>markitect.memory.graph</c> fixture: nodes, edges and events with id lookups.</summary>
public sealed class MemoryGraph
{
    private readonly Dictionary<string, GraphNode> _nodes;
    private readonly Dictionary<string, GraphEdge> _edges;
    private readonly Dictionary<string, GraphEvent> _events;

    /// <summary>Creates a graph; ids must be unique within each list.</summary>
    public MemoryGraph(string schemaVersion, string id, IReadOnlyList<GraphNode> nodes, IReadOnlyList<GraphEdge> edges, IReadOnlyList<GraphEvent> events)
    {
        SchemaVersion = schemaVersion;
        Id = id;
        Nodes = nodes;
        Edges = edges;
        Events = events;
        _nodes = Index(nodes, node => node.Id);
        _edges = Index(edges, edge => edge.Id);
        _events = Index(events, graphEvent => graphEvent.Id);
    }

    /// <summary>The contract identifier.</summary>
    public string SchemaVersion { get; }

    /// <summary>The graph's id.</summary>
    public string Id { get; }

    /// <summary>The graph's title.</summary>
    public string? Title { get; init; }

    /// <summary>What the graph remembers.</summary>
    public string? Description { get; init; }

    /// <summary>The nodes in file order.</summary>
    public IReadOnlyList<GraphNode> Nodes { get; }

    /// <summary>The edges in file order.</summary>
    public IReadOnlyList<GraphEdge> Edges { get; }

    /// <summary>The events in file order.</summary>
    public IReadOnlyList<GraphEvent> Events { get; }

    /// <summary>Finds a node by id.</summary>
    public GraphNode? FindNode(string id) => _nodes.TryGetValue(id, out var node) ? node : null;

    /// <summary>Finds an edge by id.</summary>
    public GraphEdge? FindEdge(string id) => _edges.TryGetValue(id, out var edge) ? edge : null;

    /// <summary>Finds an event by id.</summary>
    public GraphEvent? FindEvent(string id) => _events.TryGetValue(id, out var graphEvent) ? graphEvent : null;

    private static Dictionary<string, T> Index<T>(IEnumerable<T> items, Func<T, string> key)
    {
        var index = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            index[key(item)] = item;
        }

        return index;
    }
}

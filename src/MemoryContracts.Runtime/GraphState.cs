using System.Runtime.InteropServices;
using MemoryContracts.Model;
using MemoryContracts.Runtime.Storage;

namespace MemoryContracts.Runtime;

/// <summary>
/// The live state of one path of a graph: what replaying its records gives. Nodes and edges keep the order in
/// which they were first put; lookups by id, by node kind and by edge endpoint are constant time. Its memory grows
/// with the live graph, not with the log.
/// </summary>
public sealed class GraphState
{
    private readonly OrderedIndex<GraphNode> _nodes = new();
    private readonly OrderedIndex<GraphEdge> _edges = new();
    private readonly Dictionary<string, HashSet<string>> _edgesBySource = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _edgesByTarget = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tombstone> _tombstones = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ReviewFlag> _reviews = new(StringComparer.Ordinal);

    /// <summary>Creates an empty state.</summary>
    public GraphState(string graphId)
    {
        GraphId = graphId;
    }

    /// <summary>The graph.</summary>
    public string GraphId { get; }

    /// <summary>The sequence of the last record applied.</summary>
    public long Sequence { get; private set; }

    /// <summary>The live nodes, in the order they were first put.</summary>
    public IEnumerable<GraphNode> Nodes => _nodes.Values;

    /// <summary>The live edges, in the order they were first put.</summary>
    public IEnumerable<GraphEdge> Edges => _edges.Values;

    /// <summary>The number of live nodes.</summary>
    public int NodeCount => _nodes.Count;

    /// <summary>The number of live edges.</summary>
    public int EdgeCount => _edges.Count;

    /// <summary>What forgetting left behind, by id.</summary>
    public IReadOnlyDictionary<string, Tombstone> Tombstones => _tombstones;

    /// <summary>Nodes waiting for a person's review, by node id.</summary>
    public IReadOnlyDictionary<string, ReviewFlag> Reviews => _reviews;

    /// <summary>Restores a state from a snapshot.</summary>
    public static GraphState FromSnapshot(GraphSnapshot snapshot)
    {
        var state = new GraphState(snapshot.GraphId);
        state.Apply(new MemoryRecord(snapshot.Sequence, string.Empty, null, new GraphChanges
        {
            PutNodes = snapshot.Nodes,
            PutEdges = snapshot.Edges,
            Tombstones = snapshot.Tombstones,
            OpenReviews = snapshot.Reviews,
        }));
        return state;
    }

    /// <summary>The node with this id, or null.</summary>
    public GraphNode? FindNode(string id) => _nodes.Find(id);

    /// <summary>The edge with this id, or null.</summary>
    public GraphEdge? FindEdge(string id) => _edges.Find(id);

    /// <summary>The live nodes of one kind, in order.</summary>
    public IEnumerable<GraphNode> NodesOfKind(string kind) => _nodes.Values.Where(node => node.Kind == kind);

    /// <summary>The edges that leave a node, in order.</summary>
    public IEnumerable<GraphEdge> EdgesFrom(string nodeId) => Endpoints(_edgesBySource, nodeId);

    /// <summary>The edges that arrive at a node, in order.</summary>
    public IEnumerable<GraphEdge> EdgesTo(string nodeId) => Endpoints(_edgesByTarget, nodeId);

    /// <summary>Applies one record; records must come in sequence order.</summary>
    internal void Apply(MemoryRecord record)
    {
        var changes = record.Changes;
        foreach (var id in changes.RemoveEdges)
        {
            RemoveEdge(id);
        }

        foreach (var id in changes.RemoveNodes)
        {
            _nodes.Remove(id);
            _reviews.Remove(id);
        }

        foreach (var node in changes.PutNodes)
        {
            _nodes.Put(node.Id, node);
        }

        foreach (var edge in changes.PutEdges)
        {
            if (_edges.Find(edge.Id) is not null)
            {
                RemoveEdge(edge.Id);
            }

            _edges.Put(edge.Id, edge);
            Link(_edgesBySource, edge.Source, edge.Id);
            Link(_edgesByTarget, edge.Target, edge.Id);
        }

        foreach (var tombstone in changes.Tombstones)
        {
            _tombstones[tombstone.Id] = tombstone;
        }

        foreach (var id in changes.CloseReviews)
        {
            _reviews.Remove(id);
        }

        foreach (var review in changes.OpenReviews)
        {
            _reviews[review.Node] = review;
        }

        Sequence = record.Sequence;
    }

    /// <summary>Moves past a record that belongs to another path.</summary>
    internal void AdvanceTo(long sequence) => Sequence = sequence;

    /// <summary>A snapshot of this state.</summary>
    public GraphSnapshot ToSnapshot() =>
        new(GraphId, Sequence, _nodes.Values.ToArray(), _edges.Values.ToArray(), _tombstones.Values.OrderBy(tombstone => tombstone.Id, StringComparer.Ordinal).ToArray(), _reviews.Values.OrderBy(review => review.Node, StringComparer.Ordinal).ToArray());

    /// <summary>A copy that can change independently (a branch starts from one).</summary>
    public GraphState Clone() => FromSnapshot(ToSnapshot());

    private void RemoveEdge(string id)
    {
        if (_edges.Find(id) is { } edge)
        {
            _edges.Remove(id);
            Unlink(_edgesBySource, edge.Source, id);
            Unlink(_edgesByTarget, edge.Target, id);
        }
    }

    private IEnumerable<GraphEdge> Endpoints(Dictionary<string, HashSet<string>> index, string nodeId) =>
        index.TryGetValue(nodeId, out var ids)
            ? ids.Select(id => (Edge: _edges.Find(id)!, Order: _edges.OrderOf(id))).OrderBy(pair => pair.Order).Select(pair => pair.Edge)
            : [];

    private static void Link(Dictionary<string, HashSet<string>> index, string nodeId, string edgeId)
    {
        if (!index.TryGetValue(nodeId, out var ids))
        {
            index[nodeId] = ids = new HashSet<string>(StringComparer.Ordinal);
        }

        ids.Add(edgeId);
    }

    private static void Unlink(Dictionary<string, HashSet<string>> index, string nodeId, string edgeId)
    {
        if (index.TryGetValue(nodeId, out var ids) && ids.Remove(edgeId) && ids.Count == 0)
        {
            index.Remove(nodeId);
        }
    }

    /// <summary>Values by id that remember the order of first insertion; a replaced value keeps its place.</summary>
    private sealed class OrderedIndex<T>
        where T : class
    {
        private readonly Dictionary<string, (T Value, long Order)> _entries = new(StringComparer.Ordinal);
        private long _next;

        public int Count => _entries.Count;

        public IEnumerable<T> Values => _entries.Values.OrderBy(entry => entry.Order).Select(entry => entry.Value);

        public T? Find(string id) => _entries.TryGetValue(id, out var entry) ? entry.Value : null;

        public long OrderOf(string id) => _entries[id].Order;

        public void Put(string id, T value)
        {
            ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, id, out var exists);
            entry = (value, exists ? entry.Order : _next++);
        }

        public void Remove(string id) => _entries.Remove(id);
    }
}

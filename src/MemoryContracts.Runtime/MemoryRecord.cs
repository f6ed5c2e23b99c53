using MemoryContracts.Model;

namespace MemoryContracts.Runtime;

/// <summary>
/// One line of a graph's append-only log: an optional contract event and the changes it made. Replaying the records
/// in order rebuilds the graph; a record is applied whole or not at all.
/// </summary>
/// <param name="Sequence">Position in the log, from 1, assigned on append.</param>
/// <param name="At">When the record was written (or the event's own time), RFC 3339.</param>
/// <param name="Event">The <c>markitect.memory.graph.v1</c> event, or null for a record that only changes state (an import).</param>
/// <param name="Changes">What the record changes.</param>
public sealed record MemoryRecord(long Sequence, string At, GraphEvent? Event, GraphChanges Changes)
{
    /// <summary>The format every record is written in.</summary>
    public const string Format = "markitect.memory.record.v1";

    /// <summary>The operation that wrote the record, if any (an id in the audit log).</summary>
    public string? Operation { get; init; }

    /// <summary>The conversational path the record belongs to; the main path when the event names none.</summary>
    public string PathId => Event?.Path ?? MemoryPaths.Main;
}

/// <summary>What a record does to a graph's state.</summary>
public sealed record GraphChanges
{
    /// <summary>No change.</summary>
    public static GraphChanges None { get; } = new();

    /// <summary>Nodes added or replaced, whole.</summary>
    public IReadOnlyList<GraphNode> PutNodes { get; init; } = [];

    /// <summary>Edges added or replaced, whole.</summary>
    public IReadOnlyList<GraphEdge> PutEdges { get; init; } = [];

    /// <summary>Ids of nodes removed (their edges must be removed by the same record).</summary>
    public IReadOnlyList<string> RemoveNodes { get; init; } = [];

    /// <summary>Ids of edges removed.</summary>
    public IReadOnlyList<string> RemoveEdges { get; init; } = [];

    /// <summary>What forgetting left behind: ids and reasons, never content.</summary>
    public IReadOnlyList<Tombstone> Tombstones { get; init; } = [];

    /// <summary>Nodes put up for review.</summary>
    public IReadOnlyList<ReviewFlag> OpenReviews { get; init; } = [];

    /// <summary>Ids of nodes whose open review was settled.</summary>
    public IReadOnlyList<string> CloseReviews { get; init; } = [];

    /// <summary>Whether the record changes nothing.</summary>
    public bool IsEmpty => PutNodes.Count == 0 && PutEdges.Count == 0 && RemoveNodes.Count == 0 && RemoveEdges.Count == 0 && Tombstones.Count == 0 && OpenReviews.Count == 0 && CloseReviews.Count == 0;
}

/// <summary>What remains of a forgotten node or edge: never its title or text.</summary>
/// <param name="Id">The forgotten id.</param>
/// <param name="Kind">Its node or edge kind.</param>
/// <param name="At">When it was forgotten.</param>
/// <param name="Reason">Why.</param>
/// <param name="Operation">The operation that forgot it.</param>
public sealed record Tombstone(string Id, string Kind, string At, string Reason, string Operation);

/// <summary>A node put up for a person's review, and why.</summary>
/// <param name="Node">The node.</param>
/// <param name="Reason">Why it needs a review.</param>
/// <param name="Cause">The id of the edge, event or node that caused it.</param>
public sealed record ReviewFlag(string Node, string Reason, string Cause);

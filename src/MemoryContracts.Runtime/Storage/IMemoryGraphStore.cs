using MemoryContracts.Model;

namespace MemoryContracts.Runtime.Storage;

/// <summary>
/// Where profiles and graph snapshots live. A snapshot is a cache of the log up to a sequence: the log is the
/// truth, and a missing or older snapshot only makes opening slower.
/// </summary>
public interface IMemoryGraphStore
{
    /// <summary>Saves a profile, replacing one with the same id.</summary>
    void SaveProfile(MemoryProfile profile);

    /// <summary>Saves a profile, replacing one with the same id.</summary>
    ValueTask SaveProfileAsync(MemoryProfile profile, CancellationToken cancellationToken = default);

    /// <summary>The profile with this id, or null.</summary>
    MemoryProfile? LoadProfile(string id);

    /// <summary>The profile with this id, or null.</summary>
    ValueTask<MemoryProfile?> LoadProfileAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The ids of the stored profiles, ordinal order.</summary>
    IReadOnlyList<string> ListProfiles();

    /// <summary>Registers a graph (its id, title and description); a no-op when it exists.</summary>
    void CreateGraph(GraphHeader header);

    /// <summary>Registers a graph (its id, title and description); a no-op when it exists.</summary>
    ValueTask CreateGraphAsync(GraphHeader header, CancellationToken cancellationToken = default);

    /// <summary>The header of the graph with this id, or null.</summary>
    GraphHeader? LoadGraph(string id);

    /// <summary>The header of the graph with this id, or null.</summary>
    ValueTask<GraphHeader?> LoadGraphAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The ids of the stored graphs, ordinal order.</summary>
    IReadOnlyList<string> ListGraphs();

    /// <summary>The ids of the stored graphs, ordinal order.</summary>
    ValueTask<IReadOnlyList<string>> ListGraphsAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces the graph's snapshot, atomically.</summary>
    void SaveSnapshot(GraphSnapshot snapshot);

    /// <summary>Replaces the graph's snapshot, atomically.</summary>
    ValueTask SaveSnapshotAsync(GraphSnapshot snapshot, CancellationToken cancellationToken = default);

    /// <summary>The graph's last snapshot, or null.</summary>
    GraphSnapshot? LoadSnapshot(string graphId);

    /// <summary>The graph's last snapshot, or null.</summary>
    ValueTask<GraphSnapshot?> LoadSnapshotAsync(string graphId, CancellationToken cancellationToken = default);

    /// <summary>Records a lifecycle plan the workspace issued (its canonical file content), atomically; a plan id is written once.</summary>
    void SavePlan(string graphId, string planId, byte[] content);

    /// <summary>Records a lifecycle plan the workspace issued (its canonical file content), atomically; a plan id is written once.</summary>
    ValueTask SavePlanAsync(string graphId, string planId, byte[] content, CancellationToken cancellationToken = default);

    /// <summary>The content of a plan the workspace issued for the graph, or null if it issued none with this id.</summary>
    byte[]? LoadPlan(string graphId, string planId);

    /// <summary>The content of a plan the workspace issued for the graph, or null if it issued none with this id.</summary>
    ValueTask<byte[]?> LoadPlanAsync(string graphId, string planId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records, atomically, the journal of a lifecycle apply about to be logged for the graph (the audit record it will
    /// write), or clears it when <paramref name="content"/> is null. A crash leaves it behind, and the next open
    /// finishes the apply from it: history scrubbed of what it forgot, the audit record written once.
    /// </summary>
    void SaveJournal(string graphId, byte[]? content);

    /// <inheritdoc cref="SaveJournal" />
    ValueTask SaveJournalAsync(string graphId, byte[]? content, CancellationToken cancellationToken = default);

    /// <summary>The graph's apply journal, or null when no apply is in progress or was cut off.</summary>
    byte[]? LoadJournal(string graphId);
}

/// <summary>What a workspace knows of a graph besides its nodes, edges and events.</summary>
/// <param name="Id">The graph id.</param>
/// <param name="Title">Its title.</param>
/// <param name="Description">Its description.</param>
public sealed record GraphHeader(string Id, string? Title, string? Description);

/// <summary>A graph's main-path state after the record at <paramref name="Sequence"/>.</summary>
/// <param name="GraphId">The graph.</param>
/// <param name="Sequence">The last record included.</param>
/// <param name="Nodes">The live nodes, in insertion order.</param>
/// <param name="Edges">The live edges, in insertion order.</param>
/// <param name="Tombstones">What forgetting left behind.</param>
/// <param name="Reviews">Open review flags.</param>
public sealed record GraphSnapshot(string GraphId, long Sequence, IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges, IReadOnlyList<Tombstone> Tombstones, IReadOnlyList<ReviewFlag> Reviews);

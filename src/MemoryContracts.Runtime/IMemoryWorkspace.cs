using MemoryContracts.Model;
using MemoryContracts.Runtime.Lifecycle;
using MemoryContracts.Runtime.Paths;
using MemoryContracts.Runtime.Retrieval;

namespace MemoryContracts.Runtime;

/// <summary>
/// A memory workspace as a service uses it: every operation is asynchronous and takes a
/// <see cref="CancellationToken"/>. Registered by <c>AddMemoryContracts</c>; files or PostgreSQL behind it.
/// </summary>
/// <remarks>
/// Cancellation is observed until a write is handed over for commit (checked, serialized, queued); from then on the
/// call completes, so a cancelled write has written nothing and a completed one is durable. Refusals are
/// <see cref="MemoryStoreException"/>s with their MC codes, audited as denied, whatever the token.
/// </remarks>
public interface IMemoryWorkspace
{
    /// <summary>Where the workspace lives: its folder, <c>postgres:owner</c>, or <c>memory</c>.</summary>
    string Location { get; }

    /// <summary>Branch, merge, abandon and compact conversational paths (<c>BranchAsync</c>, <c>MergeAsync</c>, <c>AbandonAsync</c>, <c>CompactAsync</c>, <c>ReadAsync</c>).</summary>
    PathOperations Paths { get; }

    /// <summary>Plan lifecycle actions, apply them behind the review gate, settle reviews (<c>PlanAsync</c>, <c>ApplyAsync</c>, <c>SettleReviewsAsync</c>).</summary>
    LifecycleOperations Lifecycle { get; }

    /// <summary>
    /// Imports a graph or profile fixture the contract core validates (see <see cref="MemoryWorkspace.Import"/>); the
    /// file is read asynchronously. Cancelled before anything is written, nothing is; once a graph's records are
    /// committed, its header and audit record are written whatever the token says.
    /// </summary>
    ValueTask<string> ImportAsync(string fixturePath, string actor, CancellationToken cancellationToken = default);

    /// <summary>Appends one event and the changes it makes, checked as <see cref="MemoryWorkspace.Append"/> checks them; completes when the record is durable.</summary>
    ValueTask<MemoryRecord> AppendAsync(string graphId, GraphEvent graphEvent, GraphChanges? changes = null, long? expectedSequence = null, CancellationToken cancellationToken = default);

    /// <summary>Appends one event with its id as the idempotency key (see <see cref="MemoryWorkspace.AppendOnce"/>): a retry returns the logged record with <c>Replayed</c> true.</summary>
    ValueTask<(MemoryRecord Record, bool Replayed)> AppendOnceAsync(string graphId, GraphEvent graphEvent, GraphChanges? changes = null, CancellationToken cancellationToken = default);

    /// <summary>The live nodes of a graph's main path, optionally of one kind, in order.</summary>
    ValueTask<IReadOnlyList<GraphNode>> NodesAsync(string graphId, string? kind = null, CancellationToken cancellationToken = default);

    /// <summary>The live edges of a graph's main path, optionally only those leaving <paramref name="source"/> and/or arriving at <paramref name="target"/>.</summary>
    ValueTask<IReadOnlyList<GraphEdge>> EdgesAsync(string graphId, string? source = null, string? target = null, CancellationToken cancellationToken = default);

    /// <summary>The logged events of a graph in log order, optionally of one kind, streamed from the log.</summary>
    IAsyncEnumerable<GraphEvent> EventsAsync(string graphId, string? kind = null, CancellationToken cancellationToken = default);

    /// <summary>Rebuilds a path of a graph from its log, up to a cutoff (all of it when null), streaming the records.</summary>
    ValueTask<GraphState> ReplayAsync(string graphId, ReplayCutoff? cutoff = null, string path = MemoryPaths.Main, CancellationToken cancellationToken = default);

    /// <summary>The graph as a deterministic <c>markitect.memory.graph.v1</c> envelope (see <see cref="MemoryWorkspace.Export(string)"/>).</summary>
    ValueTask<byte[]> ExportAsync(string graphId, CancellationToken cancellationToken = default);

    /// <summary>Runs a query for a subject through the policy gateway; every retrieval is audited and its decisions logged.</summary>
    ValueTask<RetrievalResult> RetrieveAsync(RetrievalQuery query, RetrievalSubject subject, CancellationToken cancellationToken = default);

    /// <summary>Writes a snapshot of every graph's main path, so the next open replays only what follows.</summary>
    ValueTask CheckpointAsync(CancellationToken cancellationToken = default);

    /// <summary>Records one operation a host performed on the workspace's behalf in the audit log; returns its operation id. Durable when it completes.</summary>
    ValueTask<string> RecordAuditAsync(string action, string actor, AuditDecision decision, string? graphId, IReadOnlyList<string> affected, string? reason, CancellationToken cancellationToken = default);

    /// <summary>Every audit record, in the order written.</summary>
    IAsyncEnumerable<AuditRecord> AuditTrailAsync(CancellationToken cancellationToken = default);
}

using MemoryContracts.Diagnostics;

namespace MemoryContracts.Runtime.Storage;

/// <summary>
/// The append-only log of one workspace's graphs. An append returns only when its records are durable; records of
/// one append are stored together or not at all.
/// </summary>
public interface IMemoryEventLog
{
    /// <summary>
    /// Appends records to a graph's log after checking that the log is at <paramref name="expectedSequence"/> (when
    /// given) and that no event id is already logged (MC5008). Sequences in the records are ignored and assigned.
    /// </summary>
    /// <returns>The records as stored, with their sequences.</returns>
    IReadOnlyList<MemoryRecord> Append(string graphId, IReadOnlyList<MemoryRecord> records, long? expectedSequence = null);

    /// <summary>
    /// Appends as <see cref="Append"/> does without blocking a thread while the append waits for its commit.
    /// <paramref name="cancellationToken"/> is observed until the records are handed over for commit; from then on
    /// the call completes and its records are durable, so a cancelled append has written nothing.
    /// </summary>
    /// <returns>The records as stored, with their sequences.</returns>
    ValueTask<IReadOnlyList<MemoryRecord>> AppendAsync(string graphId, IReadOnlyList<MemoryRecord> records, long? expectedSequence = null, CancellationToken cancellationToken = default);

    /// <summary>The graph's records after <paramref name="afterSequence"/>, in order.</summary>
    IAsyncEnumerable<MemoryRecord> ReadAsync(string graphId, long afterSequence = 0, CancellationToken cancellationToken = default);

    /// <summary>The sequence of the graph's last record, 0 when it has none.</summary>
    ValueTask<long> LastSequenceAsync(string graphId, CancellationToken cancellationToken = default);

    /// <summary>Whether the graph's log holds an event with this id.</summary>
    ValueTask<bool> ContainsEventAsync(string graphId, string eventId, CancellationToken cancellationToken = default);

    /// <summary>The graph's records after <paramref name="afterSequence"/>, in order.</summary>
    IEnumerable<MemoryRecord> Read(string graphId, long afterSequence = 0);

    /// <summary>The sequence of the graph's last record, 0 when it has none.</summary>
    long LastSequence(string graphId);

    /// <summary>Whether the graph's log holds an event with this id.</summary>
    bool ContainsEvent(string graphId, string eventId);

    /// <summary>
    /// Rewrites every record of a graph's log through <paramref name="rewrite"/> in one atomic step (used to strip
    /// forgotten content from history); sequences and event ids are kept.
    /// </summary>
    void Rewrite(string graphId, Func<MemoryRecord, MemoryRecord> rewrite);

    /// <inheritdoc cref="Rewrite" />
    /// <remarks>Once it starts writing, it finishes: <paramref name="cancellationToken"/> is observed only before.</remarks>
    ValueTask RewriteAsync(string graphId, Func<MemoryRecord, MemoryRecord> rewrite, CancellationToken cancellationToken = default);

    /// <summary>Problems found in the stored log (malformed or torn lines, unknown versions, broken integrity), with positions.</summary>
    IReadOnlyList<ContractDiagnostic> Check(string graphId);

    /// <summary>Where a graph's log lives, for diagnostics: a file path, or a name such as <c>postgres:owner/graph</c>.</summary>
    string LocationOf(string graphId) => graphId;
}

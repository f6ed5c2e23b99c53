using MemoryContracts.Diagnostics;

namespace MemoryContracts.Runtime.Storage.InMemory;

/// <summary>Each graph's log as a list in process memory, with the same rules as the file log.</summary>
public sealed class InMemoryEventLog : IMemoryEventLog
{
    private readonly Dictionary<string, (List<MemoryRecord> Records, HashSet<string> Ids)> _logs = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public IReadOnlyList<MemoryRecord> Append(string graphId, IReadOnlyList<MemoryRecord> records, long? expectedSequence = null)
    {
        lock (_logs)
        {
            var (list, ids) = Log(graphId);
            if (expectedSequence is { } expected && expected != list.Count)
            {
                throw MemoryStoreException.Create(DiagnosticCatalog.StaleLogPosition, graphId, "the append", graphId, expected, list.Count);
            }

            EventIdCheck.Refuse(records, ids.Contains, graphId, graphId);
            var stored = records.Select((record, index) => record with { Sequence = list.Count + index + 1 }).ToArray();
            list.AddRange(stored);
            ids.UnionWith(stored.Select(record => record.Event?.Id).OfType<string>());
            return stored;
        }
    }

    /// <inheritdoc />
    /// <remarks>Completes at once: a list in memory has no commit to wait for.</remarks>
    public ValueTask<IReadOnlyList<MemoryRecord>> AppendAsync(string graphId, IReadOnlyList<MemoryRecord> records, long? expectedSequence = null, CancellationToken cancellationToken = default) =>
        SynchronousWork.Result(() => Append(graphId, records, expectedSequence), cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<MemoryRecord> ReadAsync(string graphId, long afterSequence = 0, CancellationToken cancellationToken = default) =>
        AsyncSequence.Of(Read(graphId, afterSequence), cancellationToken);

    /// <inheritdoc />
    public ValueTask<long> LastSequenceAsync(string graphId, CancellationToken cancellationToken = default) =>
        SynchronousWork.Result(() => LastSequence(graphId), cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> ContainsEventAsync(string graphId, string eventId, CancellationToken cancellationToken = default) =>
        SynchronousWork.Result(() => ContainsEvent(graphId, eventId), cancellationToken);

    /// <inheritdoc />
    public IEnumerable<MemoryRecord> Read(string graphId, long afterSequence = 0)
    {
        lock (_logs)
        {
            return Log(graphId).Records.Skip((int)Math.Min(int.MaxValue, afterSequence)).ToArray();
        }
    }

    /// <inheritdoc />
    public long LastSequence(string graphId)
    {
        lock (_logs)
        {
            return Log(graphId).Records.Count;
        }
    }

    /// <inheritdoc />
    public bool ContainsEvent(string graphId, string eventId)
    {
        lock (_logs)
        {
            return Log(graphId).Ids.Contains(eventId);
        }
    }

    /// <inheritdoc />
    public ValueTask RewriteAsync(string graphId, Func<MemoryRecord, MemoryRecord> rewrite, CancellationToken cancellationToken = default) =>
        SynchronousWork.Run(() => Rewrite(graphId, rewrite), cancellationToken);

    /// <inheritdoc />
    public void Rewrite(string graphId, Func<MemoryRecord, MemoryRecord> rewrite)
    {
        lock (_logs)
        {
            var records = Log(graphId).Records;
            var rewritten = records.Select(rewrite).ToArray();
            records.Clear();
            records.AddRange(rewritten);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<ContractDiagnostic> Check(string graphId) => [];

    private (List<MemoryRecord> Records, HashSet<string> Ids) Log(string graphId)
    {
        if (!_logs.TryGetValue(graphId, out var log))
        {
            _logs[graphId] = log = ([], new HashSet<string>(StringComparer.Ordinal));
        }

        return log;
    }
}

namespace MemoryContracts.Runtime.Storage.InMemory;

/// <summary>The audit log as a list in process memory.</summary>
public sealed class InMemoryAuditSink : IAuditSink
{
    private readonly List<AuditRecord> _records = [];

    /// <inheritdoc />
    public void Write(AuditRecord record)
    {
        lock (_records)
        {
            _records.Add(record);
        }
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(AuditRecord record, CancellationToken cancellationToken = default) =>
        SynchronousWork.Run(() => Write(record), cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<AuditRecord> ReadAsync(CancellationToken cancellationToken = default) => AsyncSequence.Of(Read(), cancellationToken);

    /// <inheritdoc />
    public IEnumerable<AuditRecord> Read()
    {
        lock (_records)
        {
            return _records.ToArray();
        }
    }
}

using MemoryContracts.Diagnostics;

namespace MemoryContracts.Runtime.Storage;

/// <summary>Where every granted and denied operation is recorded; writes are durable when they return.</summary>
public interface IAuditSink
{
    /// <summary>Records one operation.</summary>
    void Write(AuditRecord record);

    /// <summary>
    /// Records one operation without blocking a thread while it waits for its commit; durable when it completes.
    /// <paramref name="cancellationToken"/> is observed until the record is handed over for commit.
    /// </summary>
    ValueTask WriteAsync(AuditRecord record, CancellationToken cancellationToken = default);

    /// <summary>Every record, in the order written.</summary>
    IEnumerable<AuditRecord> Read();

    /// <summary>Every record, in the order written.</summary>
    IAsyncEnumerable<AuditRecord> ReadAsync(CancellationToken cancellationToken = default);

    /// <summary>Problems with the stored audit log's integrity (an edited, inserted or removed record; MC5016), with positions.</summary>
    IReadOnlyList<ContractDiagnostic> Check() => [];
}

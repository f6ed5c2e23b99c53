using MemoryContracts.Diagnostics;

namespace MemoryContracts.Runtime.Storage;

/// <summary>Where every granted and denied operation is recorded; writes are durable when they return.</summary>
public interface IAuditSink
{
    /// <summary>Records one operation.</summary>
    void Write(AuditRecord record);

    /// <summary>Every record, in the order written.</summary>
    IEnumerable<AuditRecord> Read();

    /// <summary>Problems with the stored audit log's integrity (an edited, inserted or removed record; MC5016), with positions.</summary>
    IReadOnlyList<ContractDiagnostic> Check() => [];
}

namespace MemoryContracts.Runtime.Storage;

/// <summary>Where every granted and denied operation is recorded; writes are durable when they return.</summary>
public interface IAuditSink
{
    /// <summary>Records one operation.</summary>
    void Write(AuditRecord record);

    /// <summary>Every record, in the order written.</summary>
    IEnumerable<AuditRecord> Read();
}

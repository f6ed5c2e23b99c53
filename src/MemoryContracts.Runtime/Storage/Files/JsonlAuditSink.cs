using System.Buffers;
using MemoryContracts.Diagnostics;
using MemoryContracts.Runtime.Json;

namespace MemoryContracts.Runtime.Storage.Files;

/// <summary>The workspace's <c>audit.jsonl</c>: one record per line, durable when <see cref="Write"/> returns.</summary>
public sealed class JsonlAuditSink : IAuditSink, IDisposable
{
    private readonly LineFile _file;

    /// <summary>Opens (or creates) the audit log of a workspace layout; <paramref name="readOnly"/>, it never creates, moves or writes a file.</summary>
    public JsonlAuditSink(WorkspaceLayout layout, bool readOnly = false)
    {
        _file = LineFile.Open(layout.AuditFile, out var torn, readOnly);
        Recovered = torn is null ? [] : [torn];
    }

    /// <summary>What opening the audit log recovered from (a torn last line).</summary>
    public IReadOnlyList<ContractDiagnostic> Recovered { get; }

    /// <inheritdoc />
    public void Write(AuditRecord record)
    {
        var output = new ArrayBufferWriter<byte>();
        RecordJson.WriteAudit(output, record);
        _file.WaitDurable(_file.Enqueue(RecordJson.WithNewline(output), 1));
    }

    /// <inheritdoc />
    public IEnumerable<AuditRecord> Read()
    {
        foreach (var (number, buffer, start, length) in _file.ReadLines())
        {
            yield return Parse(number, buffer, start, length);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();

    private AuditRecord Parse(long number, byte[] buffer, int start, int length) =>
        StoredContent.Read(buffer.AsSpan(start, length), _file.Path, number, RecordJson.ReadAudit);
}

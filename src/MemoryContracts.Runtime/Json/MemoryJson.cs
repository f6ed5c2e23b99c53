using System.Buffers;
using System.Security.Cryptography;
using MemoryContracts.Model;
using MemoryContracts.Model.Wire;
using MemoryContracts.Runtime.Storage;

namespace MemoryContracts.Runtime.Json;

/// <summary>
/// The workspace's JSON formats for adapters of the ports (the same bytes the file adapter writes): records,
/// audit records, snapshots and profiles. Reading throws <see cref="System.Text.Json.JsonException"/> on bad input.
/// </summary>
public static class MemoryJson
{
    /// <summary>A record as one compact JSON line, without the newline.</summary>
    public static byte[] WriteRecord(MemoryRecord record)
    {
        var output = new ArrayBufferWriter<byte>();
        RecordJson.WriteRecord(output, record);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Reads a record line.</summary>
    public static MemoryRecord ReadRecord(ReadOnlySpan<byte> line) => RecordJson.ReadRecord(line);

    /// <summary>An audit record as one compact JSON line, without the newline.</summary>
    public static byte[] WriteAudit(AuditRecord record)
    {
        var output = new ArrayBufferWriter<byte>();
        AuditJson.Write(output, record);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Reads an audit line.</summary>
    public static AuditRecord ReadAudit(ReadOnlySpan<byte> line) => AuditJson.Read(line);

    /// <summary>A node in the <c>markitect.memory.graph.v1</c> wire shape, compact.</summary>
    public static byte[] WriteNode(GraphNode node) => Element(writer => ElementJson.WriteNode(writer, node));

    /// <summary>An edge in the <c>markitect.memory.graph.v1</c> wire shape, compact.</summary>
    public static byte[] WriteEdge(GraphEdge edge) => Element(writer => ElementJson.WriteEdge(writer, edge));

    /// <summary>A snapshot as indented JSON.</summary>
    public static byte[] WriteSnapshot(GraphSnapshot snapshot) => StoredFileJson.WriteSnapshot(snapshot);

    /// <summary>Reads a snapshot.</summary>
    public static GraphSnapshot ReadSnapshot(ReadOnlySpan<byte> content) => StoredFileJson.ReadSnapshot(content);

    /// <summary>A profile as an indented <c>markitect.memory.profile.v1</c> envelope.</summary>
    public static byte[] WriteProfile(MemoryProfile profile) => EnvelopeJson.WriteProfile(profile);

    /// <summary>A graph header as indented JSON.</summary>
    public static byte[] WriteHeader(GraphHeader header) => StoredFileJson.WriteHeader(header);

    /// <summary>Reads a graph header.</summary>
    public static GraphHeader ReadHeader(ReadOnlySpan<byte> content) => StoredFileJson.ReadHeader(content);

    private static byte[] Element(Action<System.Text.Json.Utf8JsonWriter> write)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(output, RecordJson.Compact))
        {
            write(writer);
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The SHA-256 (lower-case hex) of a snapshot's content: its nodes, edges, tombstones and open reviews in their
    /// canonical JSON, whatever the log position. Two stores that replay the same events agree on it.
    /// </summary>
    public static string ContentHash(GraphSnapshot snapshot) =>
        Convert.ToHexString(SHA256.HashData(StoredFileJson.WriteSnapshot(snapshot with { Sequence = 0 }))).ToLowerInvariant();
}

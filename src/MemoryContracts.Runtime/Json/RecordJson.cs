using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using MemoryContracts.Model;
using MemoryContracts.Runtime.Storage;

namespace MemoryContracts.Runtime.Json;

/// <summary>
/// The workspace's hand-kept record lines (one JSON object per line, kept by hand because replay reads millions of
/// them), and the writer options and format check that the source-generated formats (<see cref="StoredFileJson"/>,
/// <see cref="AuditJson"/>) share. Each carries a <c>format</c> that is checked on reading.
/// </summary>
internal static partial class RecordJson
{
    private static ReadOnlySpan<byte> RecordFormat => "markitect.memory.record.v1"u8;

    /// <summary>Line files: compact. Files a person opens: indented. Non-ASCII text stays readable.</summary>
    public static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static readonly JsonWriterOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true, SkipValidation = true };

    public static byte[] WithNewline(ArrayBufferWriter<byte> output)
    {
        var bytes = new byte[output.WrittenCount + 1];
        output.WrittenSpan.CopyTo(bytes);
        bytes[^1] = (byte)'\n';
        return bytes;
    }

    public static string CheckFormat(string found, string expected) =>
        found == expected ? found : throw new UnknownFormatException(found, expected);
}

using System.Text.Json;
using MemoryContracts.Diagnostics;
using MemoryContracts.Runtime.Json;

namespace MemoryContracts.Runtime.Storage;

/// <summary>How every adapter reads what it stored (record lines, snapshots, headers, audit lines), with the same diagnostics.</summary>
internal static class StoredContent
{
    /// <summary>Reads stored bytes into a value.</summary>
    public delegate T Reader<out T>(ReadOnlySpan<byte> content);

    /// <summary>
    /// Reads stored content that starts at <paramref name="firstLine"/> of <paramref name="location"/>: a format this
    /// version does not read is MC5005 there; malformed JSON, or a value of the wrong shape, is MC5003 at the line and
    /// column where the reader stopped.
    /// </summary>
    public static T Read<T>(ReadOnlySpan<byte> content, string location, long firstLine, Reader<T> read)
    {
        var line = (int)Math.Min(int.MaxValue, firstLine);
        try
        {
            return read(content);
        }
        catch (UnknownFormatException exception)
        {
            throw new MemoryStoreException(DiagnosticCatalog.UnknownRecordVersion.Create(new SourceLocation(location, line, 1, 0, 0), exception.Found, exception.Expected));
        }
        catch (JsonException exception)
        {
            var at = (int)Math.Min(int.MaxValue, firstLine + (exception.LineNumber ?? 0));
            throw new MemoryStoreException(DiagnosticCatalog.MalformedLogLine.Create(new SourceLocation(location, at, (int)(exception.BytePositionInLine ?? 0) + 1, 0, 0), at, exception.Message));
        }
        catch (InvalidOperationException exception)
        {
            throw new MemoryStoreException(DiagnosticCatalog.MalformedLogLine.Create(new SourceLocation(location, line, 1, 0, 0), line, exception.Message));
        }
    }
}

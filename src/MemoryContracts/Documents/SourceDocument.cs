using System.Text;
using MemoryContracts.Diagnostics;
using MemoryContracts.Text;

namespace MemoryContracts.Documents;

/// <summary>
/// A loaded YAML or JSON fixture that remembers where every value came from. Values are reached through
/// <see cref="Root"/>; each <see cref="DocumentNode"/> knows its own line and column.
/// </summary>
public sealed class SourceDocument
{
    private readonly TapeEntry[][] _tape;
    private readonly string[] _strings;
    private readonly int _count;

    internal SourceDocument(string path, DocumentFormat format, SourceText text, TapeBuilder tape)
    {
        Path = path;
        Format = format;
        Text = text;
        _tape = tape.Chunks;
        _count = tape.Count;
        _strings = tape.Strings.ToArray();
    }

    /// <summary>The file as the user named it; diagnostics use this path.</summary>
    public string Path { get; }

    /// <summary>Whether the file was YAML or JSON.</summary>
    public DocumentFormat Format { get; }

    /// <summary>The document's root value.</summary>
    public DocumentNode Root => new(this, 0);

    /// <summary>The number of values in the document, aliases expanded.</summary>
    public int ValueCount => _count;

    internal SourceText Text { get; }

    internal ref readonly TapeEntry Entry(int index) => ref _tape[index >> TapeBuilder.ChunkShift][index & TapeBuilder.ChunkMask];

    internal string GetScalarText(int index)
    {
        ref readonly var entry = ref Entry(index);
        if ((entry.Flags & TapeFlags.InTable) != 0)
        {
            return _strings[entry.Payload];
        }

        var bytes = ((Utf8SourceText)Text).Bytes;
        return Encoding.UTF8.GetString(bytes, entry.Payload, entry.Length);
    }

    /// <summary>Returns a scalar's decoded string when it has one (YAML scalars, JSON keys, escaped JSON strings).</summary>
    internal bool TryGetTableString(int index, out string text)
    {
        ref readonly var entry = ref Entry(index);
        text = (entry.Flags & TapeFlags.InTable) != 0 ? _strings[entry.Payload] : string.Empty;
        return (entry.Flags & TapeFlags.InTable) != 0;
    }

    /// <summary>Whether a string scalar is one of a set of strings, compared as UTF-8 bytes when it was never decoded.</summary>
    internal bool ScalarIsOneOf(int index, HashSet<string> strings, byte[][] utf8)
    {
        ref readonly var entry = ref Entry(index);
        if ((entry.Flags & TapeFlags.InTable) != 0)
        {
            return strings.Contains(_strings[entry.Payload]);
        }

        var bytes = ((Utf8SourceText)Text).Bytes.AsSpan(entry.Payload, entry.Length);
        foreach (var candidate in utf8)
        {
            if (candidate.Length == bytes.Length && bytes.SequenceEqual(candidate))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Copies a short scalar's characters into a buffer without allocating; false when it does not fit or is not ASCII.</summary>
    internal bool TryCopyScalarChars(int index, Span<char> destination, out int written)
    {
        ref readonly var entry = ref Entry(index);
        written = 0;
        if ((entry.Flags & TapeFlags.InTable) != 0)
        {
            var text = _strings[entry.Payload];
            if (text.Length > destination.Length)
            {
                return false;
            }

            text.AsSpan().CopyTo(destination);
            written = text.Length;
            return true;
        }

        if (entry.Length > destination.Length)
        {
            return false;
        }

        var bytes = ((Utf8SourceText)Text).Bytes;
        for (var i = 0; i < entry.Length; i++)
        {
            var b = bytes[entry.Payload + i];
            if (b >= 0x80)
            {
                return false;
            }

            destination[i] = (char)b;
        }

        written = entry.Length;
        return true;
    }

    /// <summary>
    /// Bounds on a string's length in code points that cost nothing to compute: UTF-16 length (or UTF-8 bytes)
    /// is an upper bound, and half of it (or a quarter of the bytes) a lower bound.
    /// </summary>
    internal (int Minimum, int Maximum) GetCodePointBounds(int index)
    {
        ref readonly var entry = ref Entry(index);
        if ((entry.Flags & TapeFlags.InTable) != 0)
        {
            var length = _strings[entry.Payload].Length;
            return ((length + 1) / 2, length);
        }

        return ((entry.Length + 3) / 4, entry.Length);
    }

    /// <summary>Reads a JSON integer straight from the source bytes; false for YAML scalars, which are read from their text.</summary>
    internal bool TryParseUtf8Integer(int index, out long value)
    {
        value = 0;
        return TryGetSourceBytes(index, out var bytes) && System.Buffers.Text.Utf8Parser.TryParse(bytes, out value, out var consumed) && consumed == bytes.Length;
    }

    /// <summary>Reads a JSON number straight from the source bytes; false for YAML scalars, which are read from their text.</summary>
    internal bool TryParseUtf8Number(int index, out double value)
    {
        value = 0;
        return TryGetSourceBytes(index, out var bytes) && System.Buffers.Text.Utf8Parser.TryParse(bytes, out value, out var consumed) && consumed == bytes.Length;
    }

    /// <summary>A scalar's bytes in the source, when its text is there rather than in the string table.</summary>
    private bool TryGetSourceBytes(int index, out ReadOnlySpan<byte> bytes)
    {
        ref readonly var entry = ref Entry(index);
        bytes = (entry.Flags & TapeFlags.InTable) != 0 ? default : ((Utf8SourceText)Text).Bytes.AsSpan(entry.Payload, entry.Length);
        return (entry.Flags & TapeFlags.InTable) == 0;
    }

    /// <summary>Counts Unicode code points, as JSON Schema's length keywords do.</summary>
    internal int GetScalarCodePointCount(int index)
    {
        ref readonly var entry = ref Entry(index);
        if ((entry.Flags & TapeFlags.InTable) != 0)
        {
            var text = _strings[entry.Payload];
            var count = text.Length;
            foreach (var c in text)
            {
                if (char.IsLowSurrogate(c))
                {
                    count--;
                }
            }

            return count;
        }

        var bytes = ((Utf8SourceText)Text).Bytes;
        var points = 0;
        for (var i = entry.Payload; i < entry.Payload + entry.Length; i++)
        {
            if ((bytes[i] & 0xC0) != 0x80)
            {
                points++;
            }
        }

        return points;
    }

    internal SourceLocation GetLocation(int index)
    {
        ref readonly var entry = ref Entry(index);
        return Text.Locate(Path, entry.Start, entry.End);
    }

    /// <summary>
    /// The path from the root to a value: property names and item indexes. Found by descending the tape, so it
    /// costs nothing until a diagnostic asks for it.
    /// </summary>
    internal IReadOnlyList<(string? Name, int Index)> GetPath(int index)
    {
        var path = new List<(string? Name, int Index)>();
        var current = 0;
        while (current != index)
        {
            ref readonly var container = ref Entry(current);
            var child = current + 1;
            var position = 0;
            while (true)
            {
                var valueIndex = container.Kind == DocumentValueKind.Mapping ? child + 1 : child;
                var valueEnd = EndOf(valueIndex);
                if (index == child && container.Kind == DocumentValueKind.Mapping)
                {
                    // A key: its path is its mapping's path plus its own name.
                    path.Add((GetScalarText(child), -1));
                    return path;
                }

                if (index >= valueIndex && index < valueEnd)
                {
                    path.Add(container.Kind == DocumentValueKind.Mapping ? (GetScalarText(child), -1) : (null, position));
                    current = valueIndex;
                    break;
                }

                child = valueEnd;
                position++;
            }
        }

        return path;
    }

    private int EndOf(int index)
    {
        ref readonly var entry = ref Entry(index);
        return entry.Kind is DocumentValueKind.Mapping or DocumentValueKind.Sequence ? entry.Payload : index + 1;
    }
}

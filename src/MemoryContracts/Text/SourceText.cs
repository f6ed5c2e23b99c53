namespace MemoryContracts.Text;

/// <summary>
/// The text of a fixture file, addressed by offsets. Line starts are computed on first use, so a file that
/// produces no diagnostic never pays for them.
/// </summary>
internal abstract class SourceText
{
    private int[]? _lineStarts;

    /// <summary>
    /// The last position computed. Positions are mostly asked for in document order (a model read node by node, a
    /// range's start then its end), so counting on from here keeps a file of one long line (minified JSON) linear.
    /// Replaced whole, so concurrent readers see one consistent cursor or another.
    /// </summary>
    private Cursor? _cursor;

    /// <summary>The number of offset units (bytes or chars) in the text.</summary>
    public abstract int Length { get; }

    /// <summary>Returns the 1-based line and column of an offset.</summary>
    public LinePosition GetPosition(int offset)
    {
        var lineStarts = _lineStarts ??= ComputeLineStarts();
        offset = Math.Max(0, Math.Min(offset, Length));
        var cursor = _cursor;
        var line = cursor is not null && OnLine(lineStarts, cursor.Line, offset) ? cursor.Line
            : cursor is not null && OnLine(lineStarts, cursor.Line + 1, offset) ? cursor.Line + 1
            : FindLine(lineStarts, offset);
        var column = cursor is not null && cursor.Line == line && cursor.Offset <= offset
            ? cursor.Column + CountColumns(cursor.Offset, offset)
            : CountColumns(lineStarts[line], offset);
        _cursor = new Cursor(offset, line, column);
        return new LinePosition(line + 1, column + 1);
    }

    /// <summary>Whether the offset is on the 0-based line (the cursor's line or the next one: no search needed).</summary>
    private static bool OnLine(int[] lineStarts, int line, int offset) =>
        line < lineStarts.Length && offset >= lineStarts[line] && (line + 1 == lineStarts.Length || offset < lineStarts[line + 1]);

    private static int FindLine(int[] lineStarts, int offset)
    {
        var index = Array.BinarySearch(lineStarts, offset);
        return index >= 0 ? index : ~index - 1;
    }

    /// <summary>The location of the range [start, end) in the file at <paramref name="path"/>.</summary>
    public Diagnostics.SourceLocation Locate(string path, int start, int end)
    {
        var from = GetPosition(start);
        var to = GetPosition(end);
        return new Diagnostics.SourceLocation(path, from.Line, from.Column, to.Line, to.Column);
    }

    /// <summary>Returns the offset of the first unit of a 1-based line, or the text's end for a line past it.</summary>
    public int GetLineStart(int line)
    {
        var lineStarts = _lineStarts ??= ComputeLineStarts();
        return line >= 1 && line <= lineStarts.Length ? lineStarts[line - 1] : Length;
    }

    /// <summary>Counts the columns (UTF-16 code units) between two offsets on one line (the first may be mid-line).</summary>
    protected abstract int CountColumns(int lineStart, int offset);

    /// <summary>An offset with its 0-based line and column.</summary>
    private sealed record Cursor(int Offset, int Line, int Column);

    /// <summary>Finds the offset of every line start; a line ends with LF, CRLF or a lone CR.</summary>
    protected abstract int[] ComputeLineStarts();
}

/// <summary>A UTF-8 source, addressed by byte offsets (the JSON reader's positions).</summary>
internal sealed class Utf8SourceText(byte[] bytes, int start) : SourceText
{
    /// <summary>The raw bytes, including a byte order mark if the file had one.</summary>
    public byte[] Bytes { get; } = bytes;

    /// <summary>The offset of the first byte after a byte order mark.</summary>
    public int Start { get; } = start;

    public override int Length => Bytes.Length;

    protected override int CountColumns(int lineStart, int offset) => CountUtf16(lineStart, offset);

    /// <summary>The UTF-16 code units the bytes [from, to) decode to (a four-byte sequence is a surrogate pair).</summary>
    public int CountUtf16(int from, int to)
    {
        var units = 0;
        for (var i = Math.Max(from, Start); i < to; i++)
        {
            var b = Bytes[i];
            if ((b & 0xC0) != 0x80)
            {
                units += b >= 0xF0 ? 2 : 1;
            }
        }

        return units;
    }

    protected override int[] ComputeLineStarts()
    {
        var starts = new List<int> { 0 };
        var span = Bytes.AsSpan();
        var position = 0;
        while (position < span.Length)
        {
            var next = span.Slice(position).IndexOfAny((byte)'\n', (byte)'\r');
            if (next < 0)
            {
                break;
            }

            position += next;
            position += span[position] == '\r' && position + 1 < span.Length && span[position + 1] == '\n' ? 2 : 1;
            starts.Add(position);
        }

        return starts.ToArray();
    }
}

/// <summary>A decoded source, addressed by char offsets (the YAML reader's positions).</summary>
internal sealed class StringSourceText(string text) : SourceText
{
    /// <summary>The decoded text.</summary>
    public string Text { get; } = text;

    public override int Length => Text.Length;

    protected override int CountColumns(int lineStart, int offset) => offset - lineStart;

    protected override int[] ComputeLineStarts()
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < Text.Length; i++)
        {
            var c = Text[i];
            if (c == '\n' || (c == '\r' && (i + 1 >= Text.Length || Text[i + 1] != '\n')))
            {
                starts.Add(i + 1);
            }
        }

        return starts.ToArray();
    }
}

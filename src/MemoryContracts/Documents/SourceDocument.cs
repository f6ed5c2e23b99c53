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
    private readonly TapeEntry[] _tape;
    private readonly string[] _strings;

    internal SourceDocument(string path, DocumentFormat format, SourceText text, TapeEntry[] tape, string[] strings)
    {
        Path = path;
        Format = format;
        Text = text;
        _tape = tape;
        _strings = strings;
    }

    /// <summary>The file as the user named it; diagnostics use this path.</summary>
    public string Path { get; }

    /// <summary>Whether the file was YAML or JSON.</summary>
    public DocumentFormat Format { get; }

    /// <summary>The document's root value.</summary>
    public DocumentNode Root => new(this, 0);

    /// <summary>The number of values in the document, aliases expanded.</summary>
    public int ValueCount => _tape.Length;

    internal SourceText Text { get; }

    internal ref readonly TapeEntry Entry(int index) => ref _tape[index];

    internal string GetScalarText(int index)
    {
        ref readonly var entry = ref _tape[index];
        if ((entry.Flags & TapeFlags.InTable) != 0)
        {
            return _strings[entry.Payload];
        }

        var bytes = ((Utf8SourceText)Text).Bytes;
        return Encoding.UTF8.GetString(bytes, entry.Payload, entry.Length);
    }

    /// <summary>Counts Unicode code points, as JSON Schema's length keywords do.</summary>
    internal int GetScalarCodePointCount(int index)
    {
        ref readonly var entry = ref _tape[index];
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
        ref readonly var entry = ref _tape[index];
        var start = Text.GetPosition(entry.Start);
        var end = Text.GetPosition(entry.End);
        return new SourceLocation(Path, start.Line, start.Column, end.Line, end.Column);
    }

    /// <summary>The location of a source offset, for diagnostics that do not belong to a value.</summary>
    internal SourceLocation GetLocationAt(int offset)
    {
        var position = Text.GetPosition(offset);
        return new SourceLocation(Path, position.Line, position.Column, position.Line, position.Column);
    }
}

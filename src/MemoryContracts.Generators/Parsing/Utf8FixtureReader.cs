using System.Collections.Generic;
using System.Text;
using MemoryContracts.Documents;
using MemoryContracts.Generators.Model;
using MemoryContracts.Text;

namespace MemoryContracts.Generators.Parsing;

/// <summary>
/// Reads a fixture with the contract core's byte YAML reader, which takes the YAML fixtures are written in straight
/// from UTF-8 into a tape, and declines everything else (anchors, tags, multi-line flow, malformed text); the caller
/// then reads the file with the YamlDotNet tree. Both give the same model: the values are the scalars' text, and the
/// positions the same characters, lines and columns (a differential test holds them equal).
/// </summary>
internal static class Utf8FixtureReader
{
    /// <summary>The model of a fixture the byte reader reads exactly and whose root is a mapping, or null.</summary>
    public static FixtureModel? TryParse(string path, string name, string text)
    {
        // An unpaired surrogate would not survive encoding (the tree reads it as it is); a NUL the byte reader declines anyway.
        if (TextProblems.Of(text, DocumentLimits.Default) is not null)
        {
            return null;
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        var source = new Utf8SourceText(bytes, 0);
        if (Utf8YamlReader.TryRead(path, source, DocumentLimits.Default) is not { Root: { IsMapping: true } root })
        {
            return null;
        }

        var offsets = new CharOffsets(source);
        return new FixtureModel(
            path,
            name,
            Text(root, "schema_version"),
            Text(root, "id"),
            Text(root, "title"),
            Elements(root, "nodes", source, offsets),
            Elements(root, "edges", source, offsets),
            Elements(root, "events", source, offsets),
            EquatableArray<DiagnosticInfo>.Empty);
    }

    /// <summary>The text of a scalar value of the mapping, as the tree's <see cref="YamlTreeNode.Text"/> gives it.</summary>
    private static string? Text(DocumentNode mapping, string key) =>
        mapping.TryGetProperty(key, out var value) && !value.IsMapping && !value.IsSequence ? value.GetString() : null;

    /// <summary>The elements with a scalar id among the mapping items of a sequence (see <see cref="FixtureParser"/>).</summary>
    private static EquatableArray<ElementModel> Elements(DocumentNode root, string key, Utf8SourceText source, CharOffsets offsets)
    {
        if (!root.TryGetProperty(key, out var list) || !list.IsSequence)
        {
            return EquatableArray<ElementModel>.Empty;
        }

        var elements = new List<ElementModel>(list.Count);
        foreach (var item in list.EnumerateItems())
        {
            if (item.IsMapping && item.TryGetProperty("id", out var id) && !id.IsMapping && !id.IsSequence)
            {
                elements.Add(new ElementModel(id.GetString(), Text(item, "kind"), Text(item, "title") ?? Text(item, "summary"), Position(id, source, offsets)));
            }
        }

        return new EquatableArray<ElementModel>(elements);
    }

    private static FilePosition Position(DocumentNode node, Utf8SourceText source, CharOffsets offsets)
    {
        ref readonly var entry = ref node.Document.Entry(node.Index);
        var (start, end) = (entry.Start, entry.End);
        var from = source.GetPosition(start);
        var to = source.GetPosition(end);
        return new FilePosition(offsets.ToChars(start), offsets.ToChars(end), from.Line - 1, from.Column - 1, to.Line - 1, to.Column - 1);
    }

    /// <summary>
    /// Turns byte offsets into character (UTF-16) offsets, counting on from the last one asked for: ids are asked
    /// for in document order, so a file is counted once.
    /// </summary>
    private sealed class CharOffsets(Utf8SourceText source)
    {
        private int _byte;
        private int _char;

        public int ToChars(int offset)
        {
            if (offset < _byte)
            {
                _byte = 0;
                _char = 0;
            }

            _char += source.CountUtf16(_byte, offset);
            _byte = offset;
            return _char;
        }
    }
}

using MemoryContracts.Documents;

namespace MemoryContracts.Tests;

/// <summary>A document's values written out one per line (kind, positions, and count or text), for comparing two reads.</summary>
internal static class DocumentDump
{
    /// <summary>One value: a container's kind, range, child count and next index; a scalar's kind, range and text.</summary>
    public static string Describe(SourceDocument document, int index)
    {
        ref readonly var entry = ref document.Entry(index);
        var location = document.GetLocation(index);
        var position = $"{location.Line}:{location.Column}-{location.EndLine}:{location.EndColumn}";
        return entry.Kind is DocumentValueKind.Mapping or DocumentValueKind.Sequence
            ? $"{entry.Kind} {position} count={entry.Length} next={entry.Payload}"
            : $"{entry.Kind} {position} «{document.GetScalarText(index)}»";
    }

    /// <summary>Every value, in tape order.</summary>
    public static string Dump(SourceDocument document) =>
        string.Join("\n", Enumerable.Range(0, document.ValueCount).Select(i => Describe(document, i)));
}

namespace MemoryContracts.Documents;

/// <summary>How a tape entry's payload is to be read.</summary>
[Flags]
internal enum TapeFlags : byte
{
    None = 0,

    /// <summary>The scalar's text is in the string table at <see cref="TapeEntry.Payload"/>.</summary>
    InTable = 1,
}

/// <summary>
/// One value of a document, stored flat: a container is followed by its children (a mapping by key, value,
/// key, value ...), so a whole document is one array and navigating it allocates nothing.
/// </summary>
internal struct TapeEntry
{
    /// <summary>Source offset of the value's first unit.</summary>
    public int Start;

    /// <summary>Source offset just past the value's last unit.</summary>
    public int End;

    /// <summary>Containers: index of the entry after the subtree. Scalars: string-table index or source byte offset.</summary>
    public int Payload;

    /// <summary>Containers: child count (pairs for mappings). Scalars outside the table: byte length.</summary>
    public int Length;

    public DocumentValueKind Kind;

    public TapeFlags Flags;
}

/// <summary>Accumulates tape entries and the string table while a reader walks a document.</summary>
internal sealed class TapeBuilder(int capacity)
{
    private TapeEntry[] _entries = new TapeEntry[Math.Max(16, capacity)];

    public int Count { get; private set; }

    public List<string> Strings { get; } = new();

    public ref TapeEntry this[int index] => ref _entries[index];

    public int Add(DocumentValueKind kind, int start, int end, int payload, int length, TapeFlags flags)
    {
        if (Count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        ref var entry = ref _entries[Count];
        entry.Kind = kind;
        entry.Start = start;
        entry.End = end;
        entry.Payload = payload;
        entry.Length = length;
        entry.Flags = flags;
        return Count++;
    }

    public int AddString(string value)
    {
        Strings.Add(value);
        return Strings.Count - 1;
    }

    /// <summary>Copies the subtree at [start, end) to the end of the tape (YAML alias expansion).</summary>
    public void CopySubtree(int start, int end)
    {
        var delta = Count - start;
        for (var i = start; i < end; i++)
        {
            var copy = _entries[i];
            if (copy.Kind is DocumentValueKind.Mapping or DocumentValueKind.Sequence)
            {
                copy.Payload += delta;
            }

            Add(copy.Kind, copy.Start, copy.End, copy.Payload, copy.Length, copy.Flags);
        }
    }

    public TapeEntry[] ToArray()
    {
        Array.Resize(ref _entries, Count);
        return _entries;
    }
}

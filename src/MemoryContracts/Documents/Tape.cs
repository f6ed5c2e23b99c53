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

/// <summary>
/// Accumulates tape entries and the string table while a reader walks a document. Entries live in fixed-size
/// chunks, so the tape grows without ever copying what it holds and uses no more memory than it needs.
/// </summary>
internal sealed class TapeBuilder(int sourceLength, int stringCapacity = 0)
{
    internal const int ChunkShift = 16;
    internal const int ChunkMask = (1 << ChunkShift) - 1;

    /// <summary>
    /// The first chunk's size: a value takes about eight bytes of a fixture (key, value and punctuation), so a small
    /// document (a record checked on every append) gets a chunk its size instead of a fixed one mostly never written.
    /// </summary>
    private readonly int _firstChunk = Math.Min(256, Math.Max(16, sourceLength / 8));

    /// <summary>The length of the source the tape is read from, in its offset units; buffers are sized from it.</summary>
    public int SourceLength { get; } = sourceLength;

    private TapeEntry[][] _chunks = new TapeEntry[16][];

    public int Count { get; private set; }

    public List<string> Strings { get; } = new(stringCapacity);

    /// <summary>The chunks; entry <c>i</c> is <c>Chunks[i &gt;&gt; ChunkShift][i &amp; ChunkMask]</c>.</summary>
    public TapeEntry[][] Chunks => _chunks;

    public ref TapeEntry this[int index] => ref _chunks[index >> ChunkShift][index & ChunkMask];

    public int Add(DocumentValueKind kind, int start, int end, int payload, int length, TapeFlags flags)
    {
        if (IsFull)
        {
            Grow(null);
        }

        ref var entry = ref _chunks[Count >> ChunkShift][Count & ChunkMask];
        entry.Kind = kind;
        entry.Start = start;
        entry.End = end;
        entry.Payload = payload;
        entry.Length = length;
        entry.Flags = flags;
        return Count++;
    }

    /// <summary>Whether the next entry needs a new chunk, or a larger first one.</summary>
    private bool IsFull => (Count & ChunkMask) == 0 || (Count >> ChunkShift == 0 && Count == _chunks[0].Length);

    /// <summary>Makes room for the next entry: a new chunk (<paramref name="recycled"/> if given and full-sized), or a larger first one. Returns whether it took <paramref name="recycled"/>.</summary>
    private bool Grow(TapeEntry[]? recycled)
    {
        var chunk = Count >> ChunkShift;
        if ((Count & ChunkMask) != 0)
        {
            Array.Resize(ref _chunks[0], Math.Min(Count * 4, 1 << ChunkShift));
            return false;
        }

        if (chunk == _chunks.Length)
        {
            Array.Resize(ref _chunks, _chunks.Length * 2);
        }

        // Small documents get a small first chunk; it is replaced by a full one if they grow.
        var take = chunk > 0 && recycled is not null;
        _chunks[chunk] = take ? recycled! : new TapeEntry[chunk == 0 ? _firstChunk : 1 << ChunkShift];
        return take;
    }

    public int AddString(string value)
    {
        Strings.Add(value);
        return Strings.Count - 1;
    }

    /// <summary>
    /// Moves another tape's entries (a part of the same document read separately) to the end of this one: its
    /// containers' indices are moved by this tape's length and its table indices mapped through
    /// <paramref name="stringMap"/>. The other tape is consumed: its chunks, once copied, become this tape's next
    /// chunks, so the copy writes into memory already in use instead of memory the system must first provide.
    /// </summary>
    public void Append(TapeBuilder other, int[] stringMap)
    {
        var delta = Count;
        var spare = new Stack<TapeEntry[]>();
        var copied = 0;
        for (var c = 0; copied < other.Count; c++)
        {
            var source = other._chunks[c];
            var length = Math.Min(source.Length, other.Count - copied);
            for (var i = 0; i < length;)
            {
                if (IsFull && Grow(spare.Count > 0 ? spare.Peek() : null))
                {
                    spare.Pop();
                }

                var slot = Count & ChunkMask;
                var target = _chunks[Count >> ChunkShift];
                var run = Math.Min(length - i, target.Length - slot);
                for (var k = 0; k < run; k++)
                {
                    ref readonly var entry = ref source[i + k];
                    ref var copy = ref target[slot + k];
                    copy = entry;
                    if (entry.Kind is DocumentValueKind.Mapping or DocumentValueKind.Sequence)
                    {
                        copy.Payload += delta;
                    }
                    else if ((entry.Flags & TapeFlags.InTable) != 0)
                    {
                        copy.Payload = stringMap[entry.Payload];
                    }
                }

                Count += run;
                i += run;
            }

            copied += length;
            other._chunks[c] = null!;
            if (source.Length == 1 << ChunkShift)
            {
                spare.Push(source);
            }
        }

        other.Count = 0;
    }

    /// <summary>Copies the subtree at [start, end) to the end of the tape (YAML alias expansion).</summary>
    public void CopySubtree(int start, int end)
    {
        var delta = Count - start;
        for (var i = start; i < end; i++)
        {
            var copy = this[i];
            if (copy.Kind is DocumentValueKind.Mapping or DocumentValueKind.Sequence)
            {
                copy.Payload += delta;
            }

            Add(copy.Kind, copy.Start, copy.End, copy.Payload, copy.Length, copy.Flags);
        }
    }
}

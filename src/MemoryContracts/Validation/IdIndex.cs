using MemoryContracts.Documents;

namespace MemoryContracts.Validation;

/// <summary>
/// The ids of a graph, each with the element that declared it first and an ordinal. Lookups take characters,
/// so a reference can be checked without decoding it into a new string.
/// </summary>
internal sealed class IdIndex
{
    private const int MaxStackId = 256;
    private int[] _buckets;
    private Entry[] _entries;
    private int _count;

    public IdIndex(int capacity)
    {
        var size = 16;
        while (size < capacity * 2)
        {
            size *= 2;
        }

        _buckets = new int[size];
        _entries = new Entry[Math.Max(4, capacity)];
    }

    /// <summary>Declares an id; false (with the first declaration) when it is already declared.</summary>
    public bool TryAdd(DocumentNode id, ElementKind element, out (DocumentNode Id, ElementKind Element) first)
    {
        Span<char> buffer = stackalloc char[MaxStackId];
        var chars = id.GetChars(buffer);
        var hash = Hash(chars);
        var found = Find(chars, hash);
        if (found >= 0)
        {
            first = (_entries[found].Node, _entries[found].Element);
            return false;
        }

        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, _count * 2);
        }

        _entries[_count] = new Entry { Hash = hash, Id = chars.ToString(), Node = id, Element = element };
        Insert(_count++);
        if (_count * 2 > _buckets.Length)
        {
            _buckets = new int[_buckets.Length * 2];
            for (var i = 0; i < _count; i++)
            {
                Insert(i);
            }
        }

        first = default;
        return true;
    }

    /// <summary>Returns the ordinal of an id declared by an element of this kind, or -1.</summary>
    public int Find(DocumentNode reference, ElementKind element)
    {
        Span<char> buffer = stackalloc char[MaxStackId];
        var chars = reference.GetChars(buffer);
        var found = Find(chars, Hash(chars));
        return found >= 0 && _entries[found].Element == element ? found : -1;
    }

    /// <summary>Whether a string id was declared by an element of this kind.</summary>
    public bool Is(string id, ElementKind element) => Find(id.AsSpan(), Hash(id.AsSpan())) is var found && found >= 0 && _entries[found].Element == element;

    private int Find(ReadOnlySpan<char> id, int hash)
    {
        var mask = _buckets.Length - 1;
        for (var slot = hash & mask; _buckets[slot] != 0; slot = (slot + 1) & mask)
        {
            ref var entry = ref _entries[_buckets[slot] - 1];
            if (entry.Hash == hash && id.SequenceEqual(entry.Id.AsSpan()))
            {
                return _buckets[slot] - 1;
            }
        }

        return -1;
    }

    private void Insert(int entry)
    {
        var mask = _buckets.Length - 1;
        var slot = _entries[entry].Hash & mask;
        while (_buckets[slot] != 0)
        {
            slot = (slot + 1) & mask;
        }

        _buckets[slot] = entry + 1;
    }

    private static int Hash(ReadOnlySpan<char> chars)
    {
        var hash = 2166136261u;
        foreach (var c in chars)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash ^ (hash >> 15));
    }

    private struct Entry
    {
        public int Hash;
        public string Id;
        public DocumentNode Node;
        public ElementKind Element;
    }
}

/// <summary>The kind of graph element that declares an id.</summary>
internal enum ElementKind : byte
{
    Node,
    Edge,
    Event,
}

using System.Diagnostics;
using System.Runtime.CompilerServices;
using MemoryContracts.Documents;

namespace MemoryContracts.Validation;

/// <summary>
/// The ids of a graph, each with the element that declared it first and an ordinal. Lookups take characters, so a
/// reference can be checked without decoding it into a new string. Every id is one record in a shared pool of
/// characters (its hash, ordinal, declaring node, length and element, then the id itself), so a lookup reads a bucket
/// and one record, and declaring an id allocates nothing of its own.
/// </summary>
internal sealed class IdIndex
{
    private const int MaxStackId = 256;
    private const int HashAt = 0;
    private const int OrdinalAt = 2;
    private const int NodeAt = 4;
    private const int LengthAt = 6;
    private const int ElementAt = 8;
    private const int HeaderLength = 9;
    private int[] _buckets;
    private char[] _pool;
    private int _used;
    private int _count;
    private SourceDocument? _document;

    public IdIndex(int capacity)
    {
        var size = 16;
        while (size < capacity * 2)
        {
            size *= 2;
        }

        _buckets = new int[size];
        _pool = new char[Math.Max(64, capacity * (HeaderLength + 12))];
    }

    /// <summary>Declares an id; false (with the first declaration) when it is already declared.</summary>
    public bool TryAdd(DocumentNode id, ElementKind element, out (DocumentNode Id, ElementKind Element) first)
    {
        _document ??= id.Document;
        Debug.Assert(ReferenceEquals(_document, id.Document), "every id of an index comes from one document");
        Span<char> buffer = stackalloc char[MaxStackId];
        var chars = id.GetChars(buffer);
        var hash = Hash(chars);
        var found = Find(chars, hash);
        if (found >= 0)
        {
            first = (new DocumentNode(_document, Read(found + NodeAt)), (ElementKind)_pool[found + ElementAt]);
            return false;
        }

        var record = Append(chars, hash, id.Index, element);
        Insert(record, hash);
        if (++_count * 2 > _buckets.Length)
        {
            Rehash();
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
        return found >= 0 && (ElementKind)_pool[found + ElementAt] == element ? Read(found + OrdinalAt) : -1;
    }

    /// <summary>The offset of the record of an id in the pool, or -1.</summary>
    private int Find(ReadOnlySpan<char> id, int hash)
    {
        var buckets = _buckets;
        var pool = _pool;
        var mask = buckets.Length - 1;
        for (var slot = hash & mask; buckets[slot] != 0; slot = (slot + 1) & mask)
        {
            var record = buckets[slot] - 1;
            if (Read(pool, record + HashAt) == hash && Read(pool, record + LengthAt) == id.Length && id.SequenceEqual(pool.AsSpan(record + HeaderLength, id.Length)))
            {
                return record;
            }
        }

        return -1;
    }

    private int Append(ReadOnlySpan<char> id, int hash, int node, ElementKind element)
    {
        var record = _used;
        var end = record + HeaderLength + id.Length;
        if (end > _pool.Length)
        {
            Array.Resize(ref _pool, Math.Max(end, _pool.Length * 2));
        }

        Write(record + HashAt, hash);
        Write(record + OrdinalAt, _count);
        Write(record + NodeAt, node);
        Write(record + LengthAt, id.Length);
        _pool[record + ElementAt] = (char)element;
        id.CopyTo(_pool.AsSpan(record + HeaderLength));
        _used = end;
        return record;
    }

    private void Insert(int record, int hash)
    {
        var mask = _buckets.Length - 1;
        var slot = hash & mask;
        while (_buckets[slot] != 0)
        {
            slot = (slot + 1) & mask;
        }

        _buckets[slot] = record + 1;
    }

    private void Rehash()
    {
        _buckets = new int[_buckets.Length * 2];
        for (var record = 0; record < _used; record += HeaderLength + Read(record + LengthAt))
        {
            Insert(record, Read(record + HashAt));
        }
    }

    private int Read(int at) => Read(_pool, at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Read(char[] pool, int at) => pool[at] | (pool[at + 1] << 16);

    private void Write(int at, int value)
    {
        _pool[at] = (char)value;
        _pool[at + 1] = (char)(value >>> 16);
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
}

/// <summary>The kind of graph element that declares an id.</summary>
internal enum ElementKind : byte
{
    Node,
    Edge,
    Event,
}

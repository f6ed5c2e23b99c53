using System.Text;

namespace MemoryContracts.Documents;

/// <summary>
/// Gives repeated UTF-8 strings (property names, kinds, labels) one slot in a tape's string table, so a
/// large JSON document decodes each distinct short string once.
/// </summary>
internal sealed class Utf8Interner(TapeBuilder tape)
{
    private int[] _buckets = new int[256];
    private Entry[] _entries = new Entry[128];
    private int _count;

    /// <summary>Returns the string-table index of the string with these bytes, adding it if new.</summary>
    public int Intern(ReadOnlySpan<byte> utf8)
    {
        var hash = Hash(utf8);
        var bucket = hash & (_buckets.Length - 1);
        for (var i = _buckets[bucket] - 1; i >= 0; i = _entries[i].Next)
        {
            ref var entry = ref _entries[i];
            if (entry.Hash == hash && utf8.SequenceEqual(entry.Bytes))
            {
                return entry.StringIndex;
            }
        }

        var bytes = utf8.ToArray();
        var stringIndex = tape.AddString(Encoding.UTF8.GetString(bytes));
        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, _count * 2);
        }

        _entries[_count] = new Entry { Hash = hash, Bytes = bytes, StringIndex = stringIndex, Next = _buckets[bucket] - 1 };
        _buckets[bucket] = ++_count;
        if (_count > _buckets.Length)
        {
            Rehash();
        }

        return stringIndex;
    }

    private static int Hash(ReadOnlySpan<byte> utf8)
    {
        var hash = 2166136261u;
        foreach (var b in utf8)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash & 0x7FFFFFFF);
    }

    private void Rehash()
    {
        _buckets = new int[_buckets.Length * 4];
        for (var i = 0; i < _count; i++)
        {
            var bucket = _entries[i].Hash & (_buckets.Length - 1);
            _entries[i].Next = _buckets[bucket] - 1;
            _buckets[bucket] = i + 1;
        }
    }

    private struct Entry
    {
        public int Hash;
        public byte[] Bytes;
        public int StringIndex;
        public int Next;
    }
}

using System.Runtime.CompilerServices;
using System.Text;

namespace MemoryContracts.Documents;

/// <summary>
/// Gives repeated UTF-8 property names one slot in a tape's string table, so a large JSON document decodes
/// each distinct name once. ASCII names, the common case, are compared against the stored string directly.
/// </summary>
internal sealed class Utf8Interner(TapeBuilder tape)
{
    /// <summary>The cache of recent names, a power of two in size: a small document holds few names, so it gets a small one.</summary>
    private readonly (byte[]? Bytes, int Index)[] _recentKeys = new (byte[]? Bytes, int Index)[tape.SourceLength >= 4096 ? 256 : tape.SourceLength >= 1024 ? 64 : 16];
    private int[] _buckets = new int[64];
    private Entry[] _entries = new Entry[32];
    private int _count;

    /// <summary>
    /// Interns a property name. A document uses few distinct names over and over, so a small direct-mapped cache
    /// answers almost every lookup with one comparison before the hash table is consulted.
    /// </summary>
    public int InternKey(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length == 0)
        {
            return Intern(utf8);
        }

        ref var recent = ref _recentKeys[((utf8.Length * 31) + (utf8[0] * 7) + utf8[utf8.Length - 1]) & (_recentKeys.Length - 1)];
        if (recent.Bytes is not null && utf8.SequenceEqual(recent.Bytes))
        {
            return recent.Index;
        }

        var index = Intern(utf8);
        recent = (utf8.ToArray(), index);
        return index;
    }

    /// <summary>Which of the tape's strings this interner entered (the others were added to the table directly).</summary>
    public bool[] InternedIndices()
    {
        var interned = new bool[tape.Strings.Count];
        for (var i = 0; i < _count; i++)
        {
            interned[_entries[i].StringIndex] = true;
        }

        return interned;
    }

    /// <summary>Returns the string-table index of the string with these bytes, adding it if new.</summary>
    [MethodImpl(HotPath.Options)]
    public int Intern(ReadOnlySpan<byte> utf8)
    {
        var hash = Hash(utf8);
        var bucket = hash & (_buckets.Length - 1);
        for (var i = _buckets[bucket] - 1; i >= 0; i = _entries[i].Next)
        {
            ref var entry = ref _entries[i];
            if (entry.Hash == hash && Matches(ref entry, utf8))
            {
                return entry.StringIndex;
            }
        }

        var ascii = IsAscii(utf8);
        var text = ascii ? AsciiString(utf8) : Encoding.UTF8.GetString(utf8.ToArray());
        var stringIndex = tape.AddString(text);
        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, _count * 2);
        }

        _entries[_count] = new Entry { Hash = hash, Text = text, Bytes = ascii ? null : utf8.ToArray(), StringIndex = stringIndex, Next = _buckets[bucket] - 1 };
        _buckets[bucket] = ++_count;
        if (_count > _buckets.Length)
        {
            Rehash();
        }

        return stringIndex;
    }

    private static bool Matches(ref Entry entry, ReadOnlySpan<byte> utf8)
    {
        if (entry.Bytes is not null)
        {
            return utf8.SequenceEqual(entry.Bytes);
        }

        var text = entry.Text;
        if (text.Length != utf8.Length)
        {
            return false;
        }

        for (var i = 0; i < utf8.Length; i++)
        {
            if (text[i] != utf8[i])
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAscii(ReadOnlySpan<byte> utf8)
    {
        foreach (var b in utf8)
        {
            if (b >= 0x80)
            {
                return false;
            }
        }

        return true;
    }

    private static string AsciiString(ReadOnlySpan<byte> utf8)
    {
        // Keys can be as long as a hostile file makes them; only short ones go on the stack.
        Span<char> chars = utf8.Length <= 256 ? stackalloc char[utf8.Length] : new char[utf8.Length];
        for (var i = 0; i < utf8.Length; i++)
        {
            chars[i] = (char)utf8[i];
        }

        return chars.ToString();
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
        public string Text;
        public byte[]? Bytes;
        public int StringIndex;
        public int Next;
    }
}

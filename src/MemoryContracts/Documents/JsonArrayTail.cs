using MemoryContracts.Text;

namespace MemoryContracts.Documents;

/// <summary>
/// The second half of a large JSON document's array, read on another core while <see cref="JsonDocumentReader"/>
/// reads the first. It starts at a guess: a <c>}</c> near the middle followed by a comma. From there it reads values
/// separated by commas up to the <c>]</c> that closes them, each into a tape of its own. The guess is only used if the
/// main reader, arriving at that <c>}</c>, finds it closes an object that is an element of an array; then the bytes
/// after it are that array's remaining elements, which is exactly what this half read. Any doubt (a diagnostic, a
/// malformed value, nesting the limit would refuse, a guess inside a string) gives the half up, and the main
/// reader reads on as if it had never started.
/// </summary>
internal sealed class JsonArrayTail : IDisposable
{
    /// <summary>How far past the middle a split is looked for before the document is read in one pass.</summary>
    private const int SearchWindow = 1 << 16;

    private readonly Utf8SourceText _text;
    private readonly DocumentLimits _limits;
    private readonly int _splitBrace;
    private readonly Task<JsonDocumentReader?> _reading;
    private volatile bool _cancelled;
    private int _resume;

    private JsonArrayTail(Utf8SourceText text, DocumentLimits limits, int splitBrace)
    {
        _text = text;
        _limits = limits;
        _splitBrace = splitBrace;
        _reading = Task.Factory.StartNew(ReadElements, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The number of elements the tail holds, once joined.</summary>
    public int ElementCount { get; private set; }

    /// <summary>Starts reading the elements after the <c>}</c> at <paramref name="splitBrace"/> on another thread.</summary>
    public static JsonArrayTail Start(Utf8SourceText text, DocumentLimits limits, int splitBrace) => new(text, limits, splitBrace);

    /// <summary>
    /// The offset of a <c>}</c> near the middle of the document that is followed, past whitespace, by a comma and a
    /// <c>{</c>; -1 if there is none close to it. It may be inside a string: the main reader decides whether it is a split.
    /// </summary>
    public static int FindSplit(Utf8SourceText text) => FindSplit(text, text.Start + ((text.Bytes.Length - text.Start) / 2));

    /// <summary>The first <c>}</c> at or after <paramref name="from"/> that <see cref="FindSplit(Utf8SourceText)"/> would take.</summary>
    internal static int FindSplit(Utf8SourceText text, int from)
    {
        var bytes = text.Bytes;
        var to = Math.Min(bytes.Length, from + SearchWindow);
        for (var at = from; at < to; at++)
        {
            at = Array.IndexOf(bytes, (byte)'}', at, to - at);
            if (at < 0)
            {
                return -1;
            }

            // An object followed by another: in an array of objects, the usual large shape.
            var comma = SkipWhitespace(bytes, at + 1);
            var next = comma < bytes.Length && bytes[comma] == ',' ? SkipWhitespace(bytes, comma + 1) : bytes.Length;
            if (next < bytes.Length && bytes[next] == '{')
            {
                return at;
            }
        }

        return -1;
    }

    /// <summary>
    /// Waits for the tail and appends it to <paramref name="tape"/> (its containers' indices moved, its strings
    /// entered in the main table in the order a single pass would have entered them); returns the offset of the
    /// closing <c>]</c> to read on from, or null if the tail was given up (nothing is appended then).
    /// </summary>
    /// <param name="tape">The main reader's tape, read up to the split.</param>
    /// <param name="interner">The main tape's interner.</param>
    /// <param name="depth">The main reader's nesting at the split, the array included.</param>
    public int? Join(TapeBuilder tape, Utf8Interner interner, int depth)
    {
        var tail = _reading.GetAwaiter().GetResult();
        if (tail is null || depth + tail.DeepestNesting > _limits.MaxDepth)
        {
            return null;
        }

        var strings = tail.Tape.Strings;
        var interned = tail.Interner.InternedIndices();
        var map = new int[strings.Count];
        for (var i = 0; i < map.Length; i++)
        {
            map[i] = interned[i] ? interner.Intern(System.Text.Encoding.UTF8.GetBytes(strings[i])) : tape.AddString(strings[i]);
        }

        tape.Append(tail.Tape, map);
        return _resume;
    }

    /// <summary>Gives the tail up if it is still being read.</summary>
    public void Dispose() => _cancelled = true;

    private static int SkipWhitespace(byte[] bytes, int at)
    {
        while (at < bytes.Length && bytes[at] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            at++;
        }

        return at;
    }

    /// <summary>Reads <c>, value , value ... ]</c> from the comma after the split; null if it is not that.</summary>
    private JsonDocumentReader? ReadElements()
    {
        var bytes = _text.Bytes;
        var tail = JsonDocumentReader.ForTail(_text, _limits, bytes.Length - _splitBrace);
        var at = SkipWhitespace(bytes, _splitBrace + 1);
        var count = 0;
        while (at < bytes.Length && bytes[at] == ',' && !_cancelled)
        {
            at = tail.ReadOneValue(SkipWhitespace(bytes, at + 1));
            if (at < 0)
            {
                return null;
            }

            count++;
            at = SkipWhitespace(bytes, at);
            if (at < bytes.Length && bytes[at] == ']')
            {
                _resume = at;
                ElementCount = count;
                return tail;
            }
        }

        return null;
    }
}

using MemoryContracts.Text;

namespace MemoryContracts.Documents;

/// <summary>
/// The parts of a large JSON document that a second core reads while <see cref="JsonDocumentReader"/> reads from the
/// start. Each part begins at a guess: a <c>}</c> followed by <c>, {</c>. From there it reads values separated by
/// commas, each into a tape of its own, up to the <c>]</c> that closes them or to the next guess that ends one of them
/// (where the next part begins). The worker reads parts from the last to the first while the main reader goes forward,
/// so they meet wherever the work is halved. A part is used only if the main reader, arriving at its <c>}</c>, finds it
/// closes an element of an array: the bytes after it are then that array's remaining elements, which is exactly what
/// the part read. Any doubt (a diagnostic, a malformed value, nesting the limit would refuse, a guess inside a string,
/// a part not yet begun) leaves the part to the main reader, which reads on as if no part had been started.
/// </summary>
internal sealed class JsonParts : IDisposable
{
    /// <summary>How far past each cut a guess is looked for before that cut is dropped.</summary>
    private const int SearchWindow = 1 << 16;

    /// <summary>The smallest part worth another tape (about 3 ms of reading).</summary>
    private const int MinimumPartBytes = 1 << 20;

    /// <summary>Parts per document: small enough that the two readers meet with little waiting at the end.</summary>
    private const int PartsPerDocument = 32;

    private readonly Utf8SourceText _text;
    private readonly DocumentLimits _limits;
    private readonly int[] _braces;
    private readonly Part[] _parts;
    private readonly bool _awaitEveryPart;
    private readonly CancellationTokenSource _cancellation = new();

    private JsonParts(Utf8SourceText text, DocumentLimits limits, int[] braces, bool awaitEveryPart)
    {
        _awaitEveryPart = awaitEveryPart;
        _text = text;
        _limits = limits;
        _braces = braces;
        _parts = new Part[braces.Length];
        for (var i = 0; i < _parts.Length; i++)
        {
            _parts[i] = new Part();
        }

        Task.Factory.StartNew(ReadParts, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The number of guesses.</summary>
    public int Count => _braces.Length;

    /// <summary>The offset of the <c>}</c> the part at <paramref name="index"/> starts after.</summary>
    public int Brace(int index) => _braces[index];

    /// <summary>
    /// Starts reading the parts after the <c>}</c>s at <paramref name="braces"/> (ascending) on another thread. With
    /// <paramref name="awaitEveryPart"/> (tests), the main reader waits for every part instead of reading those the
    /// worker has not begun, so every part that can be joined is.
    /// </summary>
    public static JsonParts Start(Utf8SourceText text, DocumentLimits limits, int[] braces, bool awaitEveryPart) => new(text, limits, braces, awaitEveryPart);

    /// <summary>
    /// Guesses for a document: a <c>}</c> followed by <c>, {</c> (an object followed by another: in an array of objects,
    /// the usual large shape) after each of the cuts that divide the document into parts. A guess may be inside a
    /// string: the main reader decides whether it is a split.
    /// </summary>
    public static int[] FindSplits(Utf8SourceText text)
    {
        var length = text.Bytes.Length - text.Start;
        var partBytes = Math.Max(MinimumPartBytes, length / PartsPerDocument);
        var braces = new List<int>();
        for (var cut = text.Start + partBytes; cut < text.Bytes.Length; cut += partBytes)
        {
            var brace = FindSplit(text, Math.Max(cut, braces.Count > 0 ? braces[braces.Count - 1] + 1 : 0));
            if (brace >= 0)
            {
                braces.Add(brace);
            }
        }

        return braces.ToArray();
    }

    /// <summary>The first <c>}</c> at or after <paramref name="from"/> (within the search window) followed by <c>, {</c>; -1 if none.</summary>
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

            var comma = JsonWhitespace.Skip(bytes, at + 1);
            var next = comma < bytes.Length && bytes[comma] == ',' ? JsonWhitespace.Skip(bytes, comma + 1) : bytes.Length;
            if (next < bytes.Length && bytes[next] == '{')
            {
                return at;
            }
        }

        return -1;
    }

    /// <summary>
    /// The main reader is at the split at <paramref name="index"/>: returns the part if the worker read it (waiting
    /// for it if it is reading it), or null if the main reader is to read it (the worker will then not start it).
    /// </summary>
    public Part? Claim(int index)
    {
        var part = _parts[index];
        if (!_awaitEveryPart && Interlocked.CompareExchange(ref part.State, Part.Taken, Part.Pending) == Part.Pending)
        {
            return null;
        }

        part.Done.Wait();
        return part.Reader is null ? null : part;
    }

    /// <summary>The main reader went past the guess at <paramref name="index"/> (it was no split): the worker need not read it.</summary>
    public void Pass(int index) => Interlocked.CompareExchange(ref _parts[index].State, Part.Taken, Part.Pending);

    /// <summary>Stops the worker at the next container it closes.</summary>
    public void Dispose() => _cancellation.Cancel();

    /// <summary>The worker: from the last part to the first, until the main reader has taken the next one.</summary>
    private void ReadParts()
    {
        for (var index = _parts.Length - 1; index >= 0 && !_cancellation.IsCancellationRequested; index--)
        {
            var part = _parts[index];
            if (Interlocked.CompareExchange(ref part.State, Part.Reading, Part.Pending) != Part.Pending)
            {
                return;
            }

            try
            {
                ReadPart(index, part);
            }
            finally
            {
                part.Done.Set();
            }
        }
    }

    /// <summary>Reads <c>, value , value ...</c> from the comma after the guess, to a <c>]</c> or the next guess that ends a value.</summary>
    private void ReadPart(int index, Part part)
    {
        var bytes = _text.Bytes;
        var reader = JsonDocumentReader.ForPart(_text, _limits, (index + 1 < _braces.Length ? _braces[index + 1] : bytes.Length) - _braces[index], _cancellation.Token);
        var next = index + 1;
        var at = JsonWhitespace.Skip(bytes, _braces[index] + 1);
        while (at < bytes.Length && bytes[at] == ',' && !_cancellation.IsCancellationRequested)
        {
            at = reader.ReadOneValue(JsonWhitespace.Skip(bytes, at + 1));
            if (at < 0)
            {
                return;
            }

            part.Elements++;
            while (next < _braces.Length && _braces[next] < at - 1)
            {
                next++;
            }

            if (next < _braces.Length && _braces[next] == at - 1)
            {
                part.Handoff = next;
                part.Reader = reader;
                return;
            }

            at = JsonWhitespace.Skip(bytes, at);
            if (at < bytes.Length && bytes[at] == ']')
            {
                part.Close = at;
                part.Reader = reader;
                return;
            }
        }
    }

    /// <summary>One part: its state, and once read, its tape and where it ended.</summary>
    internal sealed class Part
    {
        public const int Pending = 0;
        public const int Reading = 1;
        public const int Taken = 2;

        /// <summary><see cref="Pending"/>, <see cref="Reading"/> (by the worker) or <see cref="Taken"/> (by the main reader).</summary>
        public int State;

        /// <summary>Set when the worker has finished with the part, read or given up.</summary>
        public ManualResetEventSlim Done { get; } = new(false);

        /// <summary>The reader holding the part's tape, or null if the part was given up.</summary>
        public JsonDocumentReader? Reader { get; set; }

        /// <summary>The number of array elements read.</summary>
        public int Elements { get; set; }

        /// <summary>The guess the part ended at (where the next part begins), or -1 if it ended at a <c>]</c>.</summary>
        public int Handoff { get; set; } = -1;

        /// <summary>The offset of the <c>]</c> the part ended before, if <see cref="Handoff"/> is -1.</summary>
        public int Close { get; set; }
    }
}

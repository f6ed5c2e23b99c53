using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using MemoryContracts.Diagnostics;
using MemoryContracts.Text;

namespace MemoryContracts.Documents;

/// <summary>
/// Reads UTF-8 JSON into a tape, keeping the byte offset of every value. A large document is read on two cores at
/// once: parts of its arrays are read on the second (<see cref="JsonParts"/>) and joined to the tape only where this
/// reader proves a part starts between two elements of an array; everything else is read here, as in one pass.
/// </summary>
internal sealed class JsonDocumentReader
{
    /// <summary>Documents from this size are split when the machine has a second core.</summary>
    internal const int SplitThreshold = 4 << 20;

    private readonly string _path;
    private readonly Utf8SourceText _text;
    private readonly DocumentLimits _limits;
    private readonly List<ContractDiagnostic> _diagnostics;
    private readonly TapeBuilder _tape;
    private readonly Utf8Interner _interner;
    private readonly DuplicateKeyCheck _duplicateKeys;
    private readonly int[] _open;
    private readonly bool _oneValue;
    private CancellationToken _cancellation;
    private int _depth;
    private JsonParts? _parts;
    private int _split;
    private int _splitBrace = int.MaxValue;

    private JsonDocumentReader(string path, Utf8SourceText text, DocumentLimits limits, List<ContractDiagnostic> diagnostics, int sourceLength, bool oneValue)
    {
        _path = path;
        _text = text;
        _limits = limits;
        _diagnostics = diagnostics;
        _tape = new TapeBuilder(sourceLength);
        _interner = new Utf8Interner(_tape);
        _duplicateKeys = new DuplicateKeyCheck(_tape, Locate, diagnostics);
        _open = new int[limits.MaxDepth + 1];
        _oneValue = oneValue;
    }

    private enum Stop
    {
        /// <summary>The input ended (or, reading one value, the value did).</summary>
        Ended,

        /// <summary>The reader closed the object the split follows.</summary>
        AtSplit,

        /// <summary>A diagnostic was reported.</summary>
        Failed,
    }

    /// <summary>The tape read so far.</summary>
    internal TapeBuilder Tape => _tape;

    /// <summary>The string interner of <see cref="Tape"/>.</summary>
    internal Utf8Interner Interner => _interner;

    /// <summary>Whether reading reported anything.</summary>
    internal bool Reported => _diagnostics.Count > 0;

    /// <summary>Reads a document, or reports why it cannot be read and returns null.</summary>
    public static SourceDocument? Read(string path, Utf8SourceText text, DocumentLimits limits, List<ContractDiagnostic> diagnostics) =>
        Read(path, text, limits, diagnostics, text.Length - text.Start >= SplitThreshold && Environment.ProcessorCount > 1 ? JsonParts.FindSplits(text) : [], out _);

    /// <summary>
    /// Reads a document with parts starting after the <c>}</c>s at <paramref name="splitBraces"/> (ascending; empty:
    /// one pass); <paramref name="parts"/> is the number of parts joined into the document returned. With
    /// <paramref name="awaitEveryPart"/> (tests), every part that can be joined is (see <see cref="JsonParts.Start"/>).
    /// </summary>
    internal static SourceDocument? Read(string path, Utf8SourceText text, DocumentLimits limits, List<ContractDiagnostic> diagnostics, int[] splitBraces, out int parts, bool awaitEveryPart = false)
    {
        var reported = diagnostics.Count;
        if (splitBraces.Length > 0)
        {
            var document = new JsonDocumentReader(path, text, limits, diagnostics, text.Length - text.Start, oneValue: false).Read(splitBraces, awaitEveryPart, out parts);
            if (document is not null || parts == 0)
            {
                return document;
            }

            // An error after a join: the resumed reader's positions are not the file's, so read it again in one pass.
            diagnostics.RemoveRange(reported, diagnostics.Count - reported);
        }

        parts = 0;
        return new JsonDocumentReader(path, text, limits, diagnostics, text.Length - text.Start, oneValue: false).Read([], false, out _);
    }

    /// <summary>
    /// A reader for the values of an array's part, one <see cref="ReadOneValue"/> at a time, at the file's offsets;
    /// <paramref name="cancellation"/> fails the value being read at the next container it closes.
    /// </summary>
    internal static JsonDocumentReader ForPart(Utf8SourceText text, DocumentLimits limits, int sourceLength, CancellationToken cancellation) =>
        new(string.Empty, text, limits, [], sourceLength, oneValue: true) { _cancellation = cancellation };

    /// <summary>Reads one value starting at <paramref name="start"/>; returns the offset past it, or -1 if it is not one well-formed value.</summary>
    internal int ReadOneValue(int start)
    {
        var reader = new Utf8JsonReader(_text.Bytes.AsSpan(start), ReaderOptions(_limits));
        var values = _tape.Count;
        try
        {
            return ReadTokens(ref reader, start) == Stop.Ended && _depth == 0 && _tape.Count > values && !Reported ? start + (int)reader.BytesConsumed : -1;
        }
        catch (JsonException)
        {
            return -1;
        }
        catch (UnusableText)
        {
            return -1;
        }
    }

    /// <summary>The deepest container nesting this reader opened (0 if none).</summary>
    internal int DeepestNesting { get; private set; }

    private static JsonReaderOptions ReaderOptions(DocumentLimits limits) =>
        new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = limits.MaxDepth + 1 };

    private SourceDocument? Read(int[] splitBraces, bool awaitEveryPart, out int joined)
    {
        joined = 0;
        var baseOffset = _text.Start;
        var reader = new Utf8JsonReader(_text.Bytes.AsSpan(baseOffset), ReaderOptions(_limits));
        using var parts = _parts = splitBraces.Length > 0 ? JsonParts.Start(_text, _limits, splitBraces, awaitEveryPart) : null;
        _splitBrace = parts is null ? int.MaxValue : parts.Brace(0);
        try
        {
            var stop = ReadTokens(ref reader, baseOffset);
            while (stop == Stop.AtSplit)
            {
                // Join the parts read from here on, as long as each ends where the next begins.
                var resume = -1;
                var at = _split;
                while (parts!.Claim(at) is { } part && Join(part))
                {
                    joined++;
                    if (part.Handoff < 0)
                    {
                        resume = part.Close;
                        at = -1;
                        break;
                    }

                    resume = parts.Brace(part.Handoff) + 1;
                    at = part.Handoff;
                }

                if (resume >= 0)
                {
                    // After the '}' or before the ']': either way the state of a reader that has just closed an element.
                    reader = new Utf8JsonReader(_text.Bytes.AsSpan(resume), isFinalBlock: true, reader.CurrentState);
                    baseOffset = resume;
                }

                // Main reads the part at `at` itself (not read, or not joinable); after a ']', it reads on to the next guess.
                _split = at >= 0 ? at : _split;
                PassSplits(at >= 0 ? parts.Brace(at) + 1 : resume);
                stop = ReadTokens(ref reader, baseOffset);
            }

            if (stop == Stop.Failed)
            {
                return null;
            }
        }
        catch (JsonException exception)
        {
            _diagnostics.Add(DiagnosticCatalog.MalformedDocument.Create(LocateException(exception), CleanMessage(exception.Message)));
            return null;
        }
        catch (UnusableText text)
        {
            _diagnostics.Add(DiagnosticCatalog.MalformedDocument.Create(text.Location, "not well-formed JSON: " + text.Message));
            return null;
        }

        return new SourceDocument(_path, DocumentFormat.Json, _text, _tape);
    }

    [MethodImpl(HotPath.Options)]
    private Stop ReadTokens(ref Utf8JsonReader reader, int baseOffset)
    {
        var open = _open;
        while (reader.Read())
        {
            var start = baseOffset + (int)reader.TokenStartIndex;
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    if (_depth >= _limits.MaxDepth)
                    {
                        _diagnostics.Add(DiagnosticCatalog.NestingTooDeep.Create(Locate(start, start + 1), _limits.MaxDepth));
                        return Stop.Failed;
                    }

                    var kind = reader.TokenType == JsonTokenType.StartObject ? DocumentValueKind.Mapping : DocumentValueKind.Sequence;
                    open[_depth++] = _tape.Add(kind, start, start, 0, 0, TapeFlags.None);
                    DeepestNesting = Math.Max(DeepestNesting, _depth);
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    Close(open[--_depth], start + 1);
                    CountChild(open, _depth);
                    if (start >= _splitBrace)
                    {
                        // A part is joined only where this object ends as an element of an array.
                        PassSplits(start);
                        if (start == _splitBrace && reader.TokenType == JsonTokenType.EndObject && _depth > 0 && _tape[open[_depth - 1]].Kind == DocumentValueKind.Sequence)
                        {
                            return Stop.AtSplit;
                        }

                        PassSplits(start + 1);
                    }

                    if (_oneValue && (_depth == 0 || _cancellation.IsCancellationRequested))
                    {
                        return _depth == 0 ? Stop.Ended : Stop.Failed;
                    }

                    break;
                case JsonTokenType.PropertyName:
                    AddKey(ref reader, start);
                    break;
                case JsonTokenType.String:
                    AddString(ref reader, start);
                    CountChild(open, _depth);
                    if (_oneValue && _depth == 0)
                    {
                        return Stop.Ended;
                    }

                    break;
                default:
                    AddLiteral(ref reader, start);
                    CountChild(open, _depth);
                    if (_oneValue && _depth == 0)
                    {
                        return Stop.Ended;
                    }

                    break;
            }
        }

        return Stop.Ended;
    }

    /// <summary>Gives up the guesses before <paramref name="offset"/> (the reader is past them) and watches for the next.</summary>
    private void PassSplits(int offset)
    {
        while (_splitBrace < offset)
        {
            _parts!.Pass(_split++);
            _splitBrace = _split < _parts.Count ? _parts.Brace(_split) : int.MaxValue;
        }
    }

    /// <summary>Appends a part read on the other core, if its nesting is within the limit at this depth.</summary>
    private bool Join(JsonParts.Part part)
    {
        var read = part.Reader!;
        if (_depth + read.DeepestNesting > _limits.MaxDepth)
        {
            return false;
        }

        // Its strings enter this table in the order one pass would have entered them.
        var strings = read.Tape.Strings;
        var interned = read.Interner.InternedIndices();
        var map = new int[strings.Count];
        for (var i = 0; i < map.Length; i++)
        {
            map[i] = interned[i] ? _interner.Intern(Encoding.UTF8.GetBytes(strings[i])) : _tape.AddString(strings[i]);
        }

        _tape.Append(read.Tape, map);
        _tape[_open[_depth - 1]].Length += part.Elements;
        return true;
    }

    private void Close(int container, int end)
    {
        ref var entry = ref _tape[container];
        entry.End = end;
        entry.Payload = _tape.Count;
        if (entry.Kind == DocumentValueKind.Mapping)
        {
            _duplicateKeys.Check(container);
        }
    }

    private void CountChild(int[] open, int depth)
    {
        if (depth > 0)
        {
            _tape[open[depth - 1]].Length++;
        }
    }

    private void AddKey(ref Utf8JsonReader reader, int start)
    {
        var index = reader.ValueIsEscaped ? _tape.AddString(Decode(ref reader, start, start + reader.ValueSpan.Length + 2)) : _interner.InternKey(reader.ValueSpan);
        _tape.Add(DocumentValueKind.String, start, start + reader.ValueSpan.Length + 2, index, 0, TapeFlags.InTable);
    }

    private void AddString(ref Utf8JsonReader reader, int start)
    {
        var raw = reader.ValueSpan;
        var end = start + raw.Length + 2;
        if (reader.ValueIsEscaped)
        {
            _tape.Add(DocumentValueKind.String, start, end, _tape.AddString(Decode(ref reader, start, end)), 0, TapeFlags.InTable);
        }
        else
        {
            _tape.Add(DocumentValueKind.String, start, end, start + 1, raw.Length, TapeFlags.None);
        }
    }

    /// <summary>An escaped string's text; an unpaired surrogate escape or a NUL stops the reading with its position.</summary>
    private string Decode(ref Utf8JsonReader reader, int start, int end)
    {
        string text;
        try
        {
            text = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new UnusableText(Locate(start, end), "the string holds an unpaired surrogate escape (\\ud800-\\udfff without its pair), which is not Unicode text");
        }

        return TextProblems.Of(text, _limits) is { } problem ? throw new UnusableText(Locate(start, end), problem) : text;
    }

    private void AddLiteral(ref Utf8JsonReader reader, int start)
    {
        var raw = reader.ValueSpan;
        var kind = reader.TokenType switch
        {
            JsonTokenType.True or JsonTokenType.False => DocumentValueKind.Boolean,
            JsonTokenType.Null => DocumentValueKind.Null,
            _ => raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') >= 0 ? DocumentValueKind.Float : DocumentValueKind.Integer,
        };
        _tape.Add(kind, start, start + raw.Length, start, raw.Length, TapeFlags.None);
    }

    private SourceLocation Locate(int index) => Locate(_tape[index].Start, _tape[index].End);

    private SourceLocation Locate(int start, int end) => _text.Locate(_path, start, end);

    private SourceLocation LocateException(JsonException exception)
    {
        var line = (int)(exception.LineNumber ?? 0);
        var lineStart = line == 0 ? _text.Start : _text.GetLineStart(line + 1);
        var offset = lineStart + (int)(exception.BytePositionInLine ?? 0);
        return Locate(offset, offset);
    }

    private static string CleanMessage(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var text = cut >= 0 ? message.Substring(0, cut) : message;
        return "not well-formed JSON: " + text.Trim();
    }
}

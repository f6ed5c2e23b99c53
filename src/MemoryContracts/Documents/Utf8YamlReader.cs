using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using MemoryContracts.Diagnostics;
using MemoryContracts.Text;

namespace MemoryContracts.Documents;

/// <summary>
/// Reads the YAML that fixtures are written in straight from UTF-8 bytes into a tape, without decoding the file
/// or materializing a string per scalar: block mappings and sequences (compact and indentless ones too), flow
/// collections on one line, plain and quoted scalars on one line, literal and folded block scalars, comments and a
/// leading <c>---</c>. Anything else (anchors, tags, multi-line plain or quoted scalars, directives, tabs as
/// indentation, and every malformed document) makes it decline, and <see cref="DocumentLoader"/> reads the file
/// with <see cref="YamlDocumentReader"/>, so values, positions and diagnostics are the same whichever reader ran.
/// </summary>
/// <remarks>
/// Positions are byte offsets into a <see cref="Utf8SourceText"/>, which reports the same lines and UTF-16 columns as
/// the decoded text. Strings that need no decoding stay in the source bytes, as JSON strings do.
/// </remarks>
internal sealed class Utf8YamlReader
{
    /// <summary>A deeper document is left to the event reader, which reports the nesting limit.</summary>
    private const int RecursionLimit = 256;

    /// <summary>YAML limits implicit (simple) keys to 1,024 characters.</summary>
    private const int MaxSimpleKeyLength = 1024;

    /// <summary>
    /// Bytes the reader must look at before it can trust a file: controls, DEL and the lead bytes of the few
    /// non-ASCII characters YAML treats specially (C1 controls and NEL, LS and PS, BOM and non-characters).
    /// </summary>
    private static readonly bool[] Suspicious = CreateSuspicious();

    private readonly byte[] _bytes;
    private readonly DocumentLimits _limits;
    private readonly TapeBuilder _tape;
    private readonly Utf8Interner _interner;
    private readonly DuplicateKeyCheck _duplicateKeys;
    private readonly List<ContractDiagnostic> _duplicates = new();
    private readonly int _maxDepth;
    private int _position;
    private int _depth;

    /// <summary>The indentation of the content line <see cref="_position"/> is on, or -1 at the end of the file.</summary>
    private int _indent;

    private Utf8YamlReader(Utf8SourceText text, DocumentLimits limits)
    {
        _bytes = text.Bytes;
        _limits = limits;
        _position = text.Start;
        _tape = new TapeBuilder(text.Length - text.Start);
        _interner = new Utf8Interner(_tape);
        _duplicateKeys = new DuplicateKeyCheck(_tape, _ => default, _duplicates);
        _maxDepth = Math.Min(limits.MaxDepth, RecursionLimit);
    }

    /// <summary>Reads a document, or returns null when it is not in the subset this reader handles exactly.</summary>
    public static SourceDocument? TryRead(string path, Utf8SourceText text, DocumentLimits limits)
    {
        if (HasSuspiciousCharacter(text.Bytes, text.Start))
        {
            return null;
        }

        var reader = new Utf8YamlReader(text, limits);
        try
        {
            reader.ReadDocument();
        }
        catch (DeclinedException)
        {
            return null;
        }

        return new SourceDocument(path, DocumentFormat.Yaml, text, reader._tape);
    }

    private void ReadDocument()
    {
        SkipToContent();
        if (IsMarker((byte)'-'))
        {
            _position += 3;
            EndLine();
        }

        if (_indent < 0 || IsMarker((byte)'-') || IsMarker((byte)'.') || At(_position) == '%')
        {
            Decline();
        }

        ReadBlockNode(_indent);
        if (_indent >= 0)
        {
            Decline();
        }
    }

    /// <summary>Reads the block collection that starts at the content under the cursor, at column <paramref name="column"/>.</summary>
    private int ReadBlockNode(int column)
    {
        if (IsEntryIndicator(_position))
        {
            return ReadBlockSequence(column, indentless: false);
        }

        if (!TryReadKeyAhead(out var key))
        {
            Decline();
        }

        return ReadBlockMapping(column, key);
    }

    /// <summary>Reads a block mapping whose first key (under the cursor) the caller has already scanned.</summary>
    private int ReadBlockMapping(int column, Scalar key)
    {
        Enter();
        var mapping = _tape.Add(DocumentValueKind.Mapping, _position, _position, 0, 0, TapeFlags.None);
        var pairs = 0;
        var lastEnd = _position;
        while (true)
        {
            AddKey(key);
            _position = key.ColonEnd;
            lastEnd = ReadValue(column, key.ColonEnd);
            pairs++;
            if (_indent != column)
            {
                if (_indent > column)
                {
                    Decline();
                }

                break;
            }

            if (IsEntryIndicator(_position) || (column == 0 && (IsMarker((byte)'-') || IsMarker((byte)'.'))) || !TryReadKeyAhead(out key))
            {
                Decline();
            }
        }

        Close(mapping, pairs, lastEnd, isMapping: true);
        return lastEnd;
    }

    private int ReadBlockSequence(int column, bool indentless)
    {
        Enter();
        var sequence = _tape.Add(DocumentValueKind.Sequence, _position, _position + 1, 0, 0, TapeFlags.None);
        var items = 0;
        var lastEnd = _position + 1;
        while (true)
        {
            var dashEnd = ++_position;
            var spaces = SkipSpaces();
            if (NothingFollows(spaces))
            {
                EndLine();
                lastEnd = _indent > column ? ReadBlockNode(_indent) : AddEmpty(dashEnd);
            }
            else if (spaces == 0)
            {
                Decline();
            }
            else if (IsEntryIndicator(_position))
            {
                lastEnd = ReadBlockSequence(column + 1 + spaces, indentless: false);
            }
            else if (TryReadKeyAhead(out var key))
            {
                lastEnd = ReadBlockMapping(column + 1 + spaces, key);
            }
            else
            {
                lastEnd = ReadInlineValue(column);
            }

            items++;
            if (_indent != column || !IsEntryIndicator(_position))
            {
                if (_indent > column || (_indent == column && !indentless))
                {
                    Decline();
                }

                break;
            }
        }

        Close(sequence, items, lastEnd, isMapping: false);
        return lastEnd;
    }

    /// <summary>Reads the value after a mapping key's colon; leaves the cursor on the next content line.</summary>
    private int ReadValue(int column, int colonEnd)
    {
        if (!NothingFollows(SkipSpaces()))
        {
            return ReadInlineValue(column);
        }

        EndLine();
        if (_indent > column)
        {
            return ReadBlockNode(_indent);
        }

        if (_indent == column && IsEntryIndicator(_position))
        {
            return ReadBlockSequence(column, indentless: true);
        }

        return AddEmpty(colonEnd);
    }

    /// <summary>Reads a value that starts on the current line (a scalar, a flow collection or a block scalar) and the rest of that line.</summary>
    private int ReadInlineValue(int column)
    {
        int end;
        switch (At(_position))
        {
            case (byte)'[' or (byte)'{':
                end = ReadFlowCollection();
                break;
            case (byte)'"' or (byte)'\'':
                end = AddQuoted(ScanQuoted(_position));
                break;
            case (byte)'|' or (byte)'>':
                return ReadBlockScalar(column);
            default:
                if (!CanStartPlain(_position, inFlow: false))
                {
                    Decline();
                }

                var scalarEnd = ScanPlainInBlock(_position, out var stop, out _);
                if (stop == PlainStop.Colon)
                {
                    Decline();
                }

                end = AddPlain(_position, scalarEnd);
                _position = scalarEnd;
                break;
        }

        EndLine();
        return end;
    }

    private int ReadFlowCollection()
    {
        Enter();
        var isMapping = At(_position) == '{';
        var closer = isMapping ? (byte)'}' : (byte)']';
        var start = _position;
        var index = _tape.Add(isMapping ? DocumentValueKind.Mapping : DocumentValueKind.Sequence, start, start, 0, 0, TapeFlags.None);
        _position++;
        SkipSpaces();
        var count = 0;
        var lastEnd = start;
        if (At(_position) != closer)
        {
            while (true)
            {
                if (isMapping)
                {
                    var key = ScanFlowScalar(isKey: true);
                    AddKey(key);
                    SkipSpaces();
                    if (At(_position) != ':' || At(_position + 1) != ' ')
                    {
                        Decline();
                    }

                    _position++;
                    SkipSpaces();
                }

                lastEnd = At(_position) is (byte)'[' or (byte)'{' ? ReadFlowCollection() : AddFlowValue(ScanFlowScalar(isKey: false));
                count++;
                SkipSpaces();
                if (At(_position) == closer)
                {
                    break;
                }

                if (At(_position) != ',')
                {
                    Decline();
                }

                _position++;
                SkipSpaces();
                if (At(_position) is (byte)']' or (byte)'}' or (byte)',')
                {
                    Decline();
                }
            }
        }

        _position++;
        Close(index, count, lastEnd, isMapping);
        return lastEnd;
    }

    /// <summary>Scans a key or a value inside a flow collection: quoted, or plain up to a flow indicator.</summary>
    private Scalar ScanFlowScalar(bool isKey)
    {
        var start = _position;
        if (At(start) is (byte)'"' or (byte)'\'')
        {
            var quoted = ScanQuoted(start);
            if (isKey && quoted.End - quoted.Start > MaxSimpleKeyLength)
            {
                Decline();
            }

            _position = quoted.End;
            return quoted;
        }

        if (!CanStartPlain(start, inFlow: true))
        {
            Decline();
        }

        var end = start;
        var last = start;
        while (true)
        {
            var b = At(end);
            if (b is (byte)',' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' || IsLineEnd(end) || b == '\t')
            {
                break;
            }

            if (b == ':' && At(end + 1) is (byte)' ' or (byte)',' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)'\n' or (byte)'\r' or 0)
            {
                break;
            }

            if (b == '#' && At(end - 1) == ' ')
            {
                Decline();
            }

            end++;
            if (b != ' ')
            {
                last = end;
            }
        }

        if (At(end) is (byte)'[' or (byte)'{' or (byte)'\t' || IsLineEnd(end) || (!isKey && At(end) == ':') || (isKey && last - start > MaxSimpleKeyLength))
        {
            Decline();
        }

        _position = end;
        return new Scalar(start, last, start, last, Quote: 0, Escaped: false, ColonEnd: 0);
    }

    private int AddFlowValue(Scalar scalar) => scalar.Quote == 0 ? AddPlain(scalar.Start, scalar.End) : AddQuoted(scalar);

    /// <summary>
    /// Looks at the current line for a simple key: a plain or quoted scalar followed by a colon and a space or the
    /// line's end. Consumes nothing.
    /// </summary>
    private bool TryReadKeyAhead(out Scalar key)
    {
        key = default;
        var start = _position;
        var b = At(start);
        int end;
        int after;
        if (b is (byte)'"' or (byte)'\'')
        {
            var quoted = ScanQuoted(start);
            end = quoted.End;
            after = end;
            while (At(after) == ' ')
            {
                after++;
            }

            if (At(after) != ':' || !IsSpaceOrLineEnd(after + 1))
            {
                return false;
            }

            key = quoted with { ColonEnd = after + 1 };
        }
        else
        {
            if (!CanStartPlain(start, inFlow: false))
            {
                return false;
            }

            end = ScanPlainInBlock(start, out var stop, out after);
            if (stop != PlainStop.Colon)
            {
                return false;
            }

            key = new Scalar(start, end, start, end, Quote: 0, Escaped: false, ColonEnd: after + 1);
        }

        if (after - start > MaxSimpleKeyLength)
        {
            Decline();
        }

        return true;
    }

    /// <summary>
    /// Scans a plain scalar in block context from <paramref name="start"/>; returns the end of its text (trailing
    /// spaces excluded) and why it stopped. A colon followed by a space or the line end stops it (its offset in
    /// <paramref name="colon"/>), as do a comment and the line end.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    private int ScanPlainInBlock(int start, out PlainStop stop, out int colon)
    {
        colon = -1;
        var bytes = _bytes;
        var i = start;
        var last = start;
        while (true)
        {
            if (i >= bytes.Length)
            {
                stop = PlainStop.LineEnd;
                return last;
            }

            var b = bytes[i];
            switch (b)
            {
                case (byte)'\n' or (byte)'\r':
                    stop = PlainStop.LineEnd;
                    return last;
                case (byte)'\t':
                    Decline();
                    break;
                case (byte)':' when IsSpaceOrLineEnd(i + 1):
                    colon = i;
                    stop = PlainStop.Colon;
                    return last;
                case (byte)'#' when bytes[i - 1] == ' ':
                    stop = PlainStop.Comment;
                    return last;
                case (byte)' ':
                    i++;
                    continue;
            }

            last = ++i;
        }
    }

    /// <summary>Scans a quoted scalar on one line; declines a scalar that spans lines.</summary>
    private Scalar ScanQuoted(int start)
    {
        var quote = _bytes[start];
        var i = start + 1;
        var escaped = false;
        while (true)
        {
            var b = At(i);
            if (IsLineEnd(i))
            {
                Decline();
            }

            if (quote == '"' && b == '\\')
            {
                if (IsLineEnd(i + 1))
                {
                    Decline();
                }

                escaped = true;
                i += 2;
                continue;
            }

            if (b == quote)
            {
                if (quote == '\'' && At(i + 1) == '\'')
                {
                    escaped = true;
                    i += 2;
                    continue;
                }

                break;
            }

            i++;
        }

        return new Scalar(start, i + 1, start + 1, i, quote, escaped, ColonEnd: 0);
    }

    private void AddKey(Scalar key)
    {
        var index = key.Escaped
            ? _tape.AddString(Unescape(key))
            : _interner.InternKey(_bytes.AsSpan(key.TextStart, key.TextEnd - key.TextStart));
        _tape.Add(DocumentValueKind.String, key.Start, key.End, index, 0, TapeFlags.InTable);
    }

    private int AddQuoted(Scalar scalar)
    {
        if (scalar.Escaped)
        {
            _tape.Add(DocumentValueKind.String, scalar.Start, scalar.End, _tape.AddString(Unescape(scalar)), 0, TapeFlags.InTable);
        }
        else
        {
            _tape.Add(DocumentValueKind.String, scalar.Start, scalar.End, scalar.TextStart, scalar.TextEnd - scalar.TextStart, TapeFlags.None);
        }

        _position = scalar.End;
        return scalar.End;
    }

    /// <summary>Adds a plain scalar, resolved by the YAML 1.2 core schema; strings stay in the source bytes.</summary>
    private int AddPlain(int start, int end)
    {
        var bytes = _bytes.AsSpan(start, end - start);
        if (MayBeTyped(bytes))
        {
            var index = _interner.Intern(bytes);
            var kind = ScalarSyntax.ResolvePlain(_tape.Strings[index]);
            if (kind != DocumentValueKind.String)
            {
                _tape.Add(kind, start, end, index, 0, TapeFlags.InTable);
                return end;
            }
        }

        _tape.Add(DocumentValueKind.String, start, end, start, end - start, TapeFlags.None);
        return end;
    }

    /// <summary>Whether a plain scalar could resolve to something other than a string (null, boolean or number).</summary>
    private static bool MayBeTyped(ReadOnlySpan<byte> bytes) =>
        bytes[0] is (>= (byte)'0' and <= (byte)'9') or (byte)'+' or (byte)'-' or (byte)'.' ||
        (bytes.Length <= 5 && bytes[0] is (byte)'~' or (byte)'n' or (byte)'N' or (byte)'t' or (byte)'T' or (byte)'f' or (byte)'F');

    private int AddEmpty(int at)
    {
        _tape.Add(DocumentValueKind.Null, at, at, _interner.Intern(default), 0, TapeFlags.InTable);
        return at;
    }

    /// <summary>
    /// Reads a literal (<c>|</c>) or folded (<c>&gt;</c>) block scalar with an optional chomping indicator. Declines
    /// an explicit indentation indicator, leading empty lines, more-indented lines, tabs and a last line without a
    /// line break, whose folding this reader does not reproduce.
    /// </summary>
    private int ReadBlockScalar(int column)
    {
        var start = _position;
        var literal = At(_position) == '|';
        _position++;
        var chomping = At(_position) switch
        {
            (byte)'-' => Chomping.Strip,
            (byte)'+' => Chomping.Keep,
            _ => Chomping.Clip,
        };

        if (chomping != Chomping.Clip)
        {
            _position++;
        }

        if (!IsSpaceOrLineEnd(_position))
        {
            Decline();
        }

        SkipSpaces();
        if (At(_position) == '#')
        {
            SkipRestOfLine();
        }

        if (!IsLineEnd(_position))
        {
            Decline();
        }

        SkipLineBreak();
        var lines = new List<(int Start, int End)>();
        var blockIndent = -1;
        var contentLines = 0;
        var end = _position;
        while (_position < _bytes.Length)
        {
            var spaces = 0;
            while (At(_position + spaces) == ' ')
            {
                spaces++;
            }

            var contentStart = _position + spaces;
            var lineEnd = contentStart;
            while (!IsLineEnd(lineEnd))
            {
                if (At(lineEnd) == '\t')
                {
                    Decline();
                }

                lineEnd++;
            }

            var empty = lineEnd == contentStart;
            if (!empty && spaces < Math.Max(blockIndent, column + 1))
            {
                break;
            }

            if ((empty && (blockIndent < 0 || spaces > blockIndent)) || (!empty && blockIndent >= 0 && spaces > blockIndent) || lineEnd >= _bytes.Length)
            {
                Decline();
            }

            blockIndent = empty ? blockIndent : spaces;
            lines.Add((contentStart, lineEnd));
            contentLines = empty ? contentLines : lines.Count;
            _position = lineEnd;
            SkipLineBreak();
            end = _position;
        }

        if (blockIndent < 0)
        {
            Decline();
        }

        _tape.Add(DocumentValueKind.String, start, end, _tape.AddString(Fold(lines, contentLines, literal, chomping)), 0, TapeFlags.InTable);
        SkipToContent();
        return end;
    }

    /// <summary>Joins a block scalar's lines: literal keeps every break; folded turns a single break between lines into a space.</summary>
    private string Fold(List<(int Start, int End)> lines, int contentLines, bool literal, Chomping chomping)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < contentLines; i++)
        {
            var (start, end) = lines[i];
            if (i > 0 && (literal || start == end))
            {
                builder.Append('\n');
            }
            else if (i > 0 && lines[i - 1].Start != lines[i - 1].End)
            {
                builder.Append(' ');
            }

            builder.Append(Encoding.UTF8.GetString(_bytes, start, end - start));
        }

        if (chomping != Chomping.Strip)
        {
            builder.Append('\n', chomping == Chomping.Keep ? 1 + lines.Count - contentLines : 1);
        }

        return builder.ToString();
    }

    private void Close(int index, int count, int lastEnd, bool isMapping)
    {
        ref var entry = ref _tape[index];
        entry.Payload = _tape.Count;
        entry.Length = count;
        if (lastEnd > entry.End)
        {
            entry.End = lastEnd;
        }

        if (isMapping)
        {
            _duplicateKeys.Check(index);
            if (_duplicates.Count > 0)
            {
                Decline();
            }
        }

        _depth--;
    }

    private void Enter()
    {
        if (++_depth > _maxDepth)
        {
            Decline();
        }
    }

    /// <summary>Decodes a quoted scalar's escapes; declines escapes it does not know and text no fixture may hold.</summary>
    private string Unescape(Scalar scalar)
    {
        var source = Encoding.UTF8.GetString(_bytes, scalar.TextStart, scalar.TextEnd - scalar.TextStart);
        var builder = new StringBuilder(source.Length);
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            if (scalar.Quote == '\'')
            {
                builder.Append(c);
                if (c == '\'')
                {
                    i++;
                }

                continue;
            }

            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }

            var e = source[++i];
            switch (e)
            {
                case '0': builder.Append('\0'); break;
                case 'a': builder.Append('\a'); break;
                case 'b': builder.Append('\b'); break;
                case 't' or '\t': builder.Append('\t'); break;
                case 'n': builder.Append('\n'); break;
                case 'v': builder.Append('\v'); break;
                case 'f': builder.Append('\f'); break;
                case 'r': builder.Append('\r'); break;
                case 'e': builder.Append('\x1b'); break;
                case ' ': builder.Append(' '); break;
                case '"': builder.Append('"'); break;
                case '/': builder.Append('/'); break;
                case '\\': builder.Append('\\'); break;
                case 'N': builder.Append('\u0085'); break;
                case '_': builder.Append('\u00a0'); break;
                case 'L': builder.Append('\u2028'); break;
                case 'P': builder.Append('\u2029'); break;
                case 'x': AppendCodePoint(builder, source, ref i, 2); break;
                case 'u': AppendCodePoint(builder, source, ref i, 4); break;
                case 'U': AppendCodePoint(builder, source, ref i, 8); break;
                default: Decline(); break;
            }
        }

        var text = builder.ToString();
        if (TextProblems.Of(text, _limits) is not null)
        {
            Decline();
        }

        return text;
    }

    private static void AppendCodePoint(StringBuilder builder, string source, ref int i, int digits)
    {
        var value = 0;
        if (i + digits >= source.Length ||
            !int.TryParse(source.Substring(i + 1, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) ||
            value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        {
            Decline();
        }

        builder.Append(char.ConvertFromUtf32(value));
        i += digits;
    }

    private static bool[] CreateSuspicious()
    {
        var table = new bool[256];
        for (var b = 0; b < 0x20; b++)
        {
            table[b] = b is not ('\t' or '\n' or '\r');
        }

        table[0x7F] = table[0xC2] = table[0xE2] = table[0xEF] = true;
        return table;
    }

    [MethodImpl(HotPath.Options)]
    private static bool HasSuspiciousCharacter(byte[] bytes, int start)
    {
        var suspicious = Suspicious;
        for (var i = start; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (!suspicious[b])
            {
                continue;
            }

            var b1 = i + 1 < bytes.Length ? bytes[i + 1] : 0;
            var b2 = i + 2 < bytes.Length ? bytes[i + 2] : 0;
            var harmless = b switch
            {
                0xC2 => b1 >= 0xA0,
                0xE2 => !(b1 == 0x80 && b2 is 0xA8 or 0xA9),
                0xEF => !(b1 == 0xBB && b2 == 0xBF) && !(b1 == 0xBF && b2 is 0xBE or 0xBF),
                _ => false,
            };

            if (!harmless)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Skips blank and comment-only lines; leaves the cursor on the next content and sets <see cref="_indent"/>.</summary>
    private void SkipToContent()
    {
        while (_position < _bytes.Length)
        {
            var lineStart = _position;
            while (At(_position) == ' ')
            {
                _position++;
            }

            var b = At(_position);
            if (b == '\t')
            {
                Decline();
            }

            if (b == '#')
            {
                SkipRestOfLine();
            }
            else if (!IsLineEnd(_position))
            {
                _indent = _position - lineStart;
                return;
            }

            SkipLineBreak();
        }

        _indent = -1;
    }

    /// <summary>Finishes the current line (spaces, then an optional comment) and moves to the next content line.</summary>
    private void EndLine()
    {
        SkipSpaces();
        if (At(_position) == '#')
        {
            // A comment must be separated from what it follows ("x"#c is an error); EndLine always follows something.
            if (_bytes[_position - 1] != ' ')
            {
                Decline();
            }

            SkipRestOfLine();
        }

        if (!IsLineEnd(_position))
        {
            Decline();
        }

        SkipLineBreak();
        SkipToContent();
    }

    private void SkipRestOfLine()
    {
        var rest = _bytes.AsSpan(_position).IndexOfAny((byte)'\n', (byte)'\r');
        _position = rest < 0 ? _bytes.Length : _position + rest;
    }

    private void SkipLineBreak()
    {
        if (_position >= _bytes.Length)
        {
            return;
        }

        if (_bytes[_position] == '\r')
        {
            if (At(_position + 1) != '\n')
            {
                Decline();
            }

            _position++;
        }

        _position++;
    }

    private int SkipSpaces()
    {
        var from = _position;
        while (At(_position) == ' ')
        {
            _position++;
        }

        if (At(_position) == '\t')
        {
            Decline();
        }

        return _position - from;
    }

    private bool CanStartPlain(int at, bool inFlow)
    {
        var b = At(at);
        switch (b)
        {
            case (byte)'-' or (byte)'?' or (byte)':':
                var next = At(at + 1);
                return !IsSpaceOrLineEnd(at + 1) && next != '\t' && !(inFlow && next is (byte)',' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}');
            case (byte)',' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)'#' or (byte)'&' or (byte)'*' or (byte)'!' or (byte)'|' or (byte)'>' or (byte)'\'' or (byte)'"' or (byte)'%' or (byte)'@' or (byte)'`' or (byte)' ' or (byte)'\t':
                return false;
            default:
                return !IsLineEnd(at);
        }
    }

    /// <summary>Whether the line ends at the cursor, or only a comment follows (after <paramref name="spaces"/> spaces just skipped).</summary>
    private bool NothingFollows(int spaces) => IsLineEnd(_position) || (spaces > 0 && At(_position) == '#');

    private bool IsEntryIndicator(int at) => At(at) == '-' && IsSpaceOrLineEnd(at + 1);

    /// <summary>Whether the line under the cursor starts with a document marker (<c>---</c> or <c>...</c>).</summary>
    private bool IsMarker(byte mark) =>
        _indent == 0 && At(_position) == mark && At(_position + 1) == mark && At(_position + 2) == mark && (IsSpaceOrLineEnd(_position + 3) || At(_position + 3) == '\t');

    private bool IsSpaceOrLineEnd(int at) => At(at) == ' ' || IsLineEnd(at);

    private bool IsLineEnd(int at) => at >= _bytes.Length || _bytes[at] is (byte)'\n' or (byte)'\r';

    private byte At(int at) => at < _bytes.Length ? _bytes[at] : (byte)0;

    [DoesNotReturn]
    private static void Decline() => throw new DeclinedException();

    private enum PlainStop
    {
        LineEnd,
        Colon,
        Comment,
    }

    private enum Chomping
    {
        Clip,
        Strip,
        Keep,
    }

    /// <summary>
    /// A scanned scalar: its source range, the range of its text inside quotes, its quote (0 when plain), whether its
    /// text has escapes to decode and, for a key, the offset after its colon.
    /// </summary>
    private readonly record struct Scalar(int Start, int End, int TextStart, int TextEnd, byte Quote, bool Escaped, int ColonEnd);

    /// <summary>Thrown to abandon the read; the document is then read by the event reader.</summary>
    private sealed class DeclinedException : Exception
    {
    }
}

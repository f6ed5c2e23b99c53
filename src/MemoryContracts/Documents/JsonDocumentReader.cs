using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using MemoryContracts.Diagnostics;
using MemoryContracts.Text;

namespace MemoryContracts.Documents;

/// <summary>Reads UTF-8 JSON into a tape, keeping the byte offset of every value.</summary>
internal sealed class JsonDocumentReader
{
    private readonly string _path;
    private readonly Utf8SourceText _text;
    private readonly DocumentLimits _limits;
    private readonly List<ContractDiagnostic> _diagnostics;
    private readonly TapeBuilder _tape;
    private readonly Utf8Interner _interner;
    private readonly DuplicateKeyCheck _duplicateKeys;

    private JsonDocumentReader(string path, Utf8SourceText text, DocumentLimits limits, List<ContractDiagnostic> diagnostics)
    {
        _path = path;
        _text = text;
        _limits = limits;
        _diagnostics = diagnostics;
        _tape = new TapeBuilder(text.Length - text.Start);
        _interner = new Utf8Interner(_tape);
        _duplicateKeys = new DuplicateKeyCheck(_tape, Locate, diagnostics);
    }

    /// <summary>Reads a document, or reports why it cannot be read and returns null.</summary>
    public static SourceDocument? Read(string path, Utf8SourceText text, DocumentLimits limits, List<ContractDiagnostic> diagnostics) =>
        new JsonDocumentReader(path, text, limits, diagnostics).Read();

    [MethodImpl(HotPath.Options)]
    private SourceDocument? Read()
    {
        var baseOffset = _text.Start;
        var options = new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = _limits.MaxDepth + 1 };
        var reader = new Utf8JsonReader(_text.Bytes.AsSpan(baseOffset), options);
        var open = new int[_limits.MaxDepth + 1];
        var depth = 0;
        try
        {
            while (reader.Read())
            {
                var start = baseOffset + (int)reader.TokenStartIndex;
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        if (depth >= _limits.MaxDepth)
                        {
                            _diagnostics.Add(DiagnosticCatalog.NestingTooDeep.Create(Locate(start, start + 1), _limits.MaxDepth));
                            return null;
                        }

                        var kind = reader.TokenType == JsonTokenType.StartObject ? DocumentValueKind.Mapping : DocumentValueKind.Sequence;
                        open[depth++] = _tape.Add(kind, start, start, 0, 0, TapeFlags.None);
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        Close(open[--depth], start + 1);
                        CountChild(open, depth);
                        break;
                    case JsonTokenType.PropertyName:
                        AddKey(ref reader, start);
                        break;
                    case JsonTokenType.String:
                        AddString(ref reader, start);
                        CountChild(open, depth);
                        break;
                    default:
                        AddLiteral(ref reader, start);
                        CountChild(open, depth);
                        break;
                }
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

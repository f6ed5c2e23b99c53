using System.Globalization;
using MemoryContracts.Diagnostics;
using MemoryContracts.Documents;
using MemoryContracts.Text;

namespace MemoryContracts.Model.Wire;

/// <summary>
/// Builds the document that reading the JSON written through <see cref="JsonWire"/> would load, without the text in
/// between: the same values, kinds and string contents in the same tape layout, duplicate keys and text no fixture may
/// hold reported as the JSON reader reports them (MC1004, MC1001). Strings go to the tape's string table; numbers and
/// booleans are spelled as the JSON writer spells them into a small source buffer, which has a line break wherever the
/// indented JSON has one, so every value is on the line it would be on there (messages that name the line of an
/// earlier value name the same line); columns are not the JSON's. The document serves checks whose diagnostics are
/// located elsewhere (an appended record's).
/// </summary>
internal sealed class TapeWireWriter : IWireWriter
{
    private readonly string _path;
    private readonly DocumentLimits _limits;
    /// <summary>An appended record is a few dozen values: the tape starts with room for 64 values and 64 strings.</summary>
    private readonly TapeBuilder _tape = new(sourceLength: 512, stringCapacity: 64);
    private byte[] _literals = new byte[64];
    private int _literalLength;
    private readonly List<ContractDiagnostic> _diagnostics = [];
    private readonly Stack<int> _open = new();
    private readonly DuplicateKeyCheck _duplicateKeys;

    /// <summary>Whether the value written next follows its key on the key's line.</summary>
    private bool _afterKey;

    /// <summary>Whether text or a number JSON cannot hold was written: there is no document, only that diagnostic and those before it.</summary>
    private bool _stopped;

    /// <summary>Starts an empty document named <paramref name="path"/>, under the given limits.</summary>
    public TapeWireWriter(string path, DocumentLimits limits)
    {
        _path = path;
        _limits = limits;
        _duplicateKeys = new DuplicateKeyCheck(_tape, Locate, _diagnostics);
    }

    /// <summary>The document written, or no document and the diagnostic that says why, as <see cref="DocumentLoader.Load"/> gives it.</summary>
    public DocumentLoadResult ToLoadResult()
    {
        if (_open.Count > 0)
        {
            throw new InvalidOperationException("the document has open containers");
        }

        return new DocumentLoadResult(_stopped ? null : new SourceDocument(_path, DocumentFormat.Json, new Utf8SourceText(_literals.AsSpan(0, _literalLength).ToArray(), 0), _tape), _diagnostics);
    }

    public void WriteStartObject() => Open(DocumentValueKind.Mapping);

    public void WriteStartObject(string name)
    {
        WritePropertyName(name);
        Open(DocumentValueKind.Mapping);
    }

    public void WriteEndObject() => Close();

    public void WriteStartArray(string name)
    {
        WritePropertyName(name);
        Open(DocumentValueKind.Sequence);
    }

    public void WriteEndArray() => Close();

    public void WritePropertyName(string name)
    {
        NewLine();
        Add(DocumentValueKind.String, _literalLength, _tape.AddString(Usable(name)), 0, TapeFlags.InTable);
        _afterKey = true;
    }

    public void WriteString(string name, string value)
    {
        WritePropertyName(name);
        WriteStringValue(value);
    }

    public void WriteStringValue(string value)
    {
        StartValue();
        Add(DocumentValueKind.String, _literalLength, _tape.AddString(Usable(value)), 0, TapeFlags.InTable);
    }

    public void WriteNumber(string name, int value)
    {
        WritePropertyName(name);
        AddLiteral(DocumentValueKind.Integer, Spell(value.ToString(CultureInfo.InvariantCulture)));
    }

    public void WriteNumber(string name, double value)
    {
        WritePropertyName(name);
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            // The JSON writer refuses these too: JSON has no spelling for them.
            Unusable($"the number {value.ToString(CultureInfo.InvariantCulture)} has no JSON spelling");
            AddLiteral(DocumentValueKind.Float, Spell("0"));
            return;
        }

        // The JSON writer's spelling: the shortest that reads back as the same number.
        WriteNumberValue(value.ToString("R", CultureInfo.InvariantCulture));
    }

    public void WriteBooleanValue(bool value) => AddLiteral(DocumentValueKind.Boolean, Spell(value ? "true" : "false"));

    public void WriteNumberValue(string json)
    {
        var length = Spell(json);
        AddLiteral(KindOf(_literals.AsSpan(_literalLength, length)), length);
    }

    private void Open(DocumentValueKind kind)
    {
        StartValue();
        _open.Push(Add(kind, _literalLength, 0, 0, TapeFlags.None));
    }

    private void Close()
    {
        var container = _open.Pop();
        ref var entry = ref _tape[container];
        if (entry.Length > 0)
        {
            NewLine();
        }

        entry.End = _literalLength;
        entry.Payload = _tape.Count;

        // The JSON reader stops at the first text it cannot keep, so it reports nothing after it.
        if (entry.Kind == DocumentValueKind.Mapping && !_stopped)
        {
            _duplicateKeys.Check(container);
        }
    }

    /// <summary>
    /// Mappings count pairs and sequences items: every value adds one to the container it is written in. A value
    /// goes on a line of its own unless it follows its key or is the document's root.
    /// </summary>
    private void StartValue()
    {
        if (_open.Count > 0)
        {
            _tape[_open.Peek()].Length++;
            if (!_afterKey)
            {
                NewLine();
            }
        }

        _afterKey = false;
    }

    /// <summary>Where an entry is: its line is one more than the line breaks before it in the source buffer.</summary>
    private SourceLocation Locate(int index)
    {
        var line = 1;
        for (var offset = 0; offset < _tape[index].Start; offset++)
        {
            line += _literals[offset] == (byte)'\n' ? 1 : 0;
        }

        return new SourceLocation(_path, line, 1, line, 1);
    }

    private void NewLine()
    {
        Reserve(1);
        _literals[_literalLength++] = (byte)'\n';
    }

    private int Add(DocumentValueKind kind, int offset, int payload, int length, TapeFlags flags) =>
        _tape.Add(kind, offset, offset + length, payload, length, flags);

    /// <summary>Writes ASCII text into the literal buffer (without advancing it) and returns its length.</summary>
    private int Spell(string text)
    {
        Reserve(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            _literals[_literalLength + i] = (byte)text[i];
        }

        return text.Length;
    }

    private void Reserve(int length)
    {
        if (_literalLength + length > _literals.Length)
        {
            Array.Resize(ref _literals, Math.Max(_literals.Length * 2, _literalLength + length));
        }
    }

    private void AddLiteral(DocumentValueKind kind, int length)
    {
        StartValue();
        var offset = _literalLength;
        _literalLength += length;
        Add(kind, offset, offset, length, TapeFlags.None);
    }

    /// <summary>A number's kind by its spelling, as the JSON reader decides it.</summary>
    private static DocumentValueKind KindOf(ReadOnlySpan<byte> spelling) =>
        spelling.IndexOfAny((byte)'.', (byte)'e', (byte)'E') >= 0 ? DocumentValueKind.Float : DocumentValueKind.Integer;

    private string Usable(string text)
    {
        if (TextProblems.Of(text, _limits) is { } problem)
        {
            Unusable(problem);
        }

        return text;
    }

    private void Unusable(string problem)
    {
        if (!_stopped)
        {
            _diagnostics.Add(DiagnosticCatalog.MalformedDocument.Create(SourceLocation.File(_path), "not well-formed JSON: " + problem));
            _stopped = true;
        }
    }
}

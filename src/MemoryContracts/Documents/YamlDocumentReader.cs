using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using MemoryContracts.Diagnostics;
using MemoryContracts.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MemoryContracts.Documents;

/// <summary>
/// Reads YAML into a tape through YamlDotNet's event parser, resolving scalars with the YAML 1.2 core schema
/// and expanding aliases within <see cref="DocumentLimits.MaxAliasExpansion"/>.
/// </summary>
internal sealed class YamlDocumentReader
{
    private const string StandardTagPrefix = "tag:yaml.org,2002:";
    private static readonly Regex PositionPrefix = new(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*", RegexOptions.CultureInvariant);

    private readonly string _path;
    private readonly StringSourceText _text;
    private readonly DocumentLimits _limits;
    private readonly List<ContractDiagnostic> _diagnostics;
    private readonly TapeBuilder _tape;
    private readonly Dictionary<string, int> _interned = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Start, int End)> _anchors = new(StringComparer.Ordinal);
    private readonly DuplicateKeyCheck _duplicateKeys;
    private readonly Stack<Frame> _open = new();
    private int _expanded;
    private long _expandedBytes;
    private int _lastOffset;

    private YamlDocumentReader(string path, StringSourceText text, DocumentLimits limits, List<ContractDiagnostic> diagnostics)
    {
        _path = path;
        _text = text;
        _limits = limits;
        _diagnostics = diagnostics;
        _tape = new TapeBuilder(text.Length);
        _duplicateKeys = new DuplicateKeyCheck(_tape, Locate, diagnostics);
    }

    /// <summary>Reads a document, or reports why it cannot be read and returns null.</summary>
    public static SourceDocument? Read(string path, StringSourceText text, DocumentLimits limits, List<ContractDiagnostic> diagnostics) =>
        new YamlDocumentReader(path, text, limits, diagnostics).Read();

    private SourceDocument? Read()
    {
        try
        {
            var parser = new Parser(new Scanner(new StringReader(_text.Text), skipComments: true));
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                _diagnostics.Add(DiagnosticCatalog.EmptyDocument.Create(Locate(0, 0)));
                return null;
            }

            parser.Consume<DocumentStart>();
            if (!ReadRoot(parser))
            {
                return null;
            }

            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var second))
            {
                var offset = (int)second.Start.Index;
                _diagnostics.Add(DiagnosticCatalog.MultipleDocuments.Create(Locate(offset, offset)));
                return null;
            }

            return new SourceDocument(_path, DocumentFormat.Yaml, _text, _tape);
        }
        catch (YamlException exception)
        {
            var offset = (int)exception.Start.Index;
            var message = PositionPrefix.Replace(exception.Message, string.Empty);
            _diagnostics.Add(DiagnosticCatalog.MalformedDocument.Create(Locate(offset, (int)exception.End.Index), "not well-formed YAML: " + message));
            return null;
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            // YamlDotNet's scanner throws these on some malformed input; the last good position is where it stopped.
            _diagnostics.Add(DiagnosticCatalog.MalformedDocument.Create(Locate(_lastOffset, _lastOffset), "not well-formed YAML: the parser could not continue after this point"));
            return null;
        }
    }

    /// <summary>Reads events from the parser's current one until the root value is complete; false when a diagnostic ended the read.</summary>
    [MethodImpl(HotPath.Options)]
    private bool ReadRoot(IParser parser)
    {
        while (true)
        {
            var current = parser.Current ?? throw new YamlException("unexpected end of the YAML stream");
            _lastOffset = (int)current.Start.Index;
            var step = current switch
            {
                Scalar scalar => AddScalar(scalar),
                MappingStart mapping => Open(DocumentValueKind.Mapping, mapping, mapping.Anchor, mapping.Tag, "map"),
                SequenceStart sequence => Open(DocumentValueKind.Sequence, sequence, sequence.Anchor, sequence.Tag, "seq"),
                MappingEnd or SequenceEnd => Close(),
                AnchorAlias alias => Expand(alias),
                _ => Step.Continue,
            };

            if (step == Step.Stop)
            {
                return false;
            }

            parser.MoveNext();
            if (_open.Count == 0 && _tape.Count > 0)
            {
                return true;
            }
        }
    }

    private Step AddScalar(Scalar scalar)
    {
        var start = (int)scalar.Start.Index;
        var end = (int)scalar.End.Index;
        if (TextProblems.Of(scalar.Value, _limits) is { } unusable)
        {
            _diagnostics.Add(DiagnosticCatalog.MalformedDocument.Create(Locate(start, end), "not well-formed YAML: " + unusable));
            return Step.Stop;
        }

        if (IsExpectingKey)
        {
            _tape.Add(DocumentValueKind.String, start, end, Intern(scalar.Value), 0, TapeFlags.InTable);
            _open.Peek().ExpectingKey = false;
            return Step.Continue;
        }

        if (!TryResolve(scalar, out var kind, out var problem))
        {
            _diagnostics.Add(DiagnosticCatalog.UnsupportedYamlFeature.Create(Locate(start, end), problem));
            return Step.Stop;
        }

        var index = _tape.Add(kind, start, end, Intern(scalar.Value), 0, TapeFlags.InTable);
        RegisterAnchor(scalar.Anchor, index);
        Completed(end);
        return Step.Continue;
    }

    private Step Open(DocumentValueKind kind, ParsingEvent start, AnchorName anchor, TagName tag, string standardTag)
    {
        var offset = (int)start.Start.Index;
        if (!tag.IsEmpty && !tag.IsNonSpecific && tag.Value != StandardTagPrefix + standardTag)
        {
            _diagnostics.Add(DiagnosticCatalog.UnsupportedYamlFeature.Create(Locate(offset, (int)start.End.Index), $"tag '{DisplayTag(tag)}' is not supported; fixtures use plain YAML values"));
            return Step.Stop;
        }

        if (IsExpectingKey)
        {
            _diagnostics.Add(DiagnosticCatalog.UnsupportedYamlFeature.Create(Locate(offset, offset + 1), "complex mapping keys are not supported; keys must be scalars"));
            return Step.Stop;
        }

        if (_open.Count >= _limits.MaxDepth)
        {
            _diagnostics.Add(DiagnosticCatalog.NestingTooDeep.Create(Locate(offset, offset + 1), _limits.MaxDepth));
            return Step.Stop;
        }

        var index = _tape.Add(kind, offset, (int)start.End.Index, 0, 0, TapeFlags.None);
        _open.Push(new Frame(index, kind == DocumentValueKind.Mapping, anchor.IsEmpty ? null : anchor.Value));
        return Step.Continue;
    }

    private Step Close()
    {
        var frame = _open.Pop();
        ref var entry = ref _tape[frame.Index];
        if (frame.LastEnd > entry.End)
        {
            entry.End = frame.LastEnd;
        }

        entry.Payload = _tape.Count;
        if (frame.IsMapping)
        {
            _duplicateKeys.Check(frame.Index);
        }

        if (frame.Anchor is not null)
        {
            _anchors[frame.Anchor] = (frame.Index, _tape.Count);
        }

        Completed(entry.End);
        return Step.Continue;
    }

    private Step Expand(AnchorAlias alias)
    {
        var start = (int)alias.Start.Index;
        var end = (int)alias.End.Index;
        if (IsExpectingKey)
        {
            _diagnostics.Add(DiagnosticCatalog.UnsupportedYamlFeature.Create(Locate(start, end), "aliases cannot be used as mapping keys"));
            return Step.Stop;
        }

        if (!_anchors.TryGetValue(alias.Value.Value, out var anchored))
        {
            _diagnostics.Add(DiagnosticCatalog.MalformedDocument.Create(Locate(start, end), $"not well-formed YAML: alias '*{alias.Value.Value}' names no anchor defined before it"));
            return Step.Stop;
        }

        _expanded += anchored.End - anchored.Start;
        _expandedBytes += Math.Max(0, _tape[anchored.Start].End - _tape[anchored.Start].Start);
        if (_expanded > _limits.MaxAliasExpansion)
        {
            _diagnostics.Add(DiagnosticCatalog.AliasExpansionLimit.Create(Locate(start, end), alias.Value.Value, _limits.MaxAliasExpansion));
            return Step.Stop;
        }

        if (_expandedBytes > _limits.MaxAliasExpandedBytes)
        {
            _diagnostics.Add(new ContractDiagnostic(DiagnosticCatalog.AliasExpansionLimit, DiagnosticSeverity.Error, $"alias '*{alias.Value.Value}' would make aliases repeat more than {_limits.MaxAliasExpandedBytes} bytes of text; aliases are limited to protect against expansion bombs", Locate(start, end)));
            return Step.Stop;
        }

        _tape.CopySubtree(anchored.Start, anchored.End);
        Completed(end);
        return Step.Continue;
    }

    private bool IsExpectingKey => _open.Count > 0 && _open.Peek().IsMapping && _open.Peek().ExpectingKey;

    private void Completed(int end)
    {
        if (_open.Count == 0)
        {
            return;
        }

        var parent = _open.Peek();
        _tape[parent.Index].Length++;
        parent.LastEnd = end;
        parent.ExpectingKey = parent.IsMapping;
    }

    private void RegisterAnchor(AnchorName anchor, int index)
    {
        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = (index, index + 1);
        }
    }

    private static bool TryResolve(Scalar scalar, out DocumentValueKind kind, out string problem)
    {
        problem = string.Empty;
        var tag = scalar.Tag;
        if (tag.IsEmpty || tag.IsNonSpecific)
        {
            kind = scalar.Style == ScalarStyle.Plain && tag.IsEmpty ? ScalarSyntax.ResolvePlain(scalar.Value) : DocumentValueKind.String;
            return true;
        }

        var name = tag.Value.StartsWith(StandardTagPrefix, StringComparison.Ordinal) ? tag.Value.Substring(StandardTagPrefix.Length) : null;
        kind = name switch
        {
            "str" => DocumentValueKind.String,
            "int" => DocumentValueKind.Integer,
            "float" => DocumentValueKind.Float,
            "bool" => DocumentValueKind.Boolean,
            "null" => DocumentValueKind.Null,
            _ => DocumentValueKind.String,
        };

        if (name is null or not ("str" or "int" or "float" or "bool" or "null"))
        {
            problem = $"tag '{DisplayTag(tag)}' is not supported; fixtures use plain YAML values";
            return false;
        }

        if (kind != DocumentValueKind.String && ScalarSyntax.ResolvePlain(scalar.Value) is var resolved && resolved != kind &&
            !(kind == DocumentValueKind.Float && resolved == DocumentValueKind.Integer))
        {
            problem = $"'{scalar.Value}' cannot be read as !!{name}";
            return false;
        }

        return true;
    }

    private static string DisplayTag(TagName tag) =>
        tag.Value.StartsWith(StandardTagPrefix, StringComparison.Ordinal) ? "!!" + tag.Value.Substring(StandardTagPrefix.Length) : tag.Value;

    private int Intern(string value)
    {
        if (value.Length > 32)
        {
            return _tape.AddString(value);
        }

        if (!_interned.TryGetValue(value, out var index))
        {
            index = _tape.AddString(value);
            _interned.Add(value, index);
        }

        return index;
    }

    private SourceLocation Locate(int index) => Locate(_tape[index].Start, _tape[index].End);

    private SourceLocation Locate(int start, int end) => _text.Locate(_path, start, end);

    private enum Step
    {
        Continue,
        Stop,
    }

    private sealed class Frame(int index, bool isMapping, string? anchor)
    {
        public int Index { get; } = index;

        public bool IsMapping { get; } = isMapping;

        public string? Anchor { get; } = anchor;

        public bool ExpectingKey { get; set; } = isMapping;

        public int LastEnd { get; set; }
    }
}

using System.Collections;
using System.Globalization;
using MemoryContracts.Diagnostics;

namespace MemoryContracts.Documents;

/// <summary>A value in a <see cref="SourceDocument"/>: a light handle that navigates without allocating.</summary>
public readonly struct DocumentNode : IEquatable<DocumentNode>
{
    private readonly SourceDocument _document;
    private readonly int _index;

    internal DocumentNode(SourceDocument document, int index)
    {
        _document = document;
        _index = index;
    }

    /// <summary>The document this value belongs to.</summary>
    public SourceDocument Document => _document;

    /// <summary>The kind of value; a default (absent) node reads as null.</summary>
    public DocumentValueKind Kind => _document is null ? DocumentValueKind.Null : _document.Entry(_index).Kind;

    /// <summary>Whether this handle points at a value (false for <c>default</c>, as returned for a missing property).</summary>
    public bool Exists => _document is not null;

    /// <summary>Whether the value is a mapping.</summary>
    public bool IsMapping => Kind == DocumentValueKind.Mapping;

    /// <summary>Whether the value is a sequence.</summary>
    public bool IsSequence => Kind == DocumentValueKind.Sequence;

    /// <summary>Whether the value is a string.</summary>
    public bool IsString => Kind == DocumentValueKind.String;

    /// <summary>The number of pairs of a mapping or items of a sequence; 0 for scalars.</summary>
    public int Count => IsContainer ? _document.Entry(_index).Length : 0;

    /// <summary>Where the value is, start and end.</summary>
    public SourceLocation Location => Exists ? _document.GetLocation(_index) : default;

    internal int Index => _index;

    internal int End => IsContainer ? _document.Entry(_index).Payload : _index + 1;

    private bool IsContainer => Kind is DocumentValueKind.Mapping or DocumentValueKind.Sequence;

    /// <summary>The text of a scalar (for non-strings, its canonical spelling in the source). Empty for containers.</summary>
    public string GetString() => IsContainer || !Exists ? string.Empty : _document.GetScalarText(_index);

    /// <summary>Whether this is a string equal to one of a set, without decoding it.</summary>
    internal bool IsStringOneOf(HashSet<string> strings, byte[][] utf8) => IsString && _document.ScalarIsOneOf(_index, strings, utf8);

    /// <summary>
    /// The characters of a scalar: the decoded string when there is one, else the buffer filled from short ASCII
    /// source bytes, else (long or non-ASCII text) a newly decoded string.
    /// </summary>
    internal ReadOnlySpan<char> GetChars(Span<char> buffer)
    {
        if (!Exists || IsContainer)
        {
            return ReadOnlySpan<char>.Empty;
        }

        if (_document.TryGetTableString(_index, out var text))
        {
            return text.AsSpan();
        }

        return _document.TryCopyScalarChars(_index, buffer, out var written) ? buffer.Slice(0, written) : GetString().AsSpan();
    }

    /// <summary>The property names and item indexes that lead from the root to this value.</summary>
    internal IReadOnlyList<(string? Name, int Index)> GetPath() => Exists ? _document.GetPath(_index) : [];

    /// <summary>Cheap lower and upper bounds on <see cref="GetCodePointCount"/>.</summary>
    internal (int Minimum, int Maximum) GetCodePointBounds() => _document.GetCodePointBounds(_index);

    /// <summary>The length of a string in Unicode code points.</summary>
    internal int GetCodePointCount() => _document.GetScalarCodePointCount(_index);

    /// <summary>Reads an integer scalar.</summary>
    public bool TryGetInt64(out long value)
    {
        value = 0;
        return Kind == DocumentValueKind.Integer && (_document.TryParseUtf8Integer(_index, out value) || ScalarSyntax.TryParseInteger(GetString(), out value));
    }

    /// <summary>Reads a numeric scalar, integer or float.</summary>
    public bool TryGetDouble(out double value)
    {
        value = 0;
        if (Kind is DocumentValueKind.Integer or DocumentValueKind.Float && _document.TryParseUtf8Number(_index, out value))
        {
            return true;
        }

        return Kind switch
        {
            DocumentValueKind.Integer => ScalarSyntax.TryParseInteger(GetString(), out var integer) ? (value = integer) == integer
                : NumberText.ToJson(GetString()) is { } big && double.TryParse(big, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value),
            DocumentValueKind.Float => ScalarSyntax.TryParseFloat(GetString(), out value),
            _ => false,
        };
    }

    /// <summary>A numeric scalar's JSON spelling, every digit kept (<see cref="NumberText"/>); null for other scalars and for <c>.inf</c> and <c>.nan</c>.</summary>
    public string? GetJsonNumber() => Kind is DocumentValueKind.Integer or DocumentValueKind.Float ? NumberText.ToJson(GetString()) : null;

    /// <summary>
    /// Whether <see cref="GetJsonNumber"/> is not null, without building the spelling when the source spells the number
    /// plainly (a finite decimal read whole from its bytes always has a JSON spelling).
    /// </summary>
    internal bool IsJsonNumber() =>
        Kind is DocumentValueKind.Integer or DocumentValueKind.Float &&
        ((_document.TryParseUtf8Number(_index, out var value) && !double.IsInfinity(value) && !double.IsNaN(value)) || GetJsonNumber() is not null);

    /// <summary>Reads a boolean scalar (<c>true</c>, <c>True</c> and <c>TRUE</c> alike, as the YAML 1.2 core schema says).</summary>
    public bool GetBoolean() => Kind == DocumentValueKind.Boolean && string.Equals(GetString(), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Finds the value of a mapping key; the first one wins if a key repeats.</summary>
    public bool TryGetProperty(string name, out DocumentNode value)
    {
        if (IsMapping)
        {
            foreach (var property in EnumerateProperties())
            {
                if (string.Equals(property.Key.GetString(), name, StringComparison.Ordinal))
                {
                    value = property.Value;
                    return true;
                }
            }
        }

        value = default;
        return false;
    }

    /// <summary>Returns the string value of a mapping key, or null when it is absent or not a string.</summary>
    public string? GetOptionalString(string name) =>
        TryGetProperty(name, out var value) && value.IsString ? value.GetString() : null;

    /// <summary>Enumerates the key and value of each pair of a mapping.</summary>
    public PropertyEnumerator EnumerateProperties() => new(this);

    /// <summary>Enumerates the items of a sequence.</summary>
    public ItemEnumerator EnumerateItems() => new(this);

    /// <summary>Describes the value's kind for messages: "a string 'x'", "a mapping".</summary>
    public string Describe() => Kind switch
    {
        DocumentValueKind.Mapping => "a mapping",
        DocumentValueKind.Sequence => "a sequence",
        DocumentValueKind.String => "the string '" + Abbreviate(GetString()) + "'",
        DocumentValueKind.Integer => "the integer " + GetString(),
        DocumentValueKind.Float => "the number " + GetString(),
        DocumentValueKind.Boolean => GetString().ToLowerInvariant(),
        _ => "null",
    };

    internal static string Abbreviate(string text) => text.Length <= 60 ? text : text.Substring(0, 57) + "...";

    /// <inheritdoc />
    public bool Equals(DocumentNode other) => ReferenceEquals(_document, other._document) && _index == other._index;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DocumentNode other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _index;

    /// <inheritdoc />
    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} at {1}", Kind, Location);

    /// <summary>A key and its value in a mapping.</summary>
    /// <param name="Key">The key, always a string.</param>
    /// <param name="Value">The value.</param>
    public readonly record struct Property(DocumentNode Key, DocumentNode Value);

    /// <summary>Enumerates a mapping's pairs without allocating.</summary>
    public struct PropertyEnumerator : IEnumerable<Property>, IEnumerator<Property>
    {
        private readonly SourceDocument _document;
        private readonly int _end;
        private int _next;
        private Property _current;

        internal PropertyEnumerator(DocumentNode mapping)
        {
            _document = mapping._document;
            _next = mapping._index + 1;
            _end = mapping.IsMapping ? mapping.End : _next;
            _current = default;
        }

        /// <summary>The current pair.</summary>
        public readonly Property Current => _current;

        readonly object IEnumerator.Current => _current;

        /// <summary>Returns this enumerator, for foreach.</summary>
        public readonly PropertyEnumerator GetEnumerator() => this;

        readonly IEnumerator<Property> IEnumerable<Property>.GetEnumerator() => this;

        readonly IEnumerator IEnumerable.GetEnumerator() => this;

        /// <inheritdoc />
        public readonly void Reset() => throw new NotSupportedException();

        /// <inheritdoc />
        public readonly void Dispose()
        {
        }

        /// <summary>Moves to the next pair.</summary>
        public bool MoveNext()
        {
            if (_next >= _end)
            {
                return false;
            }

            var key = new DocumentNode(_document, _next);
            var value = new DocumentNode(_document, _next + 1);
            _current = new Property(key, value);
            _next = value.End;
            return true;
        }
    }

    /// <summary>Enumerates a sequence's items without allocating.</summary>
    public struct ItemEnumerator : IEnumerable<DocumentNode>, IEnumerator<DocumentNode>
    {
        private readonly SourceDocument _document;
        private readonly int _end;
        private int _next;
        private DocumentNode _current;

        internal ItemEnumerator(DocumentNode sequence)
        {
            _document = sequence._document;
            _next = sequence._index + 1;
            _end = sequence.IsSequence ? sequence.End : _next;
            _current = default;
        }

        /// <summary>The current item.</summary>
        public readonly DocumentNode Current => _current;

        readonly object IEnumerator.Current => _current;

        /// <summary>Returns this enumerator, for foreach.</summary>
        public readonly ItemEnumerator GetEnumerator() => this;

        readonly IEnumerator<DocumentNode> IEnumerable<DocumentNode>.GetEnumerator() => this;

        readonly IEnumerator IEnumerable.GetEnumerator() => this;

        /// <inheritdoc />
        public readonly void Reset() => throw new NotSupportedException();

        /// <inheritdoc />
        public readonly void Dispose()
        {
        }

        /// <summary>Moves to the next item.</summary>
        public bool MoveNext()
        {
            if (_next >= _end)
            {
                return false;
            }

            _current = new DocumentNode(_document, _next);
            _next = _current.End;
            return true;
        }
    }
}


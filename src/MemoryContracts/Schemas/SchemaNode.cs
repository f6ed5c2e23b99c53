using System.Text.RegularExpressions;
using MemoryContracts.Documents;

namespace MemoryContracts.Schemas;

/// <summary>The JSON types a schema accepts, as flags.</summary>
[Flags]
internal enum SchemaTypes
{
    Any = 0,
    Object = 1,
    Array = 2,
    String = 4,
    Integer = 8,
    Number = 16,
    Boolean = 32,
    Null = 64,
}

/// <summary>
/// A constant of an <c>enum</c> or <c>const</c> keyword: a scalar, or a mapping or sequence held as its
/// <see cref="CanonicalValue"/> in <see cref="Text"/>.
/// </summary>
internal readonly record struct SchemaConstant(DocumentValueKind Kind, string Text, double Number)
{
    public bool Matches(Documents.DocumentNode instance)
    {
        if (Kind is DocumentValueKind.Mapping or DocumentValueKind.Sequence)
        {
            return instance.Kind == Kind && CanonicalValue.Of(instance) == Text;
        }

        if (Kind is DocumentValueKind.Integer or DocumentValueKind.Float)
        {
            return instance.TryGetDouble(out var value) && value == Number;
        }

        return instance.Kind == Kind && (Kind == DocumentValueKind.Null || string.Equals(instance.GetString(), Text, Kind == DocumentValueKind.Boolean ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal));
    }

    public override string ToString() => Kind switch
    {
        DocumentValueKind.String => "'" + Text + "'",
        DocumentValueKind.Mapping => "the mapping the schema gives",
        DocumentValueKind.Sequence => "the sequence the schema gives",
        _ => Text,
    };
}

/// <summary>One compiled (sub)schema: every keyword read once into fields the validator checks directly.</summary>
internal sealed class SchemaNode
{
    public SchemaNode(string pointer, string document)
    {
        Pointer = pointer;
        Document = document;
        Target = this;
    }

    /// <summary>Where the schema is: its base URI and a JSON pointer, such as <c>https://example.com/a.json#/definitions/node</c>.</summary>
    public string Pointer { get; }

    /// <summary>The <c>$id</c> of the schema document it is part of.</summary>
    public string Document { get; }

    public SchemaNode? Reference { get; set; }

    public string? ReferenceText { get; set; }

    public SchemaTypes Types { get; set; }

    public Dictionary<string, PropertySchema>? Properties { get; set; }

    public string[] Required { get; set; } = [];

    /// <summary>How many required names have a bit in <see cref="RequiredMask"/>; the rest are looked up by name.</summary>
    public const int RequiredMaskBits = 64;

    /// <summary>The bits of the first <see cref="RequiredMaskBits"/> required names, all set.</summary>
    public ulong RequiredMask { get; set; }

    public bool AdditionalPropertiesForbidden { get; set; }

    public SchemaNode? AdditionalProperties { get; set; }

    public SchemaNode? Items { get; set; }

    /// <summary>Tuple <c>items</c>: one schema per position.</summary>
    public SchemaNode[]? TupleItems { get; set; }

    /// <summary><c>additionalItems</c> as a schema, for the items after a tuple.</summary>
    public SchemaNode? AdditionalItems { get; set; }

    /// <summary><c>additionalItems: false</c> after a tuple.</summary>
    public bool AdditionalItemsForbidden { get; set; }

    public SchemaNode? Contains { get; set; }

    public int? MinProperties { get; set; }

    public int? MaxProperties { get; set; }

    public SchemaNode? PropertyNames { get; set; }

    public (Regex Pattern, SchemaNode Schema)[]? PatternProperties { get; set; }

    /// <summary><c>dependencies</c> whose value is a list: when the property is present, these must be too.</summary>
    public Dictionary<string, string[]>? DependentRequired { get; set; }

    /// <summary><c>dependencies</c> whose value is a schema: when the property is present, the object must match it.</summary>
    public Dictionary<string, SchemaNode>? DependentSchemas { get; set; }

    public double? MultipleOf { get; set; }

    public SchemaNode? If { get; set; }

    public SchemaNode? Then { get; set; }

    public SchemaNode? Else { get; set; }

    public int? MinItems { get; set; }

    public int? MaxItems { get; set; }

    public bool UniqueItems { get; set; }

    public int? MinLength { get; set; }

    public int? MaxLength { get; set; }

    public Regex? Pattern { get; set; }

    public double? Minimum { get; set; }

    public double? Maximum { get; set; }

    public double? ExclusiveMinimum { get; set; }

    public double? ExclusiveMaximum { get; set; }

    public SchemaConstant[]? Enum { get; set; }

    public HashSet<string>? StringEnum { get; set; }

    /// <summary>The string enum's values as UTF-8, to compare JSON strings without decoding them.</summary>
    public byte[][]? Utf8StringEnum { get; set; }

    public SchemaConstant? Const { get; set; }

    public string? Format { get; set; }

    public SchemaNode[]? AllOf { get; set; }

    public SchemaNode[]? AnyOf { get; set; }

    public SchemaNode[]? OneOf { get; set; }

    public SchemaNode? Not { get; set; }

    public Vocabulary? Vocabulary { get; set; }

    /// <summary>The schema that holds the keywords: this one, or the end of its <c>$ref</c> chain. Set once references are resolved.</summary>
    public SchemaNode Target { get; set; } = null!;
}

/// <summary>
/// A property's schema (null for a name that is only <c>required</c>, not declared in <c>properties</c>: it is then
/// still additional to <c>additionalProperties</c>) and, when required, its bit in the required mask.
/// </summary>
internal sealed record PropertySchema(SchemaNode? Schema, int RequiredBit);

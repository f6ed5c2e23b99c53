using MemoryContracts.Documents;

namespace MemoryContracts.Schemas;

/// <summary>The JSON Schema keyword a value failed.</summary>
public enum SchemaKeyword
{
    /// <summary><c>type</c></summary>
    Type,

    /// <summary><c>required</c></summary>
    Required,

    /// <summary><c>additionalProperties</c></summary>
    AdditionalProperties,

    /// <summary><c>enum</c></summary>
    Enum,

    /// <summary><c>const</c></summary>
    Const,

    /// <summary><c>minLength</c></summary>
    MinLength,

    /// <summary><c>maxLength</c></summary>
    MaxLength,

    /// <summary><c>pattern</c></summary>
    Pattern,

    /// <summary><c>minimum</c></summary>
    Minimum,

    /// <summary><c>maximum</c></summary>
    Maximum,

    /// <summary><c>exclusiveMinimum</c></summary>
    ExclusiveMinimum,

    /// <summary><c>exclusiveMaximum</c></summary>
    ExclusiveMaximum,

    /// <summary><c>minItems</c></summary>
    MinItems,

    /// <summary><c>maxItems</c></summary>
    MaxItems,

    /// <summary><c>uniqueItems</c></summary>
    UniqueItems,

    /// <summary><c>format</c></summary>
    Format,

    /// <summary><c>anyOf</c></summary>
    AnyOf,

    /// <summary><c>oneOf</c></summary>
    OneOf,

    /// <summary><c>not</c></summary>
    Not,

    /// <summary><c>minProperties</c></summary>
    MinProperties,

    /// <summary><c>maxProperties</c></summary>
    MaxProperties,

    /// <summary><c>multipleOf</c></summary>
    MultipleOf,

    /// <summary><c>contains</c></summary>
    Contains,

    /// <summary><c>dependencies</c> naming properties that must be present</summary>
    Dependencies,

    /// <summary><c>additionalItems</c> when it is false</summary>
    AdditionalItems,
}

/// <summary>One failed schema check: the value, its JSON pointer, the keyword and a message naming the value.</summary>
/// <param name="Instance">The offending value (for <c>additionalProperties</c>, the unexpected key).</param>
/// <param name="InstancePointer">The JSON pointer of the value, such as <c>/nodes/3/kind</c>; for <c>required</c>, of the missing property.</param>
/// <param name="Keyword">The keyword that failed.</param>
/// <param name="Message">What is wrong, naming the offending value.</param>
/// <param name="DiagnosticCode">The code to report instead of MC1003, from the schema's <c>x-diagnostic</c>.</param>
public sealed record SchemaViolation(DocumentNode Instance, string InstancePointer, SchemaKeyword Keyword, string Message, string? DiagnosticCode)
{
    /// <summary>The diagnostic at the value: MC1003, or the known code the schema names in <c>x-diagnostic</c>.</summary>
    internal Diagnostics.ContractDiagnostic ToDiagnostic() =>
        (DiagnosticCode is { } code ? Diagnostics.DiagnosticCatalog.Find(code) ?? Diagnostics.DiagnosticCatalog.SchemaViolation : Diagnostics.DiagnosticCatalog.SchemaViolation)
            .Create(Instance.Location, Message);
}

namespace MemoryContracts.Documents;

/// <summary>The kind of a value in a loaded document.</summary>
public enum DocumentValueKind : byte
{
    /// <summary>A mapping (a JSON object).</summary>
    Mapping,

    /// <summary>A sequence (a JSON array).</summary>
    Sequence,

    /// <summary>A string.</summary>
    String,

    /// <summary>An integer.</summary>
    Integer,

    /// <summary>A number with a fraction or an exponent.</summary>
    Float,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>null.</summary>
    Null,
}

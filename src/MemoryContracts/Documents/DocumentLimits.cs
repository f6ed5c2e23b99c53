namespace MemoryContracts.Documents;

/// <summary>Bounds that protect loading from hostile input.</summary>
public sealed record DocumentLimits
{
    /// <summary>The limits used unless a caller gives others.</summary>
    public static DocumentLimits Default { get; } = new();

    /// <summary>How deeply mappings and sequences may nest. Contracts need fewer than ten levels.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>How many values YAML aliases may add to a document in total (the billion-laughs guard).</summary>
    public int MaxAliasExpansion { get; init; } = 100_000;
}

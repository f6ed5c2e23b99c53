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

    /// <summary>
    /// How many bytes of source text YAML aliases may repeat in total (16 MiB): a few aliases of one huge scalar pass
    /// the value count, but would make every reader of the model (import, packing) build gigabytes of strings.
    /// </summary>
    public long MaxAliasExpandedBytes { get; init; } = 16L << 20;

    /// <summary>
    /// Whether a string may hold U+0000 (written <c>\u0000</c> in JSON, <c>\0</c> in YAML). Off for fixtures, which
    /// are stored (PostgreSQL cannot store it, and many tools cut text at it); <see cref="Schemas.JsonSchemaFile"/>
    /// turns it on for the documents and schemas it only checks.
    /// </summary>
    public bool AllowNul { get; init; }
}

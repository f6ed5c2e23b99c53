namespace MemoryContracts.Documents;

/// <summary>The syntax a fixture is written in.</summary>
public enum DocumentFormat
{
    /// <summary>YAML 1.2 (core schema).</summary>
    Yaml,

    /// <summary>JSON (RFC 8259).</summary>
    Json,
}

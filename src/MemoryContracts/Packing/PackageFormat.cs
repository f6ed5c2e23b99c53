namespace MemoryContracts.Packing;

/// <summary>The syntax a context package is written in.</summary>
public enum PackageFormat
{
    /// <summary>Indented JSON, LF line ends.</summary>
    Json,

    /// <summary>Block-style YAML.</summary>
    Yaml,
}

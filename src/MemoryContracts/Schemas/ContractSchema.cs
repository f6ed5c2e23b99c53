namespace MemoryContracts.Schemas;

/// <summary>One contract's JSON Schema, compiled: its identity, its vocabularies and its validator.</summary>
public sealed class ContractSchema
{
    internal ContractSchema(string fileName, string id, string schemaVersion, string family, string? title, string? description, string json, IReadOnlyList<Vocabulary> vocabularies, SchemaNode root)
    {
        FileName = fileName;
        Id = id;
        SchemaVersion = schemaVersion;
        Family = family;
        Title = title;
        Description = description;
        Json = json;
        Vocabularies = vocabularies;
        Root = root;
    }

    /// <summary>The schema's file name, such as <c>markitect.memory.graph.v1.schema.json</c>.</summary>
    public string FileName { get; }

    /// <summary>The schema's <c>$id</c>.</summary>
    public string Id { get; }

    /// <summary>The contract identifier a fixture names in <c>schema_version</c>, such as <c>markitect.memory.graph.v1</c>.</summary>
    public string SchemaVersion { get; }

    /// <summary>The contract family from <c>x-contract</c> (graph, profile, selection, package, manifest, boundaries); versions of one family share semantic checks.</summary>
    public string Family { get; }

    /// <summary>The schema's title.</summary>
    public string? Title { get; }

    /// <summary>The schema's description.</summary>
    public string? Description { get; }

    /// <summary>The schema's JSON text.</summary>
    public string Json { get; }

    /// <summary>The vocabularies this schema declares.</summary>
    public IReadOnlyList<Vocabulary> Vocabularies { get; }

    internal SchemaNode Root { get; }

    /// <inheritdoc />
    public override string ToString() => SchemaVersion;
}

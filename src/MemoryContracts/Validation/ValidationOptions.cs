using MemoryContracts.Documents;
using MemoryContracts.IO;
using MemoryContracts.Schemas;

namespace MemoryContracts.Validation;

/// <summary>How fixtures are validated.</summary>
public sealed record ValidationOptions
{
    /// <summary>The default options: embedded schemas, compiled validator, default limits.</summary>
    public static ValidationOptions Default { get; } = new();

    /// <summary>The contracts fixtures may follow.</summary>
    public SchemaCatalog Catalog { get; init; } = SchemaCatalog.Default;

    /// <summary>
    /// The engine that checks documents against their JSON Schema, or null (the default) for the validator compiled
    /// from <see cref="Catalog"/>. Another engine must know the same catalog's contracts.
    /// </summary>
    public ISchemaEngine? SchemaEngine { get; init; }

    /// <summary>Bounds against hostile input.</summary>
    public DocumentLimits Limits { get; init; } = DocumentLimits.Default;

    /// <summary>
    /// The folder every file a fixture names must stay inside, after links are resolved (a selection's graph and
    /// profile, a manifest's sources and policy): a reference that leaves it is MC4010 and the file is never read.
    /// The command line sets it from <c>--root</c> (the current folder by default), the build from
    /// <c>MemoryContractsRoot</c> (the project folder by default); null, as in <see cref="Default"/>, checks nothing.
    /// </summary>
    public string? Root { get; init; }

    /// <summary>Reads a file's bytes given its absolute path; replace it to validate content that is not on disk, such as editor buffers.</summary>
    public Func<string, byte[]> ReadFile { get; init; } = FileBytes.ReadAll;
}

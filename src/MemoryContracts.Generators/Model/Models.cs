using System.Linq;

namespace MemoryContracts.Generators.Model;

/// <summary>A diagnostic as plain data, so it can live in a cached pipeline model.</summary>
internal sealed record DiagnosticInfo(string Code, string Message, string Path, int Start, int End, int StartLine, int StartColumn, int EndLine, int EndColumn);

/// <summary>A position in an additional file: offsets for the span, 0-based line and column for the editor.</summary>
internal sealed record FilePosition(int Start, int End, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    /// <summary>The start of a file: where a problem of the whole file (or of a schema) is reported.</summary>
    public static FilePosition FileStart { get; } = new(0, 0, 0, 0, 0, 0);
}

/// <summary>One term of a vocabulary.</summary>
internal sealed record TermModel(string Value, string? Description);

/// <summary>A vocabulary a schema declares with <c>x-vocabulary</c>.</summary>
internal sealed record VocabularyModel(string Name, string Definition, string? Description, EquatableArray<TermModel> Terms);

/// <summary>The property names of an object a schema marks with <c>x-fields</c>, in schema order.</summary>
internal sealed record FieldSetModel(string Name, string Definition, EquatableArray<string> Properties);

/// <summary>What the generator needs of one contract schema.</summary>
internal sealed record SchemaModel(string Path, string Id, string SchemaVersion, string Family, EquatableArray<VocabularyModel> Vocabularies, bool BuiltIn)
{
    /// <summary>The objects whose property names the schema exports (<c>x-fields</c>); the contract core reads and writes by them.</summary>
    public EquatableArray<FieldSetModel> FieldSets { get; init; } = EquatableArray<FieldSetModel>.Empty;
}

/// <summary>A schema file after parsing: its model, or the diagnostics that explain why there is none.</summary>
internal sealed record SchemaParseResult(SchemaModel? Schema, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>A node, edge or event of a graph fixture.</summary>
internal sealed record ElementModel(string Id, string? Kind, string? Title, FilePosition IdPosition);

/// <summary>What the generator needs of one fixture file.</summary>
internal sealed record FixtureModel(
    string Path,
    string Name,
    string? SchemaVersion,
    string? Id,
    string? Title,
    EquatableArray<ElementModel> Nodes,
    EquatableArray<ElementModel> Edges,
    EquatableArray<ElementModel> Events,
    EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>The contract families of the known schemas (built in and added), and who owns the built-in types.</summary>
internal sealed record ContractSet(EquatableArray<SchemaModel> Schemas, bool EmitBuiltIns, bool Public)
{
    /// <summary>The family of the known contract <paramref name="schemaVersion"/> names (graph, profile, ...), or null.</summary>
    public string? FamilyOf(string? schemaVersion) => Schemas.FirstOrDefault(schema => schema.SchemaVersion == schemaVersion)?.Family;

    /// <summary>No schema and no type to declare: the set of a compilation whose vocabularies the build writes.</summary>
    public static ContractSet None { get; } = new(new EquatableArray<SchemaModel>(System.Array.Empty<SchemaModel>()), EmitBuiltIns: false, Public: false);
}

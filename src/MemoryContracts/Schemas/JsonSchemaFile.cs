using MemoryContracts.Diagnostics;
using MemoryContracts.Documents;

namespace MemoryContracts.Schemas;

/// <summary>
/// Any JSON Schema file, compiled by the contract validator, to check any YAML or JSON document with positions: the
/// same keywords, formats and diagnostics as the contracts (MC1003 at the offending value, or the code a value's
/// schema names in <c>x-diagnostic</c>). Its references may lead into the catalog's schemas by <c>$id</c> or file name.
/// </summary>
public sealed class JsonSchemaFile
{
    /// <summary>The limits for documents that are only checked, never stored: the defaults, and strings may hold U+0000.</summary>
    private static readonly DocumentLimits CheckedOnly = new() { AllowNul = true };

    private readonly SchemaNode _root;

    private JsonSchemaFile(string path, SchemaNode root)
    {
        Path = path;
        _root = root;
    }

    /// <summary>The schema file as it was named.</summary>
    public string Path { get; }

    /// <summary>
    /// Loads and compiles a schema file; its problems (unreadable, not JSON, a keyword the validator does not enforce,
    /// a reference to nothing) are diagnostics with positions, and then there is no schema.
    /// </summary>
    /// <param name="path">The schema file.</param>
    /// <param name="catalog">Schemas its references may name; the built-in contract schemas when null.</param>
    public static JsonSchemaFileLoadResult Load(string path, SchemaCatalog? catalog = null)
    {
        if (!TryRead(path, out var content, out var problem))
        {
            return new JsonSchemaFileLoadResult(null, [problem!]);
        }

        var loaded = DocumentLoader.Load(path, content, DocumentFormat.Json, CheckedOnly);
        if (loaded.Document is null || loaded.Diagnostics.Count > 0)
        {
            return new JsonSchemaFileLoadResult(null, loaded.Diagnostics);
        }

        var (root, diagnostics) = SchemaCompiler.CompileStandalone(path, loaded.Document, catalog ?? SchemaCatalog.Default);
        return new JsonSchemaFileLoadResult(root is null ? null : new JsonSchemaFile(path, root), diagnostics);
    }

    /// <summary>Checks a YAML or JSON file (by its extension and content) against the schema: its reading problems, or else its violations.</summary>
    /// <param name="documentPath">The document.</param>
    /// <param name="limits">Bounds against hostile input; null for the defaults with U+0000 allowed in strings, since the document is not stored.</param>
    public IReadOnlyList<ContractDiagnostic> Validate(string documentPath, DocumentLimits? limits = null)
    {
        if (!TryRead(documentPath, out var content, out var problem))
        {
            return [problem!];
        }

        var loaded = DocumentLoader.Load(documentPath, content, limits: limits ?? CheckedOnly);
        return loaded.Document is null || loaded.Diagnostics.Count > 0 ? loaded.Diagnostics : Validate(loaded.Document.Root);
    }

    /// <summary>Checks a document already read with positions (<see cref="DocumentLoader"/>) against the schema.</summary>
    public IReadOnlyList<ContractDiagnostic> Validate(DocumentNode root) =>
        SchemaValidator.Validate(root, _root).Select(violation => violation.ToDiagnostic()).ToArray();

    private static bool TryRead(string path, out byte[] content, out ContractDiagnostic? problem)
    {
        try
        {
            content = File.ReadAllBytes(path);
            problem = null;
            return true;
        }
        catch (Exception exception) when (FileReadProblem.IsReadFailure(exception))
        {
            problem = FileReadProblem.Create(path, exception);
            content = [];
            return false;
        }
    }
}

/// <summary>A compiled schema file, or the diagnostics that explain why it cannot be used.</summary>
/// <param name="Schema">The schema, or null when it has problems.</param>
/// <param name="Diagnostics">Problems in the schema file (MC9002 at the keyword, MC1001 for JSON that does not parse, MC1010 when unreadable).</param>
public sealed record JsonSchemaFileLoadResult(JsonSchemaFile? Schema, IReadOnlyList<ContractDiagnostic> Diagnostics);

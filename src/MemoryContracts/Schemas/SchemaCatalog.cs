using System.Text;
using MemoryContracts.Diagnostics;
using MemoryContracts.Documents;

namespace MemoryContracts.Schemas;

/// <summary>
/// The contract schemas known to the toolchain. <see cref="Default"/> holds the schemas embedded from the
/// repository's <c>schemas/</c> folder; <see cref="Load(string)"/> adds schema files from elsewhere, such as a new version.
/// </summary>
public sealed class SchemaCatalog
{
    private const string ResourcePrefix = "schemas/";
    private static readonly Lazy<SchemaCatalog> DefaultCatalog = new(LoadEmbedded);
    private readonly Dictionary<string, ContractSchema> _bySchemaVersion;

    private SchemaCatalog(IReadOnlyList<ContractSchema> contracts)
    {
        Contracts = contracts;
        _bySchemaVersion = contracts.ToDictionary(contract => contract.SchemaVersion, StringComparer.Ordinal);
        Vocabularies = contracts.SelectMany(contract => contract.Vocabularies).ToArray();
    }

    /// <summary>The catalog of the schemas shipped with this assembly.</summary>
    public static SchemaCatalog Default => DefaultCatalog.Value;

    /// <summary>The contracts, ordered by contract identifier.</summary>
    public IReadOnlyList<ContractSchema> Contracts { get; }

    /// <summary>Every vocabulary the contracts declare.</summary>
    public IReadOnlyList<Vocabulary> Vocabularies { get; }

    /// <summary>The contract identifiers, for messages.</summary>
    public string DescribeKnownVersions() => string.Join(", ", Contracts.Select(contract => "'" + contract.SchemaVersion + "'"));

    /// <summary>Finds the contract a fixture names in <c>schema_version</c>.</summary>
    public ContractSchema? FindBySchemaVersion(string schemaVersion) =>
        _bySchemaVersion.TryGetValue(schemaVersion, out var contract) ? contract : null;

    /// <summary>Finds a vocabulary by name in the schemas of one contract family, newest contract first.</summary>
    public Vocabulary? FindVocabulary(string name, ContractSchema contract) =>
        contract.Vocabularies.FirstOrDefault(vocabulary => vocabulary.Name == name) ??
        Vocabularies.LastOrDefault(vocabulary => vocabulary.Name == name);

    /// <summary>
    /// Loads the embedded schemas plus the <c>*.schema.json</c> files of a folder. A file with the same name as
    /// an embedded schema replaces it.
    /// </summary>
    public static SchemaCatalogLoadResult Load(string directory) =>
        Load(Directory.GetFiles(directory, "*.schema.json").OrderBy(path => path, StringComparer.Ordinal));

    /// <summary>Loads the embedded schemas plus schema files; a file with the same name as an embedded schema replaces it.</summary>
    public static SchemaCatalogLoadResult Load(IEnumerable<string> files)
    {
        var sources = EmbeddedSources().ToDictionary(source => source.FileName, StringComparer.Ordinal);
        foreach (var path in files)
        {
            sources[Path.GetFileName(path)] = (path, File.ReadAllBytes(path));
        }

        return Compile(sources.Values.Select(source => (source.FileName, source.Content)));
    }

    /// <summary>Compiles a catalog from schema file contents, reporting MC9002 for schemas that cannot be used.</summary>
    public static SchemaCatalogLoadResult Compile(IEnumerable<(string Path, byte[] Content)> files)
    {
        var diagnostics = new List<ContractDiagnostic>();
        var documents = new List<(string, string, SourceDocument)>();
        foreach (var (path, content) in files.OrderBy(file => Path.GetFileName(file.Path), StringComparer.Ordinal))
        {
            var loaded = DocumentLoader.Load(path, content, DocumentFormat.Json);
            diagnostics.AddRange(loaded.Diagnostics);
            if (loaded.Document is not null && loaded.Diagnostics.Count == 0)
            {
                documents.Add((Path.GetFileName(path), Encoding.UTF8.GetString(content), loaded.Document));
            }
        }

        var (contracts, schemaDiagnostics) = SchemaCompiler.Compile(documents);
        diagnostics.AddRange(schemaDiagnostics);
        foreach (var duplicate in contracts.GroupBy(contract => contract.SchemaVersion).Where(group => group.Count() > 1))
        {
            diagnostics.Add(DiagnosticCatalog.InvalidSchema.Create(SourceLocation.File(duplicate.Last().FileName), $"contract '{duplicate.Key}' is declared by more than one schema: {string.Join(", ", duplicate.Select(contract => contract.FileName))}"));
        }

        var catalog = diagnostics.Count == 0
            ? new SchemaCatalog(contracts.OrderBy(contract => contract.SchemaVersion, StringComparer.Ordinal).ToArray())
            : null;
        return new SchemaCatalogLoadResult(catalog, diagnostics);
    }

    private static SchemaCatalog LoadEmbedded()
    {
        var result = Compile(EmbeddedSources());
        return result.Catalog ?? throw new InvalidOperationException(
            "The embedded contract schemas are invalid: " + string.Join(Environment.NewLine, result.Diagnostics));
    }

    /// <summary>The built-in contract schema files, as <c>schemas/</c> holds them: file name and exact bytes, ordinal order.</summary>
    public static IReadOnlyList<(string FileName, byte[] Content)> BuiltInSchemaFiles => EmbeddedSources().ToArray();

    private static IEnumerable<(string FileName, byte[] Content)> EmbeddedSources()
    {
        var assembly = typeof(SchemaCatalog).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal)).OrderBy(name => name, StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            yield return (name.Substring(ResourcePrefix.Length), buffer.ToArray());
        }
    }
}

/// <summary>A compiled catalog, or the MC9002 diagnostics that explain why the schemas cannot be used.</summary>
/// <param name="Catalog">The catalog, or null when a schema is invalid.</param>
/// <param name="Diagnostics">Problems in the schema files.</param>
public sealed record SchemaCatalogLoadResult(SchemaCatalog? Catalog, IReadOnlyList<ContractDiagnostic> Diagnostics);

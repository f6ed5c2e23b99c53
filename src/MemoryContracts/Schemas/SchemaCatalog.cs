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
    private readonly Dictionary<string, string> _unusable;

    private SchemaCatalog(IReadOnlyList<ContractSchema> contracts, Dictionary<string, string> unusable)
    {
        Contracts = contracts;
        _unusable = unusable;
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

    /// <summary>
    /// The schema file of a contract that was left out of this catalog because its schema, or one it refers to, has
    /// problems (reported as MC9002 when the catalog was loaded); null for a contract that is usable or unknown.
    /// </summary>
    public string? FindUnusable(string schemaVersion) =>
        _unusable.TryGetValue(schemaVersion, out var fileName) ? fileName : null;

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

    /// <summary>
    /// Compiles a catalog from schema file contents. A schema with a problem (MC9002) is left out with every schema
    /// that refers into it, and only those: the other contracts stay usable, and a fixture naming a contract left out
    /// is told why (<see cref="FindUnusable"/>).
    /// </summary>
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

        var (contracts, schemaDiagnostics, referencedIds) = SchemaCompiler.Compile(documents);
        diagnostics.AddRange(schemaDiagnostics);
        var broken = new HashSet<string>(diagnostics.Select(diagnostic => Path.GetFileName(diagnostic.Location.Path)), StringComparer.Ordinal);
        foreach (var duplicate in contracts.GroupBy(contract => contract.SchemaVersion).Where(group => group.Count() > 1))
        {
            diagnostics.Add(DiagnosticCatalog.InvalidSchema.Create(SourceLocation.File(duplicate.Last().FileName), $"contract '{duplicate.Key}' is declared by more than one schema: {string.Join(", ", duplicate.Select(contract => contract.FileName))}"));
            broken.UnionWith(duplicate.Skip(1).Select(contract => contract.FileName));
        }

        var unusable = contracts.Where(contract => broken.Contains(contract.FileName)).ToList();
        for (var grown = true; grown;)
        {
            var ids = new HashSet<string>(unusable.Select(contract => contract.Id), StringComparer.Ordinal);
            var dependents = contracts.Except(unusable).Where(contract => referencedIds.TryGetValue(contract.Id, out var targets) && targets.Overlaps(ids)).ToArray();
            unusable.AddRange(dependents);
            grown = dependents.Length > 0;
        }

        var usable = contracts.Except(unusable).OrderBy(contract => contract.SchemaVersion, StringComparer.Ordinal).ToArray();
        var catalog = usable.Length == 0 ? null : new SchemaCatalog(
            usable,
            unusable.GroupBy(contract => contract.SchemaVersion, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.First().FileName, StringComparer.Ordinal));
        return new SchemaCatalogLoadResult(catalog, diagnostics);
    }

    private static SchemaCatalog LoadEmbedded()
    {
        var result = Compile(EmbeddedSources());
        return result.Diagnostics.Count == 0 ? result.Catalog! : throw new InvalidOperationException(
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

/// <summary>A compiled catalog of the usable contracts, and the MC9002 diagnostics that explain the schemas left out.</summary>
/// <param name="Catalog">The usable contracts (a schema with problems is left out with every schema that refers into it), or null when none is usable.</param>
/// <param name="Diagnostics">Problems in the schema files.</param>
public sealed record SchemaCatalogLoadResult(SchemaCatalog? Catalog, IReadOnlyList<ContractDiagnostic> Diagnostics);

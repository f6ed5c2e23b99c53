using MemoryContracts.Diagnostics;
using MemoryContracts.Documents;
using MemoryContracts.Schemas;

namespace MemoryContracts.Validation;

/// <summary>
/// Validates fixture files: reading (syntax, encoding, limits), the contract named by <c>schema_version</c>, its
/// JSON Schema, and the semantic checks of its family. Files that fixtures reference are validated once and
/// cached, so a graph shared by many selections is read once per validator. One validator serves one thread;
/// to validate on several, give each its own (see <c>CatalogValidation</c>).
/// </summary>
public sealed class ContractValidator
{
    private static readonly IReadOnlyDictionary<string, IContractSemantics> Semantics = new IContractSemantics[]
    {
        new GraphSemantics(), new ProfileSemantics(), new SelectionSemantics(), new ManifestSemantics(), new BoundarySemantics(),
    }.ToDictionary(semantics => semantics.Family, StringComparer.Ordinal);

    /// <summary>Documents with at least this many values are checked against schema and semantics in parallel.</summary>
    private const int ParallelCheckThreshold = 200_000;

    private readonly Dictionary<string, FixtureResult> _results = new(StringComparer.Ordinal);
    private readonly List<FixtureResult> _order = new();
    private FixturePrefetch? _prefetch;

    /// <summary>Creates a validator.</summary>
    public ContractValidator(ValidationOptions? options = null)
    {
        Options = options ?? ValidationOptions.Default;
    }

    /// <summary>The options in force.</summary>
    public ValidationOptions Options { get; }

    /// <summary>Every file validated so far, named or referenced, in the order they were first reached.</summary>
    public IReadOnlyList<FixtureResult> Results => _order;

    /// <summary>Validates a file, or returns the cached result if it was validated already.</summary>
    /// <param name="path">The file as the user names it; diagnostics carry this path.</param>
    public FixtureResult Validate(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        if (_results.TryGetValue(fullPath, out var cached))
        {
            return cached;
        }

        var result = new FixtureResult(path, fullPath);
        _results.Add(fullPath, result);
        _order.Add(result);
        try
        {
            if (TryRead(result, out var content))
            {
                Validate(result, content, _prefetch?.Loaded(fullPath, path));
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            result.Add(DiagnosticCatalog.InternalError.Create(SourceLocation.File(path), exception.GetType().Name + ": " + exception.Message));
        }

        result.SortDiagnostics();
        return result;
    }

    /// <summary>
    /// Validates a file as <see cref="Validate(string)"/> does, after reading it and the files it names (a selection's
    /// graph and profile, a manifest's selections and graphs) asynchronously, each once. Cancellation is honoured
    /// while files are read; the checks that follow are not interrupted. With a replaced
    /// <see cref="ValidationOptions.ReadFile"/> the files are read through it, synchronously.
    /// </summary>
    /// <param name="path">The file as the user names it; diagnostics carry this path.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    public async ValueTask<FixtureResult> ValidateAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!_results.ContainsKey(System.IO.Path.GetFullPath(path)) && Options.ReadFile.Equals(ValidationOptions.Default.ReadFile))
        {
            _prefetch ??= new FixturePrefetch(Options);
            await _prefetch.ReadAsync(path, cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Validate(path);
    }

    /// <summary>Validates content that is not read from disk (an editor buffer, a test); references resolve from <paramref name="path"/>.</summary>
    public FixtureResult Validate(string path, byte[] content) => ValidateUnread(path, content, loaded: null);

    /// <summary>Validates a document already loaded, or the diagnostics that say why it could not be (a record built in memory, see <see cref="Model.Wire.TapeWireWriter"/>).</summary>
    internal FixtureResult Validate(string path, DocumentLoadResult loaded) => ValidateUnread(path, [], loaded);

    private FixtureResult ValidateUnread(string path, byte[] content, DocumentLoadResult? loaded)
    {
        var result = new FixtureResult(path, System.IO.Path.GetFullPath(path));
        Validate(result, content, loaded);
        result.SortDiagnostics();
        return result;
    }

    private bool TryRead(FixtureResult result, out byte[] content)
    {
        if (_prefetch is not null && _prefetch.TryGetContent(result.FullPath, out content))
        {
            return true;
        }

        try
        {
            content = Options.ReadFile(result.FullPath);
            return true;
        }
        catch (Exception exception) when (FileReadProblem.IsReadFailure(exception))
        {
            result.Add(FileReadProblem.Create(result.Path, exception));
            content = [];
            return false;
        }
    }

    private void Validate(FixtureResult result, byte[] content, DocumentLoadResult? loaded)
    {
        loaded ??= DocumentLoader.Load(result.Path, content, limits: Options.Limits);
        result.AddRange(loaded.Diagnostics);
        result.Document = loaded.Document;
        if (loaded.Document is null)
        {
            return;
        }

        var contract = DetectContract(result, loaded.Document.Root);
        if (contract is null)
        {
            return;
        }

        result.Contract = contract;
        Semantics.TryGetValue(contract.Family, out var semantics);
        var root = loaded.Document.Root;

        // Schema and semantic checks only read the document, so a large one is checked on two cores at once.
        // Semantic checks add their diagnostics to the result; schema violations are added after both finish.
        IReadOnlyList<SchemaViolation> violations;
        if (semantics is not null && loaded.Document.ValueCount >= ParallelCheckThreshold)
        {
            var schemaCheck = Task.Run(() => CheckSchema(root, contract));
            semantics.Check(new FixtureContext(this, result, contract));
            violations = schemaCheck.GetAwaiter().GetResult();
        }
        else
        {
            violations = CheckSchema(root, contract);
            semantics?.Check(new FixtureContext(this, result, contract));
        }

        foreach (var violation in violations)
        {
            result.Add(violation.ToDiagnostic());
        }
    }

    private IReadOnlyList<SchemaViolation> CheckSchema(DocumentNode root, ContractSchema contract) =>
        Options.SchemaEngine is { } engine ? engine.Validate(root, contract) : SchemaValidator.Validate(root, contract);

    private ContractSchema? DetectContract(FixtureResult result, DocumentNode root)
    {
        var catalog = Options.Catalog;
        if (!root.IsMapping)
        {
            result.Add(DiagnosticCatalog.UnknownSchemaVersion.Create(root.Location, $"a fixture must be a mapping with a 'schema_version', not {root.Describe()}"));
            return null;
        }

        if (!root.TryGetProperty("schema_version", out var version))
        {
            result.Add(DiagnosticCatalog.UnknownSchemaVersion.Create(root.Location, $"the fixture has no 'schema_version'; name one of {catalog.DescribeKnownVersions()}"));
            return null;
        }

        if (!version.IsString)
        {
            result.Add(DiagnosticCatalog.UnknownSchemaVersion.Create(version.Location, $"'schema_version' must be a string naming a contract, not {version.Describe()}; known contracts are {catalog.DescribeKnownVersions()}"));
            return null;
        }

        var contract = catalog.FindBySchemaVersion(version.GetString());
        if (contract is null && catalog.FindUnusable(version.GetString()) is { } schemaFile)
        {
            result.Add(DiagnosticCatalog.InvalidSchema.Create(version.Location, $"contract '{version.GetString()}' cannot be used: its schema '{schemaFile}', or a schema it refers to, has errors (reported there); fixtures of other contracts are validated"));
        }
        else if (contract is null)
        {
            var hint = Suggestions.Hint(Suggestions.Closest(version.GetString(), catalog.Contracts.Select(known => known.SchemaVersion)));
            result.Add(DiagnosticCatalog.UnknownSchemaVersion.Create(version.Location, $"schema_version '{version.GetString()}' is not a known contract{hint}; known contracts are {catalog.DescribeKnownVersions()}"));
        }

        return contract;
    }
}

using MemoryContracts.Diagnostics;
using MemoryContracts.Documents;
using MemoryContracts.Model;
using MemoryContracts.Packing;
using MemoryContracts.Schemas;

namespace MemoryContracts.Validation;

/// <summary>What validation found for one file: its document, its contract, its diagnostics and, when valid, its model.</summary>
public sealed class FixtureResult
{
    private readonly List<ContractDiagnostic> _diagnostics = new();
    private readonly List<string> _references = new();
    private MemoryGraph? _graph;
    private MemoryProfile? _profile;
    private MemorySelection? _selection;
    private ContextManifest? _manifest;
    private ContextPolicy? _policy;
    private ContextPackage? _package;

    internal FixtureResult(string path, string fullPath)
    {
        Path = path;
        FullPath = fullPath;
    }

    /// <summary>The file as the user named it.</summary>
    public string Path { get; }

    /// <summary>The file's absolute path.</summary>
    public string FullPath { get; }

    /// <summary>The loaded document, or null when the file could not be read.</summary>
    public SourceDocument? Document { get; internal set; }

    /// <summary>The contract the file names, or null when it names none that is known.</summary>
    public ContractSchema? Contract { get; internal set; }

    /// <summary>The diagnostics of this file, ordered by position.</summary>
    public IReadOnlyList<ContractDiagnostic> Diagnostics => _diagnostics;

    /// <summary>Whether any diagnostic is an error.</summary>
    public bool HasErrors => _diagnostics.Any(diagnostic => diagnostic.IsError);

    /// <summary>The number of errors.</summary>
    public int ErrorCount => _diagnostics.Count(diagnostic => diagnostic.IsError);

    /// <summary>The absolute paths of the files this file names (a selection's graph and profile), found or not.</summary>
    public IReadOnlyList<string> References => _references;

    /// <summary>For a selection that compiled: its context package.</summary>
    public PackageCompilation? Package { get; internal set; }

    /// <summary>The graph model, for a valid graph fixture.</summary>
    public MemoryGraph? Graph => IsValidFamily("graph") ? _graph ??= ModelReader.ReadGraph(Document!.Root) : null;

    /// <summary>The profile model, for a valid profile fixture.</summary>
    public MemoryProfile? Profile => IsValidFamily("profile") ? _profile ??= ModelReader.ReadProfile(Document!.Root) : null;

    /// <summary>The selection model, for a valid selection fixture.</summary>
    public MemorySelection? Selection => IsValidFamily("selection") ? _selection ??= ModelReader.ReadSelection(Document!.Root) : null;

    /// <summary>The manifest model, for a valid context manifest.</summary>
    public ContextManifest? Manifest => IsValidFamily("manifest") ? _manifest ??= ModelReader.ReadManifest(Document!.Root) : null;

    /// <summary>The policy model, for a valid local label policy.</summary>
    public ContextPolicy? Policy => IsValidFamily("policy") ? _policy ??= ModelReader.ReadContextPolicy(Document!.Root) : null;

    /// <summary>The package model, for a valid context package file.</summary>
    public ContextPackage? ContextPackage => IsValidFamily("package") ? _package ??= ModelReader.ReadPackage(Document!.Root) : null;

    /// <summary>How many diagnostics one file lists (errors and warnings of every kind); the rest are counted in one closing line.</summary>
    internal const int MaximumDiagnostics = 1000;

    private int _unlisted;

    internal void Add(ContractDiagnostic diagnostic)
    {
        if (_diagnostics.Count < MaximumDiagnostics)
        {
            _diagnostics.Add(diagnostic);
        }
        else
        {
            _unlisted += diagnostic.IsError ? 1 : 0;
        }
    }

    internal void AddReference(string fullPath)
    {
        if (!_references.Contains(fullPath))
        {
            _references.Add(fullPath);
        }
    }

    internal void AddRange(IEnumerable<ContractDiagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            Add(diagnostic);
        }
    }

    /// <summary>
    /// Replaces what was said about a file reached only through a reference and found to be no contract file with
    /// one error that quotes none of its content (a secret file named as a graph must not leak into a build log).
    /// </summary>
    internal void Withhold()
    {
        _diagnostics.Clear();
        _diagnostics.Add(DiagnosticCatalog.UnknownSchemaVersion.Create(SourceLocation.File(Path), WithheldMessage));
    }

    private const string WithheldMessage = "this file is not a contract fixture (a fixture names it); its content is not shown";

    internal void SortDiagnostics()
    {
        // A valid fixture (every appended record the runtime checks) has nothing to sort.
        if (_diagnostics.Count == 0)
        {
            return;
        }

        var ordered = _diagnostics
            .OrderBy(diagnostic => diagnostic.Location.Line)
            .ThenBy(diagnostic => diagnostic.Location.Column)
            .ThenBy(diagnostic => diagnostic.Code, StringComparer.Ordinal)
            .ThenBy(diagnostic => diagnostic.Message, StringComparer.Ordinal)
            .Distinct()
            .ToList();
        _diagnostics.Clear();
        _diagnostics.AddRange(ordered);
        if (_unlisted > 0)
        {
            _diagnostics.Add(DiagnosticCatalog.SchemaViolation.Create(SourceLocation.File(Path), $"{_unlisted} more error(s) in this file are not listed; the first {MaximumDiagnostics} problems are"));
            _unlisted = 0;
        }
    }

    private bool IsValidFamily(string family) => Document is not null && Contract?.Family == family && !HasErrors;
}

using MemoryContracts.Diagnostics;
using MemoryContracts.Packing;
using MemoryContracts.Schemas;
using MemoryContracts.Validation;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace MemoryContracts.Build;

/// <summary>
/// Validates the <c>MemoryFixture</c> items of a project and compiles its selections into context packages.
/// Every problem is logged as a canonical MSBuild error or warning with code, file, line, column, end position
/// and help link; nothing is written to the console. Fixtures are validated on all cores.
/// </summary>
public sealed class ValidateMemoryFixtures : Microsoft.Build.Utilities.Task
{
    /// <summary>The fixtures, relative to the project. Metadata <c>Pack="false"</c> keeps a selection's package out.</summary>
    [Required]
    public ITaskItem[] Fixtures { get; set; } = [];

    /// <summary>Extra contract schemas (<c>MemoryContractSchema</c> items), such as a new contract version.</summary>
    public ITaskItem[] Schemas { get; set; } = [];

    /// <summary>Whether every warning is an error (<c>MemoryContractsTreatWarningsAsErrors</c>).</summary>
    public bool TreatWarningsAsErrors { get; set; }

    /// <summary>Codes that are errors even when they are warnings (the project's <c>WarningsAsErrors</c>).</summary>
    public string? WarningsAsErrors { get; set; }

    /// <summary>Codes that are not reported (the project's <c>NoWarn</c>).</summary>
    public string? NoWarn { get; set; }

    /// <summary>Folder the context packages are written to; empty to write none.</summary>
    public string? PackageOutputDirectory { get; set; }

    /// <summary><c>json</c> (default) or <c>yaml</c>.</summary>
    public string? PackageFormat { get; set; }

    /// <summary>Where validation results are remembered between builds (under obj/); empty to validate everything every time.</summary>
    public string? CacheFile { get; set; }

    /// <summary>The folder every file a fixture names must stay inside, after links are resolved (MC4010); nothing is checked when empty.</summary>
    public string? Root { get; set; }

    /// <summary>The context packages written.</summary>
    [Output]
    public ITaskItem[] Packages { get; set; } = [];

    /// <summary>
    /// The build settings that change what validation reports or packs (package format, warning policy, root, ...);
    /// the cache remembers outcomes only for the settings they were made under.
    /// </summary>
    public string? Settings { get; set; }

    /// <summary>
    /// Report what the cache remembers for unchanged fixtures (a build that skipped validation replays its warnings),
    /// writing no package and no cache.
    /// </summary>
    public bool ReplayOnly { get; set; }

    /// <summary>True once the task has run (set only by a real run, never by MSBuild's inference for a skipped target).</summary>
    [Output]
    public bool Validated { get; set; }

    /// <inheritdoc />
    public override bool Execute()
    {
        var options = CreateOptions();
        if (options is null)
        {
            return false;
        }

        var fixtures = Fixtures.Where(item => !IsFalse(item.GetMetadata("Validate"))).Select(item => item.ItemSpec).ToArray();
        var key = ValidationCache.KeyOf(Schemas.Select(item => item.ItemSpec), Settings ?? string.Empty);
        var cache = ValidationCache.Load(string.IsNullOrEmpty(CacheFile) ? null : CacheFile, key);
        var stale = fixtures.Where(path => cache.Valid(Path.GetFullPath(path)) is null).ToArray();
        var fresh = stale.Length == 0 ? [] : CatalogValidation.Validate(stale, options, Environment.ProcessorCount);
        Log.LogMessage(MessageImportance.Normal, "MemoryContracts: validated {0} of {1} fixture(s); {2} unchanged since the last build.", stale.Length, fixtures.Length, fixtures.Length - stale.Length);

        var writes = !ReplayOnly && !string.IsNullOrEmpty(PackageOutputDirectory);
        var written = writes ? WritePackages(fresh) : new Dictionary<string, string>(StringComparer.Ordinal);
        var outcomes = Outcomes(fixtures, fresh, cache, written);
        var policy = new DiagnosticPolicy(TreatWarningsAsErrors, [NoWarn ?? string.Empty], [WarningsAsErrors ?? string.Empty]);
        foreach (var diagnostic in outcomes.SelectMany(outcome => outcome.Diagnostics).Select(policy.Apply).OfType<ContractDiagnostic>())
        {
            Report(diagnostic);
        }

        if (writes)
        {
            RemoveStalePackages(outcomes);
        }

        if (!ReplayOnly && !string.IsNullOrEmpty(CacheFile))
        {
            ValidationCache.Save(CacheFile!, key, outcomes);
        }

        Validated = true;
        return !Log.HasLoggedErrors;
    }

    /// <summary>
    /// One outcome per file, fresh or remembered: the named fixtures in their order, then the files they reference,
    /// by path.
    /// </summary>
    private static List<CachedFile> Outcomes(string[] fixtures, IReadOnlyList<FixtureResult> fresh, ValidationCache cache, Dictionary<string, string> written)
    {
        var byPath = new Dictionary<string, CachedFile>(StringComparer.Ordinal);
        foreach (var result in fresh)
        {
            var dependencies = result.References.Select(reference => new KeyValuePair<string, string>(reference, cache.Hash(reference))).ToArray();
            byPath[result.FullPath] = new CachedFile(result.FullPath, cache.Hash(result.FullPath), dependencies, result.Diagnostics, written.TryGetValue(result.FullPath, out var package) ? package : null);
        }

        CachedFile? Lookup(string path) => byPath.TryGetValue(path, out var outcome) ? outcome : cache.Valid(path);

        // The same order as CatalogValidation: named fixtures as given, then every file they reference, by path.
        var named = fixtures.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToList();
        var seen = new HashSet<string>(named, StringComparer.Ordinal);
        var referenced = new SortedSet<string>(StringComparer.Ordinal);
        var work = new Stack<string>(named);
        while (work.Count > 0)
        {
            foreach (var dependency in Lookup(work.Pop())?.Dependencies ?? [])
            {
                if (File.Exists(dependency.Key) && seen.Add(dependency.Key))
                {
                    referenced.Add(dependency.Key);
                    work.Push(dependency.Key);
                }
            }
        }

        return named.Concat(referenced).Select(Lookup).OfType<CachedFile>().ToList();
    }

    private ValidationOptions? CreateOptions()
    {
        var root = string.IsNullOrEmpty(Root) ? null : Root;
        if (Schemas.Length == 0)
        {
            return ValidationOptions.Default with { Root = root };
        }

        var loaded = SchemaCatalog.Load(Schemas.Select(item => item.ItemSpec));
        foreach (var diagnostic in loaded.Diagnostics)
        {
            Report(diagnostic);
        }

        // A schema with problems fails the build, but only the fixtures of its own contracts go unvalidated.
        return loaded.Catalog is null ? null : new ValidationOptions { Catalog = loaded.Catalog, Root = root };
    }

    /// <summary>Writes the packages of freshly validated selections; returns the file name written for each selection.</summary>
    private Dictionary<string, string> WritePackages(IReadOnlyList<FixtureResult> results)
    {
        var format = string.Equals(PackageFormat, "yaml", StringComparison.OrdinalIgnoreCase) ? Packing.PackageFormat.Yaml : Packing.PackageFormat.Json;
        var excluded = new HashSet<string>(Fixtures.Where(item => IsFalse(item.GetMetadata("Pack"))).Select(item => Path.GetFullPath(item.ItemSpec)), StringComparer.Ordinal);
        var packable = results.Where(result => !excluded.Contains(result.FullPath)).ToArray();
        var emitted = PackageEmitter.Emit(packable, PackageOutputDirectory!, format);
        foreach (var diagnostic in emitted.Diagnostics)
        {
            Report(diagnostic);
        }

        var written = new HashSet<string>(emitted.Written.Select(Path.GetFullPath), StringComparer.Ordinal);
        return packable
            .Where(result => result.Package is not null)
            .Select(result => (result.FullPath, Name: PackageEmitter.FileNameOf(result.Package!.Package.Id, format)))
            .Where(pair => written.Contains(Path.GetFullPath(Path.Combine(PackageOutputDirectory!, pair.Name))))
            .ToDictionary(pair => pair.FullPath, pair => pair.Name, StringComparer.Ordinal);
    }

    /// <summary>A selection that was removed or broke since the last build leaves no package behind.</summary>
    private void RemoveStalePackages(IEnumerable<CachedFile> outcomes)
    {
        var expected = new HashSet<string>(outcomes.Where(outcome => outcome.Package is not null).Select(outcome => outcome.Package!), StringComparer.Ordinal);
        foreach (var stale in Directory.GetFiles(PackageOutputDirectory!, "*.context.*").Where(file => !expected.Contains(Path.GetFileName(file))))
        {
            File.Delete(stale);
        }

        Packages = Directory.GetFiles(PackageOutputDirectory!, "*.context.*").OrderBy(file => file, StringComparer.Ordinal).Select(file => (ITaskItem)new TaskItem(file)).ToArray();
    }

    private void Report(ContractDiagnostic diagnostic)
    {
        // A whole-file problem is placed at the start of its file, as the command line prints it, so every line has a position.
        var location = diagnostic.Location.HasPosition || diagnostic.Location.NamesNoFile ? diagnostic.Location : diagnostic.Location with { Line = 1, Column = 1 };
        if (diagnostic.IsError)
        {
#if NET8_0_OR_GREATER
            Log.LogError(null, diagnostic.Code, null, diagnostic.Descriptor.HelpLink, location.Path, location.Line, location.Column, location.EndLine, location.EndColumn, "{0}", diagnostic.Message);
#else
            Log.LogError(null, diagnostic.Code, null, location.Path, location.Line, location.Column, location.EndLine, location.EndColumn, "{0}", diagnostic.Message);
#endif
        }
        else
        {
#if NET8_0_OR_GREATER
            Log.LogWarning(null, diagnostic.Code, null, diagnostic.Descriptor.HelpLink, location.Path, location.Line, location.Column, location.EndLine, location.EndColumn, "{0}", diagnostic.Message);
#else
            Log.LogWarning(null, diagnostic.Code, null, location.Path, location.Line, location.Column, location.EndLine, location.EndColumn, "{0}", diagnostic.Message);
#endif
        }
    }

    private static bool IsFalse(string value) => string.Equals(value, "false", StringComparison.OrdinalIgnoreCase);
}

using MemoryContracts.Diagnostics;
using MemoryContracts.Validation;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace MemoryContracts.Build;

/// <summary>
/// Validates the <c>MemoryFixture</c> items of a project, remembering results between builds, and names the valid
/// selections that <see cref="PackMemoryContexts"/> then compiles into context packages. Every problem is logged as
/// a canonical MSBuild error or warning with code, file, line, column, end position and help link; nothing is
/// written to the console. Fixtures are validated on all cores.
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

    /// <summary>Where validation results are remembered between builds (under obj/); empty to validate everything every time.</summary>
    public string? CacheFile { get; set; }

    /// <summary>
    /// A file that exists exactly when the last validation reported something (a warning) that a no-change build must
    /// replay, or named a selection whose line in <see cref="SelectionsFile"/> would not read back as written; a build
    /// with nothing to replay then never loads this task. Empty for none.
    /// </summary>
    public string? ReplayFile { get; set; }

    /// <summary>
    /// Where the valid selections are listed for a no-change build, one <c>path|PackageId|PackageName</c> line each,
    /// so MSBuild reads them without loading this task. Empty for none.
    /// </summary>
    public string? SelectionsFile { get; set; }

    /// <summary>The folder every file a fixture names must stay inside, after links are resolved (MC4010); nothing is checked when empty.</summary>
    public string? Root { get; set; }

    /// <summary>
    /// The valid selections to pack (fixtures whose metadata does not say <c>Pack="false"</c>), each with its
    /// package id as <c>PackageId</c> metadata and the package's file name without extension as <c>PackageName</c>;
    /// named whether they were validated now or remembered, and also when validation fails.
    /// </summary>
    [Output]
    public ITaskItem[] Selections { get; set; } = [];

    /// <summary>
    /// The build settings that change what validation reports or packs (package format, warning policy, root, ...);
    /// the cache remembers outcomes only for the settings they were made under.
    /// </summary>
    public string? Settings { get; set; }

    /// <summary>
    /// Report what the cache remembers for unchanged fixtures (a build that skipped validation replays its warnings)
    /// and name its selections, writing no cache.
    /// </summary>
    public bool ReplayOnly { get; set; }

    /// <summary>True once the task has run (set only by a real run, never by MSBuild's inference for a skipped target).</summary>
    [Output]
    public bool Validated { get; set; }

    /// <inheritdoc />
    public override bool Execute()
    {
        var options = BuildLog.CreateOptions(Log, Schemas, Root);
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

        var outcomes = Outcomes(fixtures, fresh, cache);
        var policy = new DiagnosticPolicy(TreatWarningsAsErrors, [NoWarn ?? string.Empty], [WarningsAsErrors ?? string.Empty]);
        var reported = outcomes.SelectMany(outcome => outcome.Diagnostics).Select(policy.Apply).OfType<ContractDiagnostic>().ToList();
        foreach (var diagnostic in reported)
        {
            BuildLog.Report(Log, diagnostic);
        }

        var unpacked = new HashSet<string>(Fixtures.Where(item => IsFalse(item.GetMetadata("Pack"))).Select(item => Path.GetFullPath(item.ItemSpec)), StringComparer.Ordinal);
        Selections = outcomes
            .Where(outcome => outcome.Package is not null && !unpacked.Contains(outcome.FullPath))
            .Select(outcome => (ITaskItem)TaskItems.Literal(outcome.FullPath, new Dictionary<string, string> { ["PackageId"] = outcome.Package!, ["PackageName"] = IO.IdFileName.For(outcome.Package!) }))
            .ToArray();

        if (!ReplayOnly && !string.IsNullOrEmpty(CacheFile))
        {
            ValidationCache.Save(CacheFile!, key, outcomes);
        }

        var listed = Selections.Select(item => string.Join("|", item.ItemSpec, item.GetMetadata("PackageId"), item.GetMetadata("PackageName"))).ToArray();
        if (!ReplayOnly && !string.IsNullOrEmpty(ReplayFile))
        {
            MarkReplay(ReplayFile!, reported.Count > 0 || !listed.All(ReadsBackAsWritten));
        }

        if (!ReplayOnly && !string.IsNullOrEmpty(SelectionsFile))
        {
            File.WriteAllLines(SelectionsFile!, listed);
        }

        Validated = true;
        return !Log.HasLoggedErrors;
    }

    /// <summary>
    /// Whether MSBuild's <c>ReadLinesFromFile</c> and the targets' split give back the line's three fields unchanged:
    /// not when a field holds the separator or a line break, or the line has whitespace at either end (the task trims
    /// it). Otherwise the no-change build is sent to this task (the replay marker), which names the selections itself.
    /// </summary>
    private static bool ReadsBackAsWritten(string line) =>
        line.Count(character => character == '|') == 2 && line.IndexOfAny(['\r', '\n']) < 0 && line.Trim().Length == line.Length;

    private static void MarkReplay(string path, bool needed)
    {
        if (needed)
        {
            File.WriteAllText(path, string.Empty);
        }
        else if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// One outcome per file, fresh or remembered: the named fixtures in their order, then the files they reference,
    /// by path.
    /// </summary>
    private static List<CachedFile> Outcomes(string[] fixtures, IReadOnlyList<FixtureResult> fresh, ValidationCache cache)
    {
        var byPath = new Dictionary<string, CachedFile>(StringComparer.Ordinal);
        foreach (var result in fresh)
        {
            var dependencies = result.References.Select(reference => new KeyValuePair<string, string>(reference, cache.Hash(reference))).ToArray();
            var packageId = result.Diagnostics.Any(diagnostic => diagnostic.IsError) ? null : result.Package?.Package.Id;
            byPath[result.FullPath] = new CachedFile(result.FullPath, cache.Hash(result.FullPath), dependencies, result.Diagnostics, packageId);
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

    private static bool IsFalse(string value) => string.Equals(value, "false", StringComparison.OrdinalIgnoreCase);
}

using MemoryContracts.Build.Accessors;
using MemoryContracts.Diagnostics;
using MemoryContracts.Generators;
using MemoryContracts.Generators.Emitting;
using MemoryContracts.Generators.Model;
using MemoryContracts.Generators.Parsing;
using MemoryContracts.IO;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace MemoryContracts.Build;

/// <summary>
/// Writes the typed accessors of the project's fixtures into an assembly of their own and its XML documentation file
/// (<c>MemoryContractsAccessors=Assembly</c>): the members the source generator would write, from the same reader and
/// the same plan, as metadata the compiler binds without compiling them. MC2011 (two ids, or two fixture files, that
/// would become the same C# name) is reported here at the id's position, as the generator reports it; the problems the
/// build's validation reports too are left to it unless validation is off.
/// </summary>
public sealed class WriteMemoryAccessors : Task
{
    /// <summary>The fixtures that get accessors (none: an empty <c>MemoryFixtures</c>, as the generator writes).</summary>
    public ITaskItem[] Fixtures { get; set; } = [];

    /// <summary>Extra contract schemas (MemoryContractSchema items), for the family of their fixtures and their vocabularies.</summary>
    public ITaskItem[] Schemas { get; set; } = [];

    /// <summary>The name of the assembly to write.</summary>
    [Required]
    public string AssemblyName { get; set; } = string.Empty;

    /// <summary>The project's assembly: the one assembly that sees the vocabularies, which are internal as the generator declares them.</summary>
    [Required]
    public string ProjectAssemblyName { get; set; } = string.Empty;

    /// <summary>
    /// Whether the assembly holds the vocabularies too (enums, companions and <c>SchemaVersions</c>), so the generator
    /// declares none; the build sets it unless the project is strong-named (the assembly is not, and could not name it).
    /// </summary>
    public bool WriteVocabularies { get; set; }

    /// <summary>Whether the built-in vocabularies are declared: false when the project references the MemoryContracts library, which declares them.</summary>
    public bool DeclareBuiltInVocabularies { get; set; } = true;

    /// <summary>The namespace of <c>MemoryFixtures</c>: the project's root namespace.</summary>
    public string? RootNamespace { get; set; }

    /// <summary>The project's folder: fixture paths in the accessors are relative to it.</summary>
    public string? ProjectDirectory { get; set; }

    /// <summary>Where the assembly goes.</summary>
    [Required]
    public string OutputAssembly { get; set; } = string.Empty;

    /// <summary>Where its XML documentation file goes.</summary>
    [Required]
    public string DocumentationFile { get; set; } = string.Empty;

    /// <summary>Whether the build's validation runs, and reports the problems of fixtures that cannot be read.</summary>
    public bool ValidatedByBuild { get; set; }

    /// <summary>Treat every warning as an error.</summary>
    public bool TreatWarningsAsErrors { get; set; }

    /// <summary>Codes to treat as errors (MSBuild's <c>WarningsAsErrors</c>).</summary>
    public string? WarningsAsErrors { get; set; }

    /// <summary>Codes to suppress (MSBuild's <c>NoWarn</c>).</summary>
    public string? NoWarn { get; set; }

    /// <inheritdoc />
    public override bool Execute()
    {
        // The schema items are checked as validation checks them; a broken one stops here, as it stops validation.
        if (BuildLog.CreateOptions(Log, Schemas, null) is null)
        {
            return false;
        }

        var policy = new DiagnosticPolicy(TreatWarningsAsErrors, [NoWarn ?? string.Empty], [WarningsAsErrors ?? string.Empty]);
        // Read by full path, as the compiler hands files to the generator; reported by the path the project names.
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in Fixtures)
        {
            named[Path.GetFullPath(item.ItemSpec)] = item.ItemSpec;
        }

        var fixtures = new List<FixtureModel>();
        foreach (var path in named.Keys.OrderBy(path => path, StringComparer.Ordinal))
        {
            try
            {
                fixtures.Add(FixtureParser.Parse(path, AccessorPlan.DisplayPath(path, ProjectDirectory), File.ReadAllText(path)));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                Report(policy, FileReadProblem.Create(named[path], exception), ValidatedByBuild);
            }
        }

        // The contracts as the generator knows them: the families of the fixtures, and the vocabularies to declare.
        var (contracts, schemaPaths) = ReadContracts(policy);
        // The first fixture by path owns a class name, as in the generator.
        var owners = fixtures.GroupBy(fixture => Identifiers.ToPascalCase(fixture.Name)).ToDictionary(group => group.Key, group => group.First().Path, StringComparer.Ordinal);
        var plans = new List<AccessorPlan>();
        foreach (var fixture in fixtures)
        {
            var diagnostics = new List<DiagnosticInfo>(fixture.Diagnostics);
            if (AccessorPlan.ForFixture(fixture, AccessorPlan.DisplayPath(fixture.Path, ProjectDirectory), owners[Identifiers.ToPascalCase(fixture.Name)], contracts.FamilyOf(fixture.SchemaVersion), diagnostics) is { } plan)
            {
                plans.Add(plan);
            }

            foreach (var diagnostic in diagnostics)
            {
                Report(policy, ToContractDiagnostic(diagnostic, named[diagnostic.Path]), ValidatedByBuild && !AccessorPlan.IsFoundOnlyByPlanning(diagnostic.Code));
            }
        }

        var vocabularies = WriteVocabularies ? PlanVocabularies(contracts, schemaPaths, policy) : VocabularyContent.None;
        if (Log.HasLoggedErrors)
        {
            return false;
        }

        plans.Sort((left, right) => StringComparer.Ordinal.Compare(left.ClassName, right.ClassName));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(OutputAssembly))!);
        AtomicFile.WriteAllBytes(OutputAssembly, AccessorAssembly.Write(AssemblyName, ProjectAssemblyName, RootNamespace, plans, vocabularies));
        AtomicFile.WriteAllText(DocumentationFile, AccessorDocumentation.Write(AssemblyName, RootNamespace, plans, vocabularies));
        Log.LogMessage(MessageImportance.Normal, "MemoryContracts: wrote the accessors of {0} fixture(s) to {1}.", plans.Count, OutputAssembly);
        return true;
    }

    /// <summary>
    /// The contract set the generator builds: the built-in schemas (declared unless a referenced MemoryContracts declares
    /// them) and the project's own, read with the generator's schema reader (which reports their problems itself), with
    /// the path the project names each of the latter by.
    /// </summary>
    private (ContractSet Contracts, Dictionary<string, string> SchemaPaths) ReadContracts(DiagnosticPolicy policy)
    {
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        var added = new List<SchemaModel>();
        foreach (var item in Schemas)
        {
            var path = Path.GetFullPath(item.ItemSpec);
            named[path] = item.ItemSpec;
            try
            {
                if (SchemaParser.Parse(path, File.ReadAllText(path), builtIn: false).Schema is { } schema)
                {
                    added.Add(schema);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                Report(policy, FileReadProblem.Create(item.ItemSpec, exception), leftToValidation: false);
            }
        }

        return (BuiltInSchemas.With(added, DeclareBuiltInVocabularies, isPublic: false), named);
    }

    /// <summary>
    /// The vocabularies the generator would declare for <paramref name="contracts"/>; two terms that become one C# name
    /// (MC2011) are reported here, at the schema, as the generator reports them.
    /// </summary>
    private VocabularyContent PlanVocabularies(ContractSet contracts, Dictionary<string, string> schemaPaths, DiagnosticPolicy policy)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var vocabularies = VocabularyPlan.For(contracts, diagnostics);
        foreach (var diagnostic in diagnostics)
        {
            Report(policy, ToContractDiagnostic(diagnostic, schemaPaths.TryGetValue(diagnostic.Path, out var shown) ? shown : diagnostic.Path), leftToValidation: false);
        }

        return new VocabularyContent(vocabularies, SchemaVersionsPlan.For(contracts));
    }

    private void Report(DiagnosticPolicy policy, ContractDiagnostic diagnostic, bool leftToValidation)
    {
        if (!leftToValidation && policy.Apply(diagnostic) is { } reported)
        {
            BuildLog.Report(Log, reported);
        }
    }

    /// <summary>The reader's 0-based positions as the 1-based location of a contract diagnostic.</summary>
    private static ContractDiagnostic ToContractDiagnostic(DiagnosticInfo info, string path)
    {
        var descriptor = DiagnosticCatalog.Find(info.Code) ?? throw new InvalidOperationException($"{info.Code} is not in the diagnostic catalog");
        return new ContractDiagnostic(descriptor, descriptor.DefaultSeverity, info.Message, new SourceLocation(path, info.StartLine + 1, info.StartColumn + 1, info.EndLine + 1, info.EndColumn + 1));
    }
}

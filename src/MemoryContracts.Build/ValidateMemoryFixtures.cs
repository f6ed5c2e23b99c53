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

    /// <summary>The context packages written.</summary>
    [Output]
    public ITaskItem[] Packages { get; set; } = [];

    /// <inheritdoc />
    public override bool Execute()
    {
        var options = CreateOptions();
        if (options is null)
        {
            return false;
        }

        var paths = Fixtures.Where(item => !IsFalse(item.GetMetadata("Validate"))).Select(item => item.ItemSpec).ToArray();
        var results = CatalogValidation.Validate(paths, options, Environment.ProcessorCount);
        var policy = new DiagnosticPolicy(TreatWarningsAsErrors, [NoWarn ?? string.Empty], [WarningsAsErrors ?? string.Empty]);
        foreach (var diagnostic in results.SelectMany(result => result.Diagnostics).Select(policy.Apply).OfType<ContractDiagnostic>())
        {
            Report(diagnostic);
        }

        if (!string.IsNullOrEmpty(PackageOutputDirectory))
        {
            WritePackages(results);
        }

        return !Log.HasLoggedErrors;
    }

    private ValidationOptions? CreateOptions()
    {
        if (Schemas.Length == 0)
        {
            return ValidationOptions.Default;
        }

        var loaded = SchemaCatalog.Compile(EmbeddedPlus(Schemas.Select(item => item.ItemSpec)));
        foreach (var diagnostic in loaded.Diagnostics)
        {
            Report(diagnostic);
        }

        return loaded.Catalog is null ? null : new ValidationOptions { Catalog = loaded.Catalog };
    }

    private static IEnumerable<(string Path, byte[] Content)> EmbeddedPlus(IEnumerable<string> files)
    {
        var added = files.Select(path => (Path: path, Content: File.ReadAllBytes(path))).ToList();
        var replaced = new HashSet<string>(added.Select(file => Path.GetFileName(file.Path)), StringComparer.Ordinal);
        var builtIn = SchemaCatalog.Default.Contracts
            .Where(contract => !replaced.Contains(contract.FileName))
            .Select(contract => (contract.FileName, System.Text.Encoding.UTF8.GetBytes(contract.Json)));
        return builtIn.Concat(added);
    }

    private void WritePackages(IReadOnlyList<FixtureResult> results)
    {
        var format = string.Equals(PackageFormat, "yaml", StringComparison.OrdinalIgnoreCase) ? Packing.PackageFormat.Yaml : Packing.PackageFormat.Json;
        var excluded = new HashSet<string>(Fixtures.Where(item => IsFalse(item.GetMetadata("Pack"))).Select(item => Path.GetFullPath(item.ItemSpec)), StringComparer.Ordinal);
        var emitted = PackageEmitter.Emit(results.Where(result => !excluded.Contains(result.FullPath)), PackageOutputDirectory!, format);
        foreach (var diagnostic in emitted.Diagnostics)
        {
            Report(diagnostic);
        }

        // A selection that was removed or broke since the last build leaves no stale package behind.
        var written = new HashSet<string>(emitted.Written.Select(Path.GetFullPath), StringComparer.Ordinal);
        foreach (var stale in Directory.GetFiles(PackageOutputDirectory!, "*.context.*").Where(file => !written.Contains(Path.GetFullPath(file))))
        {
            File.Delete(stale);
        }

        Packages = emitted.Written.Select(path => (ITaskItem)new TaskItem(path)).ToArray();
    }

    private void Report(ContractDiagnostic diagnostic)
    {
        var location = diagnostic.Location;
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

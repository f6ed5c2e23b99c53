using MemoryContracts.Diagnostics;
using MemoryContracts.Packing;
using MemoryContracts.Validation;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace MemoryContracts.Build;

/// <summary>
/// Compiles the selections <see cref="ValidateMemoryFixtures"/> found valid into context packages in one folder, and
/// removes every package there that no valid selection produces any more. Each selection is read and checked again
/// as it is packed, so a file edited after validation never ships unchecked: its problems fail the build instead.
/// </summary>
public sealed class PackMemoryContexts : Microsoft.Build.Utilities.Task
{
    /// <summary>The selections to pack (the <c>Selections</c> output of <see cref="ValidateMemoryFixtures"/>).</summary>
    public ITaskItem[] Selections { get; set; } = [];

    /// <summary>Extra contract schemas (<c>MemoryContractSchema</c> items), as validation used them.</summary>
    public ITaskItem[] Schemas { get; set; } = [];

    /// <summary>The folder every file a fixture names must stay inside (MC4010), as validation used it.</summary>
    public string? Root { get; set; }

    /// <summary>The folder the packages are written to.</summary>
    [Required]
    public string OutputDirectory { get; set; } = string.Empty;

    /// <summary><c>json</c> (default) or <c>yaml</c>.</summary>
    public string? PackageFormat { get; set; }

    /// <summary>Every package in the folder after packing.</summary>
    [Output]
    public ITaskItem[] Packages { get; set; } = [];

    /// <inheritdoc />
    public override bool Execute()
    {
        var options = BuildLog.CreateOptions(Log, Schemas, Root);
        if (options is null)
        {
            return false;
        }

        Directory.CreateDirectory(OutputDirectory);
        var format = string.Equals(PackageFormat, "yaml", StringComparison.OrdinalIgnoreCase) ? Packing.PackageFormat.Yaml : Packing.PackageFormat.Json;
        var results = Selections.Length == 0 ? [] : CatalogValidation.Validate(Selections.Select(item => item.ItemSpec).ToArray(), options, Environment.ProcessorCount);
        foreach (var diagnostic in results.SelectMany(result => result.Diagnostics).Where(diagnostic => diagnostic.IsError))
        {
            BuildLog.Report(Log, diagnostic);
        }

        var packable = results.Where(result => !result.Diagnostics.Any(diagnostic => diagnostic.IsError)).ToArray();
        var emitted = PackageEmitter.Emit(packable, OutputDirectory, format);
        foreach (var diagnostic in emitted.Diagnostics)
        {
            BuildLog.Report(Log, diagnostic);
        }

        var kept = new HashSet<string>(emitted.Written.Select(Path.GetFileName).OfType<string>(), StringComparer.Ordinal);
        foreach (var stale in Directory.GetFiles(OutputDirectory, "*.context.*").Where(file => !kept.Contains(Path.GetFileName(file))))
        {
            File.Delete(stale);
        }

        Packages = Directory.GetFiles(OutputDirectory, "*.context.*").OrderBy(file => file, StringComparer.Ordinal).Select(file => (ITaskItem)TaskItems.Literal(file)).ToArray();
        Log.LogMessage(MessageImportance.Normal, "MemoryContracts: packed {0} of {1} selection(s) into {2}.", emitted.Written.Count, Selections.Length, OutputDirectory);
        return !Log.HasLoggedErrors;
    }
}

using MemoryContracts.Diagnostics;
using MemoryContracts.Validation;

namespace MemoryContracts.Tool.Reporting;

/// <summary>What one command run found: each file with its contract, and every diagnostic after policy.</summary>
internal sealed class ValidationReport
{
    private static readonly HashSet<string> InputOutputCodes = new(StringComparer.Ordinal)
    {
        DiagnosticCatalog.FileNotReadable.Code, DiagnosticCatalog.NoFilesMatched.Code, DiagnosticCatalog.PackageNotWritten.Code,
    };

    public ValidationReport(IEnumerable<ContractDiagnostic> inputDiagnostics, IEnumerable<FixtureResult> results, DiagnosticPolicy policy)
    {
        var files = new List<FileReport>();
        var diagnostics = new List<ContractDiagnostic>();
        AddAll(diagnostics, inputDiagnostics, policy);
        foreach (var result in results)
        {
            var own = new List<ContractDiagnostic>();
            AddAll(own, result.Diagnostics, policy);
            files.Add(new FileReport(result.Path, result.Contract?.SchemaVersion, own.Count(d => d.IsError), own.Count(d => !d.IsError)));
            diagnostics.AddRange(own);
        }

        Files = files;
        Diagnostics = diagnostics;
    }

    public IReadOnlyList<FileReport> Files { get; }

    public IReadOnlyList<ContractDiagnostic> Diagnostics { get; private set; }

    public int ErrorCount => Diagnostics.Count(diagnostic => diagnostic.IsError);

    public int WarningCount => Diagnostics.Count(diagnostic => !diagnostic.IsError);

    public int ExitCode => ExitCodeOf(Diagnostics);

    /// <summary>The exit code diagnostics give: an input or output problem first, then any error, else success.</summary>
    public static int ExitCodeOf(IReadOnlyCollection<ContractDiagnostic> diagnostics) =>
        diagnostics.Any(diagnostic => diagnostic.IsError && InputOutputCodes.Contains(diagnostic.Code)) ? ExitCodes.IoError
        : diagnostics.Any(diagnostic => diagnostic.IsError) ? ExitCodes.ContractErrors
        : ExitCodes.Success;

    /// <summary>Adds diagnostics found after validation, such as a package that could not be written.</summary>
    public void Add(ContractDiagnostic diagnostic) => Diagnostics = Diagnostics.Append(diagnostic).ToArray();

    private static void AddAll(List<ContractDiagnostic> target, IEnumerable<ContractDiagnostic> source, DiagnosticPolicy policy) =>
        target.AddRange(source.Select(policy.Apply).OfType<ContractDiagnostic>());
}

/// <summary>One file of a report.</summary>
internal sealed record FileReport(string Path, string? Contract, int Errors, int Warnings);

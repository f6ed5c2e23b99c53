using MemoryContracts.Diagnostics;
using MemoryContracts.IO;
using MemoryContracts.Validation;

namespace MemoryContracts.Packing;

/// <summary>Writes the packages of compiled selections to a folder as <c>&lt;selection-id&gt;.context.json</c> (or <c>.yaml</c>).</summary>
public static class PackageEmitter
{
    /// <summary>The file name of a package: its id through the one-to-one <see cref="IdFileName"/> encoding, so no id can name a path.</summary>
    public static string FileNameOf(string packageId, PackageFormat format) =>
        IdFileName.For(packageId) + (format == PackageFormat.Json ? ".context.json" : ".context.yaml");

    /// <summary>
    /// Writes every package the results hold. Two selections that produce the same package id, and files that
    /// cannot be written, are reported as MC4009 on the selection.
    /// </summary>
    public static PackageEmitResult Emit(IEnumerable<FixtureResult> results, string outputDirectory, PackageFormat format)
    {
        var written = new List<string>();
        var diagnostics = new List<ContractDiagnostic>();
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var result in results.Where(result => result.Package is not null))
        {
            var package = result.Package!.Package;
            var path = Path.Combine(outputDirectory, FileNameOf(package.Id, format));
            if (owners.TryGetValue(package.Id, out var owner))
            {
                diagnostics.Add(DiagnosticCatalog.PackageNotWritten.Create(SourceLocation.File(result.Path), package.Id, path, $"selection '{owner}' already produces a package with this id"));
                continue;
            }

            owners.Add(package.Id, result.Path);
            try
            {
                AtomicFile.WriteAllText(path, ContextPackageWriter.Write(package, format));
                written.Add(path);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                diagnostics.Add(DiagnosticCatalog.PackageNotWritten.Create(SourceLocation.File(result.Path), package.Id, path, exception.Message));
            }
        }

        return new PackageEmitResult(written, diagnostics);
    }
}

/// <summary>The package files written, and the packages that could not be.</summary>
/// <param name="Written">Paths of the files written, in order.</param>
/// <param name="Diagnostics">MC4009 diagnostics.</param>
public sealed record PackageEmitResult(IReadOnlyList<string> Written, IReadOnlyList<ContractDiagnostic> Diagnostics);

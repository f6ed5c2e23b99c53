using MemoryContracts.Diagnostics;

namespace MemoryContracts.Tool.Reporting;

/// <summary>Applies <c>--warnaserror</c> and <c>--nowarn</c> as MSBuild applies them to compiler warnings.</summary>
internal sealed class DiagnosticPolicy(bool warningsAsErrors, IEnumerable<string> suppressed)
{
    private readonly HashSet<string> _suppressed = new(suppressed.SelectMany(codes => codes.Split(',', ';')).Select(code => code.Trim()), StringComparer.OrdinalIgnoreCase);

    /// <summary>Returns the diagnostic as it should be reported, or null when it is suppressed.</summary>
    public ContractDiagnostic? Apply(ContractDiagnostic diagnostic)
    {
        if (diagnostic.Severity != DiagnosticSeverity.Warning)
        {
            return diagnostic;
        }

        if (_suppressed.Contains(diagnostic.Code))
        {
            return null;
        }

        return warningsAsErrors ? diagnostic.WithSeverity(DiagnosticSeverity.Error) : diagnostic;
    }
}

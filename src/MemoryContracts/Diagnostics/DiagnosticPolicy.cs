namespace MemoryContracts.Diagnostics;

/// <summary>
/// Decides the reported severity of warnings as MSBuild does for compiler warnings: suppressed codes
/// (<c>NoWarn</c>) disappear, listed codes (<c>WarningsAsErrors</c>) or all warnings (<c>TreatWarningsAsErrors</c>)
/// become errors. Errors are never changed.
/// </summary>
public sealed class DiagnosticPolicy
{
    private readonly bool _allWarningsAsErrors;
    private readonly HashSet<string> _asErrors;
    private readonly HashSet<string> _suppressed;

    /// <summary>Creates a policy; code lists may be separated by commas or semicolons, as in MSBuild properties.</summary>
    public DiagnosticPolicy(bool warningsAsErrors, IEnumerable<string> suppressed, IEnumerable<string>? warningsAsErrorCodes = null)
    {
        _allWarningsAsErrors = warningsAsErrors;
        _suppressed = Codes(suppressed);
        _asErrors = Codes(warningsAsErrorCodes ?? []);
    }

    /// <summary>The policy that leaves every diagnostic as it is.</summary>
    public static DiagnosticPolicy Default { get; } = new(false, []);

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

        return _allWarningsAsErrors || _asErrors.Contains(diagnostic.Code) ? diagnostic.WithSeverity(DiagnosticSeverity.Error) : diagnostic;
    }

    private static HashSet<string> Codes(IEnumerable<string> lists) =>
        new(lists.SelectMany(list => list.Split(',', ';')).Select(code => code.Trim()).Where(code => code.Length > 0), StringComparer.OrdinalIgnoreCase);
}

namespace MemoryContracts.Diagnostics;

/// <summary>How serious a diagnostic is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>The fixture breaks its contract; builds fail and tools exit with 1.</summary>
    Error,

    /// <summary>The fixture is valid but something deserves attention.</summary>
    Warning,
}

namespace MemoryContracts.Diagnostics;

/// <summary>Where a diagnostic points: a file and, when known, a 1-based range in it.</summary>
/// <param name="Path">The file as the user named it.</param>
/// <param name="Line">The 1-based start line, or 0 when the diagnostic concerns the whole file.</param>
/// <param name="Column">The 1-based start column, or 0.</param>
/// <param name="EndLine">The 1-based end line, or 0 when unknown.</param>
/// <param name="EndColumn">The 1-based column just past the end, or 0 when unknown.</param>
public readonly record struct SourceLocation(string Path, int Line, int Column, int EndLine, int EndColumn)
{
    /// <summary>A location for a whole file, with no position.</summary>
    public static SourceLocation File(string path) => new(path, 0, 0, 0, 0);

    /// <summary>Whether the location has a line and a column.</summary>
    public bool HasPosition => Line > 0;
}

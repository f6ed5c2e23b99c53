namespace MemoryContracts.Diagnostics;

/// <summary>
/// Where a diagnostic points: a file and, when known, a 1-based range in it; or, for a problem that is in no file
/// (a command-line option, an environment variable, a tool, a database row), what it concerns (<see cref="Origin"/>).
/// </summary>
/// <param name="Path">The file as the user named it.</param>
/// <param name="Line">The 1-based start line, or 0 when the diagnostic concerns the whole file.</param>
/// <param name="Column">The 1-based start column, or 0.</param>
/// <param name="EndLine">The 1-based end line, or 0 when unknown.</param>
/// <param name="EndColumn">The 1-based column just past the end, or 0 when unknown.</param>
public readonly record struct SourceLocation(string Path, int Line, int Column, int EndLine, int EndColumn)
{
    /// <summary>A location for a whole file, with no position; printed at <c>(1,1)</c> so every line has one.</summary>
    public static SourceLocation File(string path) => new(path, 0, 0, 0, 0);

    /// <summary>What a problem that is in no file concerns, such as <c>--postgres</c> or <c>mcp:store_append</c>; printed without a position.</summary>
    public static SourceLocation Origin(string name) => new(name, 0, 0, 0, 0) { NamesNoFile = true };

    /// <summary>Whether the location has a line and a column.</summary>
    public bool HasPosition => Line > 0;

    /// <summary>Whether <see cref="Path"/> names something other than a file (<see cref="Origin"/>).</summary>
    public bool NamesNoFile { get; init; }
}

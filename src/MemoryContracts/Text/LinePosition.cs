namespace MemoryContracts.Text;

/// <summary>A 1-based line and column in a source file. Columns count UTF-16 code units, as editors do.</summary>
/// <param name="Line">The 1-based line.</param>
/// <param name="Column">The 1-based column.</param>
public readonly record struct LinePosition(int Line, int Column);

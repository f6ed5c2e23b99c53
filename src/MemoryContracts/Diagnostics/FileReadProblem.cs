namespace MemoryContracts.Diagnostics;

/// <summary>MC1010 for a file that cannot be read, worded the same wherever a file is read.</summary>
internal static class FileReadProblem
{
    /// <summary>Whether the exception means the file cannot be read (rather than a fault to report as MC9001).</summary>
    public static bool IsReadFailure(Exception exception) =>
        exception is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException;

    /// <summary>The MC1010 diagnostic for a read that failed with <paramref name="exception"/>.</summary>
    public static ContractDiagnostic Create(string path, Exception exception)
    {
        var reason = exception is FileNotFoundException or DirectoryNotFoundException ? "file not found" : exception.Message;
        return DiagnosticCatalog.FileNotReadable.Create(SourceLocation.File(path), $"cannot read '{path}': {reason}");
    }
}

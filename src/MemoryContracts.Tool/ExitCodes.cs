namespace MemoryContracts.Tool;

/// <summary>The documented exit codes of <c>dotnet memory</c>.</summary>
public static class ExitCodes
{
    /// <summary>Everything is valid (warnings allowed).</summary>
    public const int Success = 0;

    /// <summary>At least one fixture breaks its contract.</summary>
    public const int ContractErrors = 1;

    /// <summary>The command line is wrong.</summary>
    public const int Usage = 2;

    /// <summary>A file could not be read or written, or a pattern matched nothing.</summary>
    public const int IoError = 3;
}

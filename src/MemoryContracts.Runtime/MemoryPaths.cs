namespace MemoryContracts.Runtime;

/// <summary>Names shared by the path operations.</summary>
public static class MemoryPaths
{
    /// <summary>The path every graph starts on; records whose event names no path belong to it.</summary>
    public const string Main = "main";
}

namespace MemoryContracts.Tool.Reporting;

/// <summary>Paths as the tool prints them: relative to a folder (the current one, or the repository root) when they lie inside it.</summary>
internal static class RelativePaths
{
    /// <summary>The path relative to <paramref name="folder"/>, with '/' separators, when it lies inside it; otherwise null.</summary>
    public static string? Inside(string folder, string path)
    {
        var relative = Path.GetRelativePath(folder, Path.GetFullPath(path));
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? null : relative.Replace('\\', '/');
    }
}

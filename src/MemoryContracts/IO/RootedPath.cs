namespace MemoryContracts.IO;

/// <summary>
/// Whether a path stays inside a root folder: lexically, and after every link on the way is resolved (where the
/// runtime can resolve links; elsewhere a link under the root counts as leaving it).
/// </summary>
internal static class RootedPath
{
    private const int MaximumLinkHops = 40;

    private static StringComparison Comparison =>
        Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>
    /// Null when <paramref name="path"/> lies inside <paramref name="root"/>; otherwise where it really leads (the
    /// resolved path that is outside, or the link that could not be resolved).
    /// </summary>
    public static string? Escape(string root, string path)
    {
        var fullRoot = Path.GetFullPath(root);
        var fullPath = Path.GetFullPath(path);
        if (!IsInside(fullRoot, fullPath))
        {
            return fullPath;
        }

#if NET
        var realRoot = RealPath(fullRoot);
        var realPath = RealPath(fullPath);
        return realRoot is null || realPath is null ? fullPath : IsInside(realRoot, realPath) ? null : realPath;
#else
        // No link resolution on this runtime: any link between the root and the file counts as leaving the root.
        for (var current = fullPath; current is not null && IsInside(fullRoot, current) && !Same(current, fullRoot); current = Path.GetDirectoryName(current))
        {
            if ((File.Exists(current) || Directory.Exists(current)) && (File.GetAttributes(current) & FileAttributes.ReparsePoint) != 0)
            {
                return current;
            }
        }

        return null;
#endif
    }

    private static bool IsInside(string root, string path)
    {
        var withSeparator = root.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? root : root + Path.DirectorySeparatorChar;
        return Same(root, path) || path.StartsWith(withSeparator, Comparison);
    }

    private static bool Same(string left, string right) =>
        string.Equals(left.TrimEnd(Path.DirectorySeparatorChar), right.TrimEnd(Path.DirectorySeparatorChar), Comparison);

#if NET
    /// <summary>The path with every link resolved, component by component; null when a chain of links is too long.</summary>
    private static string? RealPath(string fullPath)
    {
        var hops = 0;
        var pending = new Stack<string>(fullPath.Substring(Path.GetPathRoot(fullPath)!.Length).Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).AsEnumerable().Reverse());
        var current = Path.GetPathRoot(fullPath)!;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var candidate = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(candidate) ? new DirectoryInfo(candidate) : new FileInfo(candidate);
            if (info.LinkTarget is not { } target)
            {
                current = candidate;
                continue;
            }

            if (++hops > MaximumLinkHops)
            {
                return null;
            }

            // Resolve the target's own components too: push them and start again from its root (or the link's folder).
            var absolute = Path.IsPathRooted(target) ? target : Path.Combine(current, target);
            var rootOfTarget = Path.GetPathRoot(absolute)!;
            foreach (var piece in absolute.Substring(rootOfTarget.Length).Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).AsEnumerable().Reverse())
            {
                pending.Push(piece);
            }

            current = rootOfTarget;
        }

        return current;
    }
#endif
}

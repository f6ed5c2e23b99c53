using MemoryContracts.Diagnostics;

namespace MemoryContracts.Runtime.Toolbelt;

/// <summary>
/// Confines every toolbelt path to the allowed folders under the root: relative paths only, no <c>..</c>, no
/// symbolic link anywhere on the way (a link could lead outside), never a <c>.history</c> folder at any depth.
/// Anything else is a hard block (MC5019). The check is repeated race-free where the file is opened (<see cref="ConfinedFiles"/>).
/// </summary>
internal sealed class PathGuard(string root, IReadOnlyList<string> allowed)
{
    public const string HistoryFolder = ".history";

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The full path of an allowed relative path, or MC5019.</summary>
    public string Resolve(string relative)
    {
        if (relative.Any(character => char.IsControl(character) || char.IsSurrogate(character) || char.GetUnicodeCategory(character) == System.Globalization.UnicodeCategory.Format))
        {
            throw Block("the path holds a control, format or unpaired surrogate character; paths are plain names");
        }

        var normalized = relative.Replace('\\', '/');
        if (string.IsNullOrWhiteSpace(normalized) || Path.IsPathRooted(relative) || normalized.StartsWith('/'))
        {
            throw Block($"'{relative}' is not a relative path under the memory root");
        }

        var segments = normalized.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(segment => segment is ".." or "."))
        {
            throw Block($"'{relative}' uses '.' or '..'; paths are confined to the memory root");
        }

        if (segments.Any(segment => segment == HistoryFolder))
        {
            throw Block($"'{relative}' is in a history folder ('{HistoryFolder}'), which only the toolbelt writes");
        }

        var clean = string.Join('/', segments);
        if (allowed.Count > 0 && !allowed.Any(prefix => clean.StartsWith(prefix.TrimEnd('/') + "/", StringComparison.Ordinal) || clean == prefix.TrimEnd('/')))
        {
            throw Block($"'{relative}' is outside the allowed paths ({string.Join(", ", allowed)})");
        }

        var full = Path.GetFullPath(Path.Combine(Root, clean));
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw Block($"'{relative}' resolves outside the memory root");
        }

        var walked = Root;
        foreach (var segment in segments)
        {
            walked = Path.Combine(walked, segment);
            var info = new FileInfo(walked);
            if ((info.Exists || Directory.Exists(walked)) && (info.LinkTarget is not null || new DirectoryInfo(walked).LinkTarget is not null))
            {
                throw Block($"'{relative}' goes through the symbolic link '{Path.GetRelativePath(Root, walked)}'; links could lead outside the memory root");
            }
        }

        return full;
    }

    /// <summary>The path relative to the root, with forward slashes.</summary>
    public string Relative(string full) => Path.GetRelativePath(Root, full).Replace('\\', '/');

    public static MemoryStoreException Block(string message) =>
        new(DiagnosticCatalog.OperationBlocked.Create(SourceLocation.Origin("toolbelt"), message));
}

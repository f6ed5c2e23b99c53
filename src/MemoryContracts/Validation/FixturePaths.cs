using System.Text.RegularExpressions;

namespace MemoryContracts.Validation;

/// <summary>Forms the paths of files that fixtures name relative to themselves.</summary>
internal static class FixturePaths
{
    private static readonly Regex DriveRoot = new(@"^[A-Za-z]:[\\/]", RegexOptions.CultureInvariant);

    /// <summary>Whether a reference is absolute, on any platform.</summary>
    public static bool IsAbsolute(string reference) =>
        reference.StartsWith("/", StringComparison.Ordinal) || reference.StartsWith("\\", StringComparison.Ordinal) || DriveRoot.IsMatch(reference) || Path.IsPathRooted(reference);

    /// <summary>The absolute path of the file a reference names, relative to the folder of the file at <paramref name="fromFullPath"/>.</summary>
    public static string FullPath(string fromFullPath, string reference) =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(fromFullPath) ?? string.Empty, reference));

    /// <summary>
    /// The display path of a file named by <paramref name="reference"/> from the file at <paramref name="fromDisplayPath"/>:
    /// the referring file's folder joined with the reference, with <c>.</c> and inner <c>..</c> segments folded.
    /// </summary>
    public static string Resolve(string fromDisplayPath, string reference)
    {
        var separator = fromDisplayPath.IndexOf('/') < 0 && fromDisplayPath.IndexOf('\\') >= 0 ? '\\' : '/';
        var folder = Path.GetDirectoryName(fromDisplayPath) ?? string.Empty;
        var joined = folder.Length == 0 ? reference : folder + separator + reference;
        var segments = new List<string>();
        foreach (var segment in joined.Split('/', '\\'))
        {
            if (segment == "." || (segment.Length == 0 && segments.Count > 0))
            {
                continue;
            }

            if (segment == ".." && segments.Count > 0 && segments[segments.Count - 1] != ".." && segments[segments.Count - 1].Length > 0)
            {
                segments.RemoveAt(segments.Count - 1);
                continue;
            }

            segments.Add(segment);
        }

        return string.Join(separator.ToString(), segments);
    }
}

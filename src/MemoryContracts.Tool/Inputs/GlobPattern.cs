using System.Text;
using System.Text.RegularExpressions;

namespace MemoryContracts.Tool.Inputs;

/// <summary>
/// A file glob: <c>*</c> matches within one path segment, <c>**</c> across segments, <c>?</c> one character.
/// Paths are compared with forward slashes.
/// </summary>
internal sealed class GlobPattern
{
    private readonly Regex _regex;

    public GlobPattern(string pattern)
    {
        Pattern = Normalize(pattern);
        _regex = new Regex("^" + ToRegex(Pattern) + "$", RegexOptions.CultureInvariant);
    }

    public string Pattern { get; }

    public static bool HasWildcards(string text) => text.IndexOfAny(['*', '?']) >= 0;

    public static string Normalize(string path) => path.Replace('\\', '/');

    /// <summary>Whether the path matches; a pattern without a slash also matches the file name alone.</summary>
    public bool IsMatch(string path)
    {
        var normalized = Normalize(path);
        if (normalized.StartsWith("./", StringComparison.Ordinal))
        {
            normalized = normalized.Substring(2);
        }

        return _regex.IsMatch(normalized) || (Pattern.IndexOf('/') < 0 && _regex.IsMatch(normalized.Substring(normalized.LastIndexOf('/') + 1)));
    }

    /// <summary>The literal folder the pattern starts from: everything before the first segment with a wildcard.</summary>
    public string BaseDirectory
    {
        get
        {
            var segments = Pattern.Split('/');
            var literal = segments.TakeWhile(segment => !HasWildcards(segment)).ToArray();
            return literal.Length == segments.Length ? string.Join("/", literal.Take(literal.Length - 1)) : string.Join("/", literal);
        }
    }

    private static string ToRegex(string pattern)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                var slash = i + 2 < pattern.Length && pattern[i + 2] == '/';
                builder.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (c == '*')
            {
                builder.Append("[^/]*");
            }
            else if (c == '?')
            {
                builder.Append("[^/]");
            }
            else
            {
                builder.Append(Regex.Escape(c.ToString()));
            }
        }

        return builder.ToString();
    }
}

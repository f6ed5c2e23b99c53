namespace MemoryContracts.Schemas;

/// <summary>
/// The URI rules references follow (RFC 3986 resolution, RFC 6901 pointers inside a percent-encoded fragment), on
/// strings the compiler's registry compares directly.
/// </summary>
internal static class SchemaUri
{
    /// <summary>An absolute URI without its fragment, in <see cref="Uri.AbsoluteUri"/> form so equal resources compare equal.</summary>
    public static string Normalize(string uri)
    {
        var resource = WithoutFragment(uri);
        return HasScheme(resource) && Uri.TryCreate(resource, UriKind.Absolute, out var parsed) ? parsed.AbsoluteUri : resource;
    }

    /// <summary>
    /// Whether a URI reference starts with a scheme (RFC 3986 section 3.1); <see cref="Uri"/> alone would take a
    /// path such as <c>/schemas/a.json</c> for an absolute file URI on Unix.
    /// </summary>
    public static bool HasScheme(string reference)
    {
        var colon = reference.IndexOf(':');
        if (colon < 1 || !IsAsciiLetter(reference[0]))
        {
            return false;
        }

        for (var index = 1; index < colon; index++)
        {
            var c = reference[index];
            if (!IsAsciiLetter(c) && c is not (>= '0' and <= '9') and not '+' and not '-' and not '.')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAsciiLetter(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z');

    /// <summary>Whether a string is an absolute URI: one with a scheme that <see cref="Uri"/> accepts.</summary>
    public static bool IsAbsolute(string uri) => HasScheme(uri) && Uri.TryCreate(uri, UriKind.Absolute, out _);

    /// <summary>The part of a URI reference before <c>#</c>.</summary>
    public static string WithoutFragment(string reference)
    {
        var hash = reference.IndexOf('#');
        return hash < 0 ? reference : reference.Substring(0, hash);
    }

    /// <summary>The fragment of a URI reference, percent-decoded; empty when there is none.</summary>
    public static string Fragment(string reference)
    {
        var hash = reference.IndexOf('#');
        return hash < 0 ? string.Empty : Uri.UnescapeDataString(reference.Substring(hash + 1));
    }

    /// <summary>
    /// A URI reference's resource resolved against a base (RFC 3986 section 5); null when it cannot be, such as a
    /// relative reference against a URN.
    /// </summary>
    public static string? Resolve(string baseUri, string reference)
    {
        var resource = WithoutFragment(reference);
        if (resource.Length == 0)
        {
            return baseUri;
        }

        if (HasScheme(resource) && Uri.TryCreate(resource, UriKind.Absolute, out var absolute))
        {
            return absolute.AbsoluteUri;
        }

        return Uri.TryCreate(baseUri, UriKind.Absolute, out var parsedBase) && parsedBase.AbsoluteUri.IndexOf("://", StringComparison.Ordinal) > 0 && Uri.TryCreate(parsedBase, resource, out var resolved)
            ? resolved.AbsoluteUri
            : null;
    }

    /// <summary>One JSON pointer token escaped (RFC 6901): <c>~</c> as <c>~0</c>, <c>/</c> as <c>~1</c>.</summary>
    public static string EscapeToken(string token) =>
        token.IndexOf('~') < 0 && token.IndexOf('/') < 0 ? token : token.Replace("~", "~0").Replace("/", "~1");

    /// <summary>One JSON pointer token unescaped.</summary>
    public static string UnescapeToken(string token) =>
        token.IndexOf('~') < 0 ? token : token.Replace("~1", "/").Replace("~0", "~");
}

using System.Text.RegularExpressions;

namespace MemoryContracts.Schemas;

/// <summary>
/// URIs and URI references (RFC 3986 appendix A) and their internationalized forms, IRIs (RFC 3987 section 2.2),
/// as regular expressions built from the RFCs' rules; a bracketed host is checked as an IPv6 address or IPvFuture.
/// </summary>
internal static class UriGrammar
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.Compiled | RegexOptions.ExplicitCapture;

    private static readonly Regex Uri = Build(international: false, absolute: true);

    private static readonly Regex UriReference = Build(international: false, absolute: false);

    private static readonly Regex Iri = Build(international: true, absolute: true);

    private static readonly Regex IriReference = Build(international: true, absolute: false);

    private static readonly Regex IpvFuture = new(@"\A[vV][0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+\z", Options);

    public static bool IsUri(string value) => Matches(Uri, value);

    public static bool IsUriReference(string value) => Matches(UriReference, value);

    public static bool IsIri(string value) => Matches(Iri, value);

    public static bool IsIriReference(string value) => Matches(IriReference, value);

    private static bool Matches(Regex grammar, string value)
    {
        var match = grammar.Match(value);
        if (!match.Success)
        {
            return false;
        }

        var literal = match.Groups["literal"];
        return !literal.Success || StringFormats.IsIpv6(literal.Value) || IpvFuture.IsMatch(literal.Value);
    }

    /// <summary>
    /// The grammar of a URI or, <paramref name="international"/>, an IRI: <c>unreserved</c> then also takes
    /// <c>ucschar</c> (in UTF-16, the supplementary planes as surrogate pairs) and a query <c>iprivate</c>.
    /// </summary>
    private static Regex Build(bool international, bool absolute)
    {
        const string SubDelims = "!$&'()*+,;=";
        var unreserved = international ? @"A-Za-z0-9\-._~\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF" : @"A-Za-z0-9\-._~";
        var encoded = "%[0-9A-Fa-f]{2}" + (international ? @"|[\uD800-\uDBFF][\uDC00-\uDFFF]" : string.Empty);
        var character = $"(?:[{unreserved}{SubDelims}]|{encoded})";
        var pchar = $"(?:[{unreserved}{SubDelims}:@]|{encoded})";
        var noColon = $"(?:[{unreserved}{SubDelims}@]|{encoded})";
        var userinfo = $"(?:{character}|:)*@";
        var ipv4 = @"(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
        var host = $@"(?:\[(?<literal>[^\]]*)\]|{ipv4}|{character}*)";
        var authority = $"(?:{userinfo})?{host}(?::[0-9]*)?";
        var abempty = $"(?:/{pchar}*)*";
        var pathAbsolute = $"/(?:{pchar}+(?:/{pchar}*)*)?";
        var rootless = $"{pchar}+(?:/{pchar}*)*";
        var noScheme = $"{noColon}+(?:/{pchar}*)*";
        var query = $@"(?:\?(?:{pchar}|[/?]{(international ? @"|[\uE000-\uF8FF]" : string.Empty)})*)?";
        var fragment = $"(?:#(?:{pchar}|[/?])*)?";
        var scheme = "[A-Za-z][A-Za-z0-9+.-]*:";
        var hierarchy = $"(?://{authority}{abempty}|{pathAbsolute}|{rootless}|)";
        var relative = $"(?://{authority}{abempty}|{pathAbsolute}|{noScheme}|)";
        var pattern = absolute
            ? $@"\A{scheme}{hierarchy}{query}{fragment}\z"
            : $@"\A(?:{scheme}{hierarchy}|{relative}){query}{fragment}\z";
        return new Regex(pattern, Options);
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace MemoryContracts.Schemas;

/// <summary>
/// The <c>format</c> values the validator checks, each with what a valid value looks like. A schema naming any other
/// format is MC9002, so a format is never silently unchecked. Only strings are checked, as JSON Schema says.
/// </summary>
internal static class StringFormats
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.Compiled;

    private static readonly Regex JsonPointer = new(@"\A(?:/(?:[^~/]|~[01])*)*\z", Options);

    private static readonly Regex RelativeJsonPointer = new(@"\A(?:0|[1-9][0-9]*)(?:#|(?:/(?:[^~/]|~[01])*)*)\z", Options);

    private static readonly Regex Uuid = new(@"\A[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\z", Options);

    private static readonly Regex EmailLocalPart = LocalPart(international: false);

    private static readonly Regex InternationalLocalPart = LocalPart(international: true);

    private static readonly Regex UriTemplate = BuildUriTemplate();

    private static readonly Dictionary<string, (Func<string, bool> IsValid, string Expected)> Checks = new(StringComparer.Ordinal)
    {
        ["date-time"] = (value => DateTimeFormat.IsValid(value.AsSpan()), "an RFC 3339 date-time such as '2026-05-01T10:00:00Z'"),
        ["date"] = (value => DateTimeFormat.IsValidDate(value.AsSpan()), "an RFC 3339 date such as '2026-05-01'"),
        ["time"] = (value => DateTimeFormat.IsValidTime(value.AsSpan()), "an RFC 3339 time with a zone such as '10:00:00Z'"),
        ["email"] = (value => IsEmail(value, international: false), "an e-mail address such as 'ada@example.com'"),
        ["idn-email"] = (value => IsEmail(value, international: true), "an internationalized e-mail address such as 'ada@bücher.example'"),
        ["hostname"] = (HostnameFormat.IsHostname, "a host name such as 'www.example.com'"),
        ["idn-hostname"] = (HostnameFormat.IsIdnHostname, "an internationalized host name such as 'bücher.example'"),
        ["ipv4"] = (IsIpv4, "an IPv4 address such as '192.0.2.1'"),
        ["ipv6"] = (IsIpv6, "an IPv6 address such as '2001:db8::1'"),
        ["uri"] = (UriGrammar.IsUri, "an absolute URI such as 'https://example.com/a'"),
        ["uri-reference"] = (UriGrammar.IsUriReference, "a URI reference such as '../a#b'"),
        ["iri"] = (UriGrammar.IsIri, "an absolute IRI such as 'https://bücher.example/a'"),
        ["iri-reference"] = (UriGrammar.IsIriReference, "an IRI reference such as '../bücher#b'"),
        ["uri-template"] = (value => UriTemplate.IsMatch(value), "a URI template such as 'https://example.com/{id}'"),
        ["json-pointer"] = (value => JsonPointer.IsMatch(value), "a JSON pointer such as '/nodes/0/id'"),
        ["relative-json-pointer"] = (value => RelativeJsonPointer.IsMatch(value), "a relative JSON pointer such as '1/nodes/0'"),
        ["regex"] = (EcmaPattern.IsValid, "an ECMA-262 regular expression"),
        ["uuid"] = (value => Uuid.IsMatch(value), "a UUID such as '123e4567-e89b-12d3-a456-426614174000'"),
    };

    /// <summary>The formats the validator checks, for messages.</summary>
    public static IEnumerable<string> Names => Checks.Keys;

    public static bool IsKnown(string format) => Checks.ContainsKey(format);

    public static bool IsValid(string format, string value) => Checks[format].IsValid(value);

    /// <summary>What a valid value of the format looks like, for messages.</summary>
    public static string Expected(string format) => Checks[format].Expected;

    private static bool IsEmail(string value, bool international)
    {
        var at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1 || !(international ? InternationalLocalPart : EmailLocalPart).IsMatch(value.Substring(0, at)))
        {
            return false;
        }

        var domain = value.Substring(at + 1);
        return domain.StartsWith("[", StringComparison.Ordinal) && domain.EndsWith("]", StringComparison.Ordinal)
            ? IsIpv4(domain.Substring(1, domain.Length - 2)) || (domain.StartsWith("[IPv6:", StringComparison.Ordinal) && IsIpv6(domain.Substring(6, domain.Length - 7)))
            : international ? HostnameFormat.IsIdnHostname(domain) : HostnameFormat.IsHostname(domain);
    }

    private static bool IsIpv4(string value)
    {
        var parts = value.Split('.');
        return parts.Length == 4 && parts.All(part =>
            part.Length is > 0 and <= 3 && part.All(character => character is >= '0' and <= '9') &&
            (part.Length == 1 || part[0] != '0') && int.Parse(part, System.Globalization.CultureInfo.InvariantCulture) <= 255);
    }

    /// <summary>
    /// An e-mail local part: a dot-atom or a quoted string with backslash pairs (RFC 5321 section 4.1.2), and, for
    /// <paramref name="international"/>, any non-ASCII character in either (RFC 6531, RFC 6532).
    /// </summary>
    private static Regex LocalPart(bool international)
    {
        var other = international ? @"\u0080-\uFFFF" : string.Empty;
        var atom = $@"[A-Za-z0-9!#$%&'*+/=?^_`{{|}}~\-{other}]+";
        return new Regex($@"\A(?:{atom}(?:\.{atom})*|""(?:[\x20\x21\x23-\x5B\x5D-\x7E{other}]|\\[\x20-\x7E])*"")\z", Options);
    }

    /// <summary>RFC 6570 section 2: literals, and expressions of an optional operator and variables with modifiers.</summary>
    private static Regex BuildUriTemplate()
    {
        const string Encoded = "%[0-9A-Fa-f]{2}";
        const string VariableCharacter = $"(?:[A-Za-z0-9_]|{Encoded})";
        const string Variable = $@"{VariableCharacter}(?:\.?{VariableCharacter})*(?::[1-9][0-9]{{0,3}}|\*)?";
        return new Regex($@"\A(?:[^\x00-\x20""%<>\\^`{{|}}\x7F]|{Encoded}|\{{[+#./;?&=,!@|]?{Variable}(?:,{Variable})*\}})*\z", Options);
    }

    /// <summary>RFC 4291 section 2.2 text, an embedded IPv4 address in dotted-decimal form without leading zeros.</summary>
    public static bool IsIpv6(string value) =>
        value.Length > 0 && value.All(character => character is (>= '0' and <= '9') or (>= 'a' and <= 'f') or (>= 'A' and <= 'F') or ':' or '.') &&
        value.Split(':').All(group => group.IndexOf('.') >= 0 ? IsIpv4(group) : group.Length <= 4) &&
        IPAddress.TryParse(value, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;
}

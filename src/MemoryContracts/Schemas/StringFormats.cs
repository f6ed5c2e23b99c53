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

    private static readonly Regex Uri = new(@"^[A-Za-z][A-Za-z0-9+\-.]*:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*$", Options);

    private static readonly Regex UriReference = new(@"^(?:[A-Za-z][A-Za-z0-9+\-.]*:)?(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*$", Options);

    private static readonly Regex JsonPointer = new(@"^(?:/(?:[^~/]|~[01])*)*$", Options);

    private static readonly Regex Uuid = new(@"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$", Options);

    private static readonly Regex HostnameLabel = new(@"^[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?$", Options);

    private static readonly Regex EmailLocalPart = new(@"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-]+)*$", Options);

    private static readonly Dictionary<string, (Func<string, bool> IsValid, string Expected)> Checks = new(StringComparer.Ordinal)
    {
        ["date-time"] = (value => DateTimeFormat.IsValid(value.AsSpan()), "an RFC 3339 date-time such as '2026-05-01T10:00:00Z'"),
        ["date"] = (value => DateTimeFormat.IsValidDate(value.AsSpan()), "an RFC 3339 date such as '2026-05-01'"),
        ["time"] = (value => DateTimeFormat.IsValidTime(value.AsSpan()), "an RFC 3339 time with a zone such as '10:00:00Z'"),
        ["email"] = (IsEmail, "an e-mail address such as 'ada@example.com'"),
        ["hostname"] = (IsHostname, "a host name such as 'www.example.com'"),
        ["ipv4"] = (IsIpv4, "an IPv4 address such as '192.0.2.1'"),
        ["ipv6"] = (IsIpv6, "an IPv6 address such as '2001:db8::1'"),
        ["uri"] = (value => Uri.IsMatch(value), "an absolute URI such as 'https://example.com/a'"),
        ["uri-reference"] = (value => UriReference.IsMatch(value), "a URI reference such as '../a#b'"),
        ["json-pointer"] = (value => JsonPointer.IsMatch(value), "a JSON pointer such as '/nodes/0/id'"),
        ["regex"] = (IsRegex, "a regular expression"),
        ["uuid"] = (value => Uuid.IsMatch(value), "a UUID such as '123e4567-e89b-12d3-a456-426614174000'"),
    };

    /// <summary>The formats the validator checks, for messages.</summary>
    public static IEnumerable<string> Names => Checks.Keys;

    public static bool IsKnown(string format) => Checks.ContainsKey(format);

    public static bool IsValid(string format, string value) => Checks[format].IsValid(value);

    /// <summary>What a valid value of the format looks like, for messages.</summary>
    public static string Expected(string format) => Checks[format].Expected;

    private static bool IsEmail(string value)
    {
        var at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1 || !EmailLocalPart.IsMatch(value.Substring(0, at)))
        {
            return false;
        }

        var domain = value.Substring(at + 1);
        return domain.StartsWith("[", StringComparison.Ordinal) && domain.EndsWith("]", StringComparison.Ordinal)
            ? IsIpv4(domain.Substring(1, domain.Length - 2)) || (domain.StartsWith("[IPv6:", StringComparison.Ordinal) && IsIpv6(domain.Substring(6, domain.Length - 7)))
            : IsHostname(domain);
    }

    private static bool IsHostname(string value) =>
        value.Length is > 0 and <= 253 && value.Split('.').All(label => HostnameLabel.IsMatch(label));

    private static bool IsIpv4(string value)
    {
        var parts = value.Split('.');
        return parts.Length == 4 && parts.All(part =>
            part.Length is > 0 and <= 3 && part.All(character => character is >= '0' and <= '9') &&
            (part.Length == 1 || part[0] != '0') && int.Parse(part, System.Globalization.CultureInfo.InvariantCulture) <= 255);
    }

    private static bool IsIpv6(string value) =>
        value.Length > 0 && value.All(character => character is (>= '0' and <= '9') or (>= 'a' and <= 'f') or (>= 'A' and <= 'F') or ':' or '.') &&
        value.Split(':').All(group => group.IndexOf('.') >= 0 || group.Length <= 4) &&
        IPAddress.TryParse(value, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;

    private static bool IsRegex(string value)
    {
        try
        {
            _ = new Regex(value, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

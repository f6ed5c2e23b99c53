using System.Text.Json;
using MemoryContracts.Schemas;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>
/// Issue 16, finding 1 (formats): the <c>format</c> values users rely on, each with valid and invalid values taken
/// from the RFCs' edge cases (leap seconds only at 23:59:60 UTC, no leading zeros in IPv4, no zone in IPv6, ...).
/// </summary>
public sealed class FormatTests : IDisposable
{
    private readonly string _folder = TempFolders.Create("formats");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("date-time", "2026-05-01T10:00:00Z", true)]
    [InlineData("date-time", "2026-05-01t10:00:00.123+02:00", true)]
    [InlineData("date-time", "1998-12-31T23:59:60Z", true)]
    [InlineData("date-time", "1998-12-31T15:59:60.123-08:00", true)]
    [InlineData("date-time", "1998-12-31T22:59:60Z", false)]
    [InlineData("date-time", "1998-12-31T23:58:60Z", false)]
    [InlineData("date-time", "2024-02-29T00:00:00Z", true)]
    [InlineData("date-time", "2026-02-29T00:00:00Z", false)]
    [InlineData("date-time", "2026-05-01T10:00:00", false)]
    [InlineData("date", "2026-05-01", true)]
    [InlineData("date", "2026-5-01", false)]
    [InlineData("date", "2026-02-30", false)]
    [InlineData("date", "2026-05-01T00:00:00Z", false)]
    [InlineData("time", "10:00:00Z", true)]
    [InlineData("time", "10:00:00.5+02:00", true)]
    [InlineData("time", "23:59:60Z", true)]
    [InlineData("time", "00:59:60+01:00", true)]
    [InlineData("time", "22:59:60Z", false)]
    [InlineData("time", "10:00:00", false)]
    [InlineData("time", "24:00:00Z", false)]
    [InlineData("time", "08:30:06 PST", false)]
    [InlineData("email", "ada@example.com", true)]
    [InlineData("email", "te.s.t@example.com", true)]
    [InlineData("email", "~test@example.com", true)]
    [InlineData("email", "joe@[127.0.0.1]", true)]
    [InlineData("email", ".test@example.com", false)]
    [InlineData("email", "test.@example.com", false)]
    [InlineData("email", "te..st@example.com", false)]
    [InlineData("email", "2962", false)]
    [InlineData("email", "\"ada lovelace\"@example.com", true)]
    [InlineData("email", "ada@bücher.example", false)]
    [InlineData("idn-email", "ада@пример.рф", true)]
    [InlineData("idn-email", "\"ада лавлейс\"@example.com", true)]
    [InlineData("idn-email", "ада.@пример.рф", false)]
    [InlineData("idn-email", "ада", false)]
    [InlineData("hostname", "www.example.com", true)]
    [InlineData("hostname", "xn--4gbwdl.xn--wgbh1c", true)]
    [InlineData("hostname", "localhost", true)]
    [InlineData("hostname", "-a.example", false)]
    [InlineData("hostname", "a-.example", false)]
    [InlineData("hostname", "not_a_valid_host_name", false)]
    [InlineData("hostname", "", false)]
    [InlineData("hostname", "example.com\n", false)]
    [InlineData("hostname", "ab--cd.example", false)]
    [InlineData("hostname", "xn--bcher-kva.example", true)]
    [InlineData("hostname", "xn--bcher-xxx.example", false)]
    [InlineData("hostname", "xn--7a.example", false)]
    [InlineData("idn-hostname", "bücher.example", true)]
    [InlineData("idn-hostname", "例え.テスト", true)]
    [InlineData("idn-hostname", "bücher。example", true)]
    [InlineData("idn-hostname", "l·l.example", true)]
    [InlineData("idn-hostname", "a·l.example", false)]
    [InlineData("idn-hostname", "\u0301bc.example", false)]
    [InlineData("idn-hostname", "\u302Eabc", false)]
    [InlineData("idn-hostname", "¡hola", false)]
    [InlineData("idn-hostname", "אב", true)]
    [InlineData("idn-hostname", "aא", false)]
    [InlineData("idn-hostname", "1a.אב", false)]
    [InlineData("idn-hostname", "א1٢", false)]
    [InlineData("idn-hostname", "क्\u200D", true)]
    [InlineData("idn-hostname", "a\u200Db", false)]
    [InlineData("ipv4", "192.168.0.1", true)]
    [InlineData("ipv4", "0.0.0.0", true)]
    [InlineData("ipv4", "127.0.0.0.1", false)]
    [InlineData("ipv4", "256.256.256.256", false)]
    [InlineData("ipv4", "087.10.0.1", false)]
    [InlineData("ipv4", "1.2.3", false)]
    [InlineData("ipv4", "১২৭.০.০.১", false)]
    [InlineData("ipv6", "::1", true)]
    [InlineData("ipv6", "2001:db8::1", true)]
    [InlineData("ipv6", "::ffff:192.168.0.1", true)]
    [InlineData("ipv6", "12345::", false)]
    [InlineData("ipv6", "1:1:1:1:1:1:1:1:1", false)]
    [InlineData("ipv6", "::laptop", false)]
    [InlineData("ipv6", "fe80::1%eth0", false)]
    [InlineData("ipv6", " ::1", false)]
    [InlineData("ipv6", "127.0.0.1", false)]
    [InlineData("ipv6", "::ffff:192.168.0.01", false)]
    [InlineData("uri", "http://foo.bar/?baz=qux#quux", true)]
    [InlineData("uri", "urn:oasis:names:specification:docbook:dtd:xml:4.1.2", true)]
    [InlineData("uri", "ldap://[2001:db8::7]/c=GB?objectClass?one", true)]
    [InlineData("uri", "http://foo.bar/?q=Test%20URL-encoded%20stuff", true)]
    [InlineData("uri", "//foo.bar/?baz=qux#quux", false)]
    [InlineData("uri", "http:// shouldfail.com", false)]
    [InlineData("uri", "bar,baz:foo", false)]
    [InlineData("uri", "abc", false)]
    [InlineData("uri", "http://a/%zz", false)]
    [InlineData("uri", "http://user@[::1]:8080/a", true)]
    [InlineData("uri", "http://[v7.a:b]/", true)]
    [InlineData("uri", "http://a@b@c/", false)]
    [InlineData("uri", "http://a:port/", false)]
    [InlineData("uri", "http://[::01.2.3.4]/", false)]
    [InlineData("uri", "http://a/b[c]", false)]
    [InlineData("uri", "http://bücher.example/", false)]
    [InlineData("iri", "http://bücher.example/ü?ö#ä", true)]
    [InlineData("iri", "http://\uD83D\uDC09.example/", true)]
    [InlineData("iri", "//bücher.example", false)]
    [InlineData("iri-reference", "../bücher#ä", true)]
    [InlineData("iri-reference", "a:b:ü", true)]
    [InlineData("iri-reference", "ü\\", false)]
    [InlineData("uri-reference", "#fragment", true)]
    [InlineData("uri-reference", "/abc", true)]
    [InlineData("uri-reference", "../a/b?c", true)]
    [InlineData("uri-reference", "\\\\WINDOWS\\fileshare", false)]
    [InlineData("uri-reference", "#frag\\ment", false)]
    [InlineData("uri-reference", "//host:80/path", true)]
    [InlineData("uri-reference", "a:b/c", true)]
    [InlineData("uri-reference", "//host:eighty/", false)]
    [InlineData("uri-template", "https://example.com/{id}{?q,page}{&rest*}", true)]
    [InlineData("uri-template", "/{+path:10}/{#frag}/{a.b}", true)]
    [InlineData("uri-template", "/{id", false)]
    [InlineData("uri-template", "/{id:0}", false)]
    [InlineData("uri-template", "/{a b}", false)]
    [InlineData("relative-json-pointer", "0", true)]
    [InlineData("relative-json-pointer", "1/a~1b", true)]
    [InlineData("relative-json-pointer", "2#", true)]
    [InlineData("relative-json-pointer", "01/a", false)]
    [InlineData("relative-json-pointer", "/a", false)]
    [InlineData("relative-json-pointer", "1#/a", false)]
    [InlineData("json-pointer", "", true)]
    [InlineData("json-pointer", "/foo/bar~0/baz~1/%a", true)]
    [InlineData("json-pointer", "/foo/baz~", false)]
    [InlineData("json-pointer", "/~-1", false)]
    [InlineData("json-pointer", "#", false)]
    [InlineData("regex", "([abc])+\\s+$", true)]
    [InlineData("regex", "^(abc]", false)]
    [InlineData("regex", "[]|[^]", true)]
    [InlineData("regex", "(?<year>[0-9]{4})(?=-)(?<!x)", true)]
    [InlineData("regex", "(?i)abc", false)]
    [InlineData("regex", "a(?#comment)", false)]
    [InlineData("regex", "(?>atomic)", false)]
    [InlineData("regex", "\\Aabc\\z", false)]
    [InlineData("uuid", "2eb8aa08-aa98-11ea-b4aa-73b441d16380", true)]
    [InlineData("uuid", "2EB8AA08-AA98-11EA-B4AA-73B441D16380", true)]
    [InlineData("uuid", "2eb8aa08-aa98-11ea-b4aa-73b441d1638", false)]
    [InlineData("uuid", "2eb8aa08aa9811eab4aa73b441d16380", false)]
    public void A_format_accepts_what_its_RFC_allows(string format, string value, bool valid)
    {
        var diagnostics = Check($$"""{"format": "{{format}}"}""", JsonSerializer.Serialize(value));

        if (valid)
        {
            Assert.Empty(diagnostics);
        }
        else
        {
            var diagnostic = Assert.Single(diagnostics);
            Assert.Equal(("MC1003", 1, 1), (diagnostic.Code, diagnostic.Location.Line, diagnostic.Location.Column));
        }
    }

    [Fact]
    public void A_format_checks_strings_only_and_names_what_it_expects()
    {
        Assert.Empty(Check("""{"format": "email"}""", "12"));
        Assert.Equal("the document must be an IPv4 address such as '192.0.2.1', not the string '087.10.0.1'", Assert.Single(Check("""{"format": "ipv4"}""", "\"087.10.0.1\"")).Message);
    }

    [Fact]
    public void An_unknown_format_is_MC9002_listing_the_known_ones()
    {
        var loaded = JsonSchemaFile.Load(Write("color.schema.json", """{"format": "color"}"""));

        var diagnostic = Assert.Single(loaded.Diagnostics);
        Assert.Equal(("MC9002", 1, 12), (diagnostic.Code, diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.Equal("format 'color' is not supported; supported formats: date-time, date, time, email, idn-email, hostname, idn-hostname, ipv4, ipv6, uri, uri-reference, iri, iri-reference, uri-template, json-pointer, relative-json-pointer, regex, uuid", diagnostic.Message);
    }

    private IReadOnlyList<Diagnostics.ContractDiagnostic> Check(string schema, string json)
    {
        var loaded = JsonSchemaFile.Load(Write("test.schema.json", schema));
        Assert.True(loaded.Schema is not null, string.Join("; ", loaded.Diagnostics));
        return loaded.Schema.Validate(Write("doc.json", json));
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}

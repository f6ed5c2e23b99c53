using System.Text;
using MemoryContracts.Diagnostics;
using MemoryContracts.Documents;
using MemoryContracts.Text;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>
/// The byte reader (<see cref="Utf8YamlReader"/>) and the event reader (<see cref="YamlDocumentReader"/>) must agree on
/// every document the byte reader accepts: the same values, kinds, tree and positions. Whatever it declines, the
/// event reader reads, so declining is always allowed; accepting differently never is.
/// </summary>
public sealed class YamlReaderAgreementTests
{
    /// <summary>Documents the byte reader must take, covering each construct it claims to handle.</summary>
    public static TheoryData<string> Accepted => new(AcceptedDocuments);

    private static readonly string[] AcceptedDocuments =
    [
        "a: 1\nb: hello world   # comment\nc: \"q\\\"x\\u00e9\\n\"  \nd: 'it''s'\n",
        "- a\n- b\n",
        "k:\n- x\n- y\nj: z\n",
        "k:\n  - x\n  - {a: 1, b: [p, q], 'c d': \"e\"}\n  - []\n  - {}\n",
        "- id: a\n  t: b\n- id: c\n",
        "---\na: b\n",
        "--- # a comment\na: b\n",
        "a:\nb: ~\nc: \nd: # nothing\ne: null\n",
        "a:\n  b: 1\n\n  c: 2\n# end\n",
        "x: -1\ny: +2.5\nz: .inf\nw: 0x1F\nv: 1e3\nt: true\nf: False\nn: NULL\ns: 12ab\n",
        "time: 2026-11-21T09:00:00Z\nurl: http://example.com/a#b\nratio: 1:2\n",
        "\"quoted key\": 1\n'single': 2\nplain key with spaces: 3\n",
        "text: >-\n  folded line one\n  line two\n\n  new paragraph\nnext: 1\n",
        "text: |\n  literal\n  lines\n\nkeep: |+\n  kept\n\nstrip: >\n  clip\n",
        "- |-\n  in a sequence\n- >\n  folded\n  here\n",
        "nested:\n  - - a\n    - b\n  - - c\n",
        "- \n- a\n-\n",
        "a: [1, \"two\", 'three', {four: 4}, [5]]\n",
        "unicode: héllo — “quoted” 😀\nemoji: \"😀 \\U0001F600\"\n",
        "a: 1\r\nb:\r\n  - x\r\n",
        "\uFEFFa: 1\n",
        "  indented: root\n  second: 2\n",
        "a: b # c\n# between\n\n   # indented comment\nd: e\n",
        "seq:\n- a: 1\n  b: 2\n- c\nafter: 3\n",
    ];

    /// <summary>Documents the byte reader leaves to the event reader (most are errors; some are valid but outside its subset).</summary>
    public static TheoryData<string> Declined => new()
    {
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: plain\n  continued\n",
        "a: \"quoted\n  continued\"\n",
        "a: [1,\n  2]\n",
        "%YAML 1.2\n---\na: 1\n",
        "a: 1\n---\nb: 2\n",
        "a: 1\n...\n",
        "a:\tb\n",
        "? complex\n: key\n",
        "a: b: c\n",
        "a: - b\n",
        "a: 1\na: 2\n",
        "just a scalar\n",
        "[1, 2]\n",
        "a: |2\n   explicit\n",
        "a: |\n\n  leading empty line\n",
        "a: |\n  last line without break",
        "a: \"\\uD800\"\n",
        "a: \"\\0\"\n",
        "a: \"\\q\"\n",
        "a: x\u0085y\n",
        "a: x\u2028y\n",
        "a: 1\rb: 2\n",
        "# only a comment\n",
        "a: {b}\n",
        "a: [b, ]\n",
        "a: \"x\"#c\n",
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void The_byte_reader_takes_these_and_agrees(string yaml)
    {
        var bytes = Encoding.UTF8.GetBytes(yaml);
        var fast = ReadFast(bytes);
        Assert.True(fast is not null, "the byte reader declined:\n" + yaml);
        AssertSame(yaml, bytes, fast!);
    }

    [Theory]
    [MemberData(nameof(Declined))]
    public void The_byte_reader_declines_these(string yaml)
    {
        Assert.Null(ReadFast(Encoding.UTF8.GetBytes(yaml)));
        var loaded = DocumentLoader.Load("declined.yaml", Encoding.UTF8.GetBytes(yaml));
        Assert.True(loaded.Document is not null || loaded.Diagnostics.Count > 0);
    }

    [Fact]
    public void Every_yaml_file_in_the_repository_reads_the_same()
    {
        var accepted = new List<string>();
        foreach (var file in RepositoryYamlFiles())
        {
            var bytes = File.ReadAllBytes(file);
            if (ReadFast(bytes) is { } fast)
            {
                AssertSame(file, bytes, fast);
                accepted.Add(Path.GetFileName(file));
            }
        }

        // Every valid example fixture is in the subset; only the deliberately broken ones go to the event reader.
        foreach (var example in Directory.GetFiles(Path.Combine(Repository.Root, "examples", "memory"), "*.yaml"))
        {
            if (!Path.GetFileName(example).StartsWith("invalid-", StringComparison.Ordinal))
            {
                Assert.Contains(Path.GetFileName(example), accepted);
            }
        }
    }

    [Fact]
    public void Mutated_documents_read_the_same_or_are_declined()
    {
        var random = new Random(20261205);
        var bases = RepositoryYamlFiles().Select(File.ReadAllText).Concat(AcceptedDocuments).ToArray();
        string[] inserts = [" ", "  ", "\n", ":", ": ", "- ", "-", "#", " #", "'", "\"", "[", "]", "{", "}", ",", ", ", "|", ">", "|-", ">+", "&a ", "*a", "!", "? ", "\t", "\r\n", "\\", "\\n", "---", "...", "é", "😀", "~", "null", "1", "0x", ".", "\"\\u0041\""];
        var accepted = 0;
        for (var round = 0; round < 4000; round++)
        {
            var text = bases[random.Next(bases.Length)];
            for (var edits = 1 + random.Next(3); edits > 0; edits--)
            {
                text = Mutate(text, random, inserts);
            }

            var bytes = Encoding.UTF8.GetBytes(text);
            if (ReadFast(bytes) is { } fast)
            {
                AssertSame($"mutation {round}:\n{text}", bytes, fast);
                accepted++;
            }
        }

        Assert.True(accepted > 1000, $"only {accepted} of 4000 mutations were read by the byte reader; the test would prove little");
    }

    [Fact]
    public void Diagnostics_come_from_the_event_reader_with_its_positions()
    {
        var loaded = DocumentLoader.Load("dup.yaml", Encoding.UTF8.GetBytes("id: g\nnodes:\n  - id: a\n    id: b\n"));
        var diagnostic = Assert.Single(loaded.Diagnostics);
        Assert.Equal("MC1004", diagnostic.Descriptor.Code);
        Assert.Equal((4, 5), (diagnostic.Location.Line, diagnostic.Location.Column));
    }

    private static string Mutate(string text, Random random, string[] inserts)
    {
        var at = random.Next(text.Length + 1);
        var lines = text.Split('\n');
        var line = random.Next(lines.Length);
        switch (random.Next(6))
        {
            case 0:
                return text.Remove(Math.Min(at, text.Length - 1 < 0 ? 0 : text.Length - 1), text.Length == 0 ? 0 : 1);
            case 1:
                return text.Insert(at, inserts[random.Next(inserts.Length)]);
            case 2:
                lines[line] = "  " + lines[line];
                return string.Join("\n", lines);
            case 3:
                lines[line] = lines[line].TrimStart(' ');
                return string.Join("\n", lines);
            case 4:
                return string.Join("\n", lines.Take(line + 1).Append(lines[line]).Concat(lines.Skip(line + 1)));
            default:
                return string.Join("\n", lines.Where((_, index) => index != line));
        }
    }

    private static IEnumerable<string> RepositoryYamlFiles() =>
        new[] { "examples", "tests", "schemas", "docs" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Repository.Root, folder), "*.y*ml", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .OrderBy(file => file, StringComparer.Ordinal);

    private static SourceDocument? ReadFast(byte[] bytes) =>
        Utf8YamlReader.TryRead("agreement.yaml", new Utf8SourceText(bytes, BomLength(bytes)), DocumentLimits.Default);

    private static int BomLength(byte[] bytes) => bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;

    /// <summary>Reads the same bytes with the event reader and requires the identical tree, values and positions.</summary>
    private static void AssertSame(string name, byte[] bytes, SourceDocument fast)
    {
        var start = BomLength(bytes);
        var diagnostics = new List<ContractDiagnostic>();
        var slow = YamlDocumentReader.Read("agreement.yaml", new StringSourceText(Encoding.UTF8.GetString(bytes, start, bytes.Length - start)), DocumentLimits.Default, diagnostics);
        Assert.True(slow is not null && diagnostics.Count == 0, $"the byte reader accepted what the event reader rejects ({string.Join("; ", diagnostics)}) in {name}");
        Assert.True(slow!.ValueCount == fast.ValueCount, $"{slow.ValueCount} values from the event reader, {fast.ValueCount} from the byte reader in {name}\n{DocumentDump.Dump(slow)}\n---\n{DocumentDump.Dump(fast)}");
        for (var i = 0; i < slow.ValueCount; i++)
        {
            var expected = DocumentDump.Describe(slow, i);
            var actual = DocumentDump.Describe(fast, i);
            Assert.True(expected == actual, $"value {i} differs in {name}\nevent reader: {expected}\nbyte reader:  {actual}");
        }
    }
}

using System.Text;
using MemoryContracts.Diagnostics;
using MemoryContracts.Documents;
using MemoryContracts.Text;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>
/// A large JSON document is read on two cores at once, in parts (<see cref="JsonParts"/>). Wherever the parts are
/// guessed, the result must be the one-pass read's, value for value and diagnostic for diagnostic: every <c>}</c> of
/// every document here is tried as a split, alone and all together, including those inside strings, in mappings and
/// in broken documents.
/// </summary>
public sealed class JsonSplitReadingTests
{
    private static readonly string[] Documents =
    [
        """{"nodes":[{"id":"a"},{"id":"b","x":[1,2,{"k":"v"}]},{"id":"c"}],"edges":[{"from":"a"},{"to":"b"}]}""",
        """[{"a":1},{"\u00e9k":"x\n"},{"new key":"\u0041","a":"é"},{"a":2,"😀":"😀"}]""",
        """[{"t":"}, {"},{"t":"x"},{"t":"}  ,  {\"","u":"}"}]""",
        """[{"a":1}, 2, "s", [3], {"b":true}, null, -1.5e3, {}, []]""",
        """[{"a":1},{"a":1,"a":2},{"b":1}]""",
        """[{"a":1},{"b":2},{"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10,"k":11,"l":12,"m":13,"n":14,"o":15,"p":16,"q":17,"c":18}]""",
        """[{"a":1},{"a":1,}]""",
        """[{"a":1},{"b":2},]""",
        """[{"a":1},{"b":2}""",
        """[{"a":1},{"b":2}] x""",
        """{"x":[{"a":1},{"b":2}],"y":}""",
        """{"x":[{"a":1},{"b":2}],"y":[{"c":3},{"d":4}]}""",
        "[ {\"a\":1} ,\r\n\t{\"b\":2}\n]\n",
        "[{\"a\":1},\u00a0{\"b\":2}]",
        """{"a":[[{"x":1},{"y":2}],[{"z":3},{"w":{"v":{}}}]]}""",
        "\uFEFF[{\"a\":1},{\"b\":2}]",
        """[{"a":1},{"b":"\ud800"}]""",
        """[{"a":1},{"b":"\u0000"}]""",
        """[{"a":1},{"b":[[[[1]]]]},{"c":2}]""",
        """[{"a":1},{"b":[[[1]]]},{"c":2}]""",
        """[{"a":1},{"b":2} {"c":3}]""",
        """[{"a":1},{"b":2},{"c":3}][{"d":4},{"e":5}]""",
        """[{"a":1},{"b":2},"x" {"c":3}]""",
        """[{"a":1},{"b":01}]""",
        """{"k":{"a":1},"l":{"b":2}}""",
    ];

    /// <summary>Small enough that the nesting documents above reach it in the tail.</summary>
    private static readonly DocumentLimits Shallow = DocumentLimits.Default with { MaxDepth = 5 };

    [Fact]
    public void Every_split_reads_like_one_pass()
    {
        var joined = 0;
        foreach (var document in Documents)
        {
            foreach (var limits in new[] { DocumentLimits.Default, Shallow })
            {
                joined += AssertEverySplitAgrees(document, Encoding.UTF8.GetBytes(document), limits, everyBrace: true);
            }
        }

        Assert.True(joined >= 40, $"only {joined} splits were taken; the test would prove little");
    }

    [Fact]
    public void The_split_is_taken_between_elements_and_nowhere_else()
    {
        const string json = """{"nodes":[{"id":"a","m":{"t":"}, {"}},{"id":"b"}],"last":{"x":1}}""";
        var bytes = Encoding.UTF8.GetBytes(json);
        bool SplitAt(int offset)
        {
            Assert.NotNull(JsonDocumentReader.Read("split.json", new Utf8SourceText(bytes, 0), DocumentLimits.Default, [], [offset], out var parts, awaitEveryPart: true));
            return parts == 1;
        }

        Assert.True(SplitAt(json.IndexOf("}},{", StringComparison.Ordinal) + 1));
        Assert.False(SplitAt(json.IndexOf("}, {", StringComparison.Ordinal)));
        Assert.False(SplitAt(json.IndexOf("}},{", StringComparison.Ordinal)));
        Assert.False(SplitAt(json.LastIndexOf('}') - 1));
    }

    [Fact]
    public void Mutated_documents_read_like_one_pass_at_any_split()
    {
        var random = new Random(20261205);
        var bases = RepositoryJsonFiles().Select(File.ReadAllText).Where(text => text.Length < 20_000).Concat(Documents).ToArray();
        string[] inserts = [",", "]", "[", "{", "}", "\"", "\\", ":", " ", "\n", "},{", "}, {\"a\":1}", "\"\\u00e9\"", "\"\\ud800\"", "1", "null", "😀"];
        var joined = 0;
        for (var round = 0; round < 1500; round++)
        {
            var text = bases[random.Next(bases.Length)];
            for (var edits = random.Next(3); edits > 0; edits--)
            {
                var at = random.Next(text.Length + 1);
                text = random.Next(3) == 0 && at < text.Length ? text.Remove(at, 1) : text.Insert(at, inserts[random.Next(inserts.Length)]);
            }

            joined += AssertEverySplitAgrees($"mutation {round}:\n{text}", Encoding.UTF8.GetBytes(text), DocumentLimits.Default, everyBrace: false, random);
        }

        Assert.True(joined >= 300, $"only {joined} splits were taken; the test would prove little");
    }

    [Fact]
    public void A_large_array_loads_in_parts_with_the_same_values()
    {
        var json = new StringBuilder("{\"schema_version\":\"x\",\"nodes\":[");
        for (var i = 0; i < 80_000; i++)
        {
            json.Append(i == 0 ? "" : ",\n").Append("{\"id\":\"n").Append(i).Append("\",\"tags\":[\"a\",\"b\\u00e9\"],\"w\":").Append(i % 7).Append(".5,\"k").Append(i % 1000).Append("\":{\"x\":true}}");
        }

        var bytes = Encoding.UTF8.GetBytes(json.Append("],\"end\":null}").ToString());
        Assert.True(bytes.Length >= JsonDocumentReader.SplitThreshold);
        var text = new Utf8SourceText(bytes, 0);
        var splits = JsonParts.FindSplits(text);
        Assert.Equal(bytes.Length / (1 << 20), splits.Length);
        var inParts = JsonDocumentReader.Read("large.json", text, DocumentLimits.Default, [], splits, out var parts, awaitEveryPart: true);
        Assert.Equal(splits.Length, parts);
        var onePass = JsonDocumentReader.Read("large.json", new Utf8SourceText(bytes, 0), DocumentLimits.Default, [], [], out _);
        Assert.Equal(DocumentDump.Dump(onePass!), DocumentDump.Dump(inParts!));

        var loaded = DocumentLoader.Load("large.json", bytes);
        Assert.Empty(loaded.Diagnostics);
        Assert.Equal(onePass!.ValueCount, loaded.Document!.ValueCount);
        Assert.True(loaded.Document.Root.TryGetProperty("nodes", out var nodes));
        Assert.Equal(80_000, nodes.Count);
    }

    [Fact]
    public void A_cancelled_part_stops_at_the_next_container_it_closes()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"a":[{"b":1},{"c":2}]} 7""");
        var text = new Utf8SourceText(bytes, 0);
        Assert.Equal(bytes.Length - 2, JsonDocumentReader.ForPart(text, DocumentLimits.Default, bytes.Length, CancellationToken.None).ReadOneValue(0));
        Assert.Equal(-1, JsonDocumentReader.ForPart(text, DocumentLimits.Default, bytes.Length, new CancellationToken(canceled: true)).ReadOneValue(0));

        // A scalar closes no container: it is read whole, and the part's loop stops before the next value.
        Assert.Equal(bytes.Length, JsonDocumentReader.ForPart(text, DocumentLimits.Default, bytes.Length, new CancellationToken(canceled: true)).ReadOneValue(bytes.Length - 1));
    }

    /// <summary>
    /// Reads the bytes in one pass, then with each <c>}</c> as the one split (or a few), then with all of them (or a
    /// random set), requiring the same result each time; returns how many parts were joined.
    /// </summary>
    private static int AssertEverySplitAgrees(string name, byte[] bytes, DocumentLimits limits, bool everyBrace, Random? random = null)
    {
        var start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        var expectedDiagnostics = new List<ContractDiagnostic>();
        var expected = Describe(JsonDocumentReader.Read("split.json", new Utf8SourceText(bytes, start), limits, expectedDiagnostics, [], out _), expectedDiagnostics);
        var braces = Enumerable.Range(start, bytes.Length - start).Where(i => bytes[i] == '}').ToArray();
        var trials = everyBrace
            ? braces.Select(brace => new[] { brace }).Append(braces)
            : braces.OrderBy(_ => random!.Next()).Take(3).Select(brace => new[] { brace }).Append(braces.Where(_ => random!.Next(2) == 0).ToArray());
        var joined = 0;
        foreach (var splits in trials.Where(splits => splits.Length > 0))
        {
            var diagnostics = new List<ContractDiagnostic>();
            var document = JsonDocumentReader.Read("split.json", new Utf8SourceText(bytes, start), limits, diagnostics, splits, out var parts, awaitEveryPart: true);
            var actual = Describe(document, diagnostics);
            Assert.True(expected == actual, $"splits at {string.Join(", ", splits)} of {name}\none pass:\n{expected}\nsplit:\n{actual}");
            joined += parts;
        }

        return joined;
    }

    private static string Describe(SourceDocument? document, List<ContractDiagnostic> diagnostics) =>
        (document is null ? "no document" : DocumentDump.Dump(document)) + "\n" + string.Join("\n", diagnostics.Select(d => $"{d.Code} {d.Location} {d.Message}"));

    private static IEnumerable<string> RepositoryJsonFiles() =>
        new[] { "examples", "tests", "schemas" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Repository.Root, folder), "*.json", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .OrderBy(file => file, StringComparer.Ordinal);
}

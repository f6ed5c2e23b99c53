using System.Text;
using System.Text.Json;
using MemoryContracts.Documents;
using MemoryContracts.Validation;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>
/// The graph id index against a dictionary, on ids of every shape a fixture can hold: short and long (past the
/// stack buffer), non-ASCII, escaped in the source, repeated within and across element kinds, with an index sized too
/// small so that its pool and its buckets grow.
/// </summary>
public sealed class IdIndexTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(4_000)]
    public void Declarations_and_lookups_agree_with_a_dictionary(int capacity)
    {
        var random = new Random(20261205);
        var ids = Enumerable.Range(0, 4_000).Select(index => index % 7 == 0 && index > 0 ? $"n{random.Next(index)}" : Shape(random, index)).ToArray();
        var kinds = ids.Select(_ => (ElementKind)random.Next(3)).ToArray();
        var document = Load(ids);
        var items = document.Root.EnumerateItems().ToArray();

        var index = new IdIndex(capacity);
        var expected = new Dictionary<string, (int Ordinal, int Item, ElementKind Kind)>(StringComparer.Ordinal);
        for (var item = 0; item < items.Length; item++)
        {
            var added = index.TryAdd(items[item], kinds[item], out var first);
            Assert.Equal(!expected.ContainsKey(ids[item]), added);
            if (added)
            {
                expected[ids[item]] = (expected.Count, item, kinds[item]);
            }
            else
            {
                var (_, firstItem, firstKind) = expected[ids[item]];
                Assert.Equal((items[firstItem].Location, firstKind), (first.Id.Location, first.Element));
            }
        }

        for (var item = 0; item < items.Length; item++)
        {
            var (ordinal, _, kind) = expected[ids[item]];
            foreach (var asked in new[] { ElementKind.Node, ElementKind.Edge, ElementKind.Event })
            {
                Assert.Equal(asked == kind ? ordinal : -1, index.Find(items[item], asked));
            }
        }

        var absent = Load(["missing", "n-1", new string('x', 300), "néant"]);
        Assert.All(absent.Root.EnumerateItems(), reference => Assert.Equal(-1, index.Find(reference, ElementKind.Node)));
    }

    private static string Shape(Random random, int index) => (index % 5) switch
    {
        0 => $"n{index}",
        1 => new string((char)('a' + (index % 26)), 250 + random.Next(20)) + index,
        2 => $"nœud-{index}-ü",
        3 => $"esc\u00e9\"{index}",
        _ => $"e{index:D7}",
    };

    private static SourceDocument Load(IEnumerable<string> ids)
    {
        var json = new StringBuilder("[\n");
        foreach (var id in ids)
        {
            // Every other id is spelled with escapes, so the index reads decoded strings as well as source bytes.
            json.Append(json.Length % 2 == 0 ? JsonSerializer.Serialize(id, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default }) : JsonSerializer.Serialize(id, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })).Append(",\n");
        }

        json.Length -= 2;
        json.Append("\n]\n");
        var loaded = DocumentLoader.Load("ids.json", Encoding.UTF8.GetBytes(json.ToString()));
        Assert.Empty(loaded.Diagnostics);
        return loaded.Document!;
    }
}

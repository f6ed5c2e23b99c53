using System.Text;
using MemoryContracts.Generators.Parsing;
using Xunit;

namespace MemoryContracts.Generators.Tests;

/// <summary>
/// Issue 17, target 4: the generator reads fixtures with the core's byte YAML reader and falls back to the YamlDotNet
/// tree for what it declines. Wherever the byte reader reads a file, the model (ids, kinds, titles, and every id's
/// character offsets, lines and columns) must be the one the tree gives, so the generated code cannot depend on
/// which reader ran.
/// </summary>
public sealed class FixtureReaderDifferentialTests
{
    public static TheoryData<string> RepositoryFixtures()
    {
        var data = new TheoryData<string>();
        foreach (var folder in new[] { "examples", "tests" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Repository.Root, folder), "*.*", SearchOption.AllDirectories)
                .Where(file => file.EndsWith(".yaml", StringComparison.Ordinal) || file.EndsWith(".yml", StringComparison.Ordinal) || file.EndsWith(".json", StringComparison.Ordinal))
                .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !file.Contains("node_modules", StringComparison.Ordinal))
                .OrderBy(file => file, StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(Repository.Root, file).Replace('\\', '/'));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RepositoryFixtures))]
    public void Every_repository_fixture_the_byte_reader_reads_gives_the_trees_model(string relativePath)
    {
        var text = File.ReadAllText(Path.Combine(Repository.Root, relativePath));
        AssertSameModel(text);
    }

    [Fact]
    public void The_byte_reader_reads_every_example_graph()
    {
        foreach (var name in new[] { "decision-graph.yaml", "conversation-path.yaml", "knowledge-neighborhood.yaml" })
        {
            Assert.NotNull(Utf8FixtureReader.TryParse("memory/" + name, "x", Repository.Example(name)));
        }
    }

    /// <summary>
    /// Generated graphs that mix what fixtures are written with: flow and block mappings, quoted and plain ids,
    /// non-ASCII and astral titles (character offsets differ from byte offsets), CRLF, comments, block scalars,
    /// empty and null values, numbers as ids, and keys in any order.
    /// </summary>
    [Fact]
    public void Thousands_of_generated_graphs_give_the_same_model_through_either_reader()
    {
        var random = new Random(17);
        var read = 0;
        for (var sample = 0; sample < 3000; sample++)
        {
            if (AssertSameModel(GeneratedGraph(random)))
            {
                read++;
            }
        }

        // The comparison means something only if the byte reader takes most of them.
        Assert.True(read > 2000, $"the byte reader read {read} of 3000");
    }

    /// <summary>Compares both readers on the text; returns whether the byte reader read it.</summary>
    private static bool AssertSameModel(string text)
    {
        var fast = Utf8FixtureReader.TryParse("/p/memory/f.yaml", "f", text);
        if (fast is null)
        {
            return false;
        }

        var tree = FixtureParser.ParseTree("/p/memory/f.yaml", "memory/f.yaml", text);
        Assert.Equal(tree.SchemaVersion, fast.SchemaVersion);
        Assert.Equal(tree.Id, fast.Id);
        Assert.Equal(tree.Title, fast.Title);
        Assert.Equal(tree.Nodes.ToList(), fast.Nodes.ToList());
        Assert.Equal(tree.Edges.ToList(), fast.Edges.ToList());
        Assert.Equal(tree.Events.ToList(), fast.Events.ToList());
        Assert.Equal(tree, fast);
        return true;
    }

    private static string GeneratedGraph(Random random)
    {
        var newline = random.Next(4) == 0 ? "\r\n" : "\n";
        var text = new StringBuilder();
        if (random.Next(5) == 0)
        {
            text.Append("# a comment before the document").Append(newline);
        }

        text.Append("schema_version: markitect.memory.graph.v1").Append(newline);
        text.Append("id: ").Append(Scalar(random, "graph")).Append(newline);
        if (random.Next(2) == 0)
        {
            text.Append("title: ").Append(Title(random)).Append(newline);
        }

        foreach (var list in new[] { "nodes", "edges", "events" }.Where(_ => random.Next(4) != 0))
        {
            text.Append(list).Append(':').Append(newline);
            var indent = random.Next(2) == 0 ? "  " : "    ";
            for (var i = random.Next(6); i > 0; i--)
            {
                Element(random, text, indent, newline);
            }
        }

        return text.ToString();
    }

    private static void Element(Random random, StringBuilder text, string indent, string newline)
    {
        var fields = new List<(string Key, string Value)> { ("id", Scalar(random, "n")), ("kind", random.Next(6) == 0 ? "~" : Scalar(random, "k")) };
        if (random.Next(3) != 0)
        {
            fields.Add((random.Next(4) == 0 ? "summary" : "title", Title(random)));
        }

        if (random.Next(3) == 0)
        {
            fields.Add(("text", Title(random)));
        }

        fields = fields.OrderBy(_ => random.Next()).ToList();
        if (random.Next(2) == 0)
        {
            text.Append(indent).Append("- {").Append(string.Join(", ", fields.Select(field => field.Key + ": " + field.Value))).Append('}');
            text.Append(random.Next(4) == 0 ? "   # trailing comment" : string.Empty).Append(newline);
            return;
        }

        for (var i = 0; i < fields.Count; i++)
        {
            text.Append(indent).Append(i == 0 ? "- " : "  ").Append(fields[i].Key).Append(':');
            if (random.Next(8) == 0 && fields[i].Key is "title" or "text")
            {
                text.Append(" |").Append(newline).Append(indent).Append("    ").Append(Words(random)).Append(newline);
                continue;
            }

            text.Append(' ').Append(fields[i].Value).Append(newline);
        }
    }

    private static string Scalar(Random random, string prefix)
    {
        var id = $"{prefix}-{random.Next(1000)}";
        return random.Next(6) switch
        {
            0 => $"'{id}'",
            1 => $"\"{id}\"",
            2 => random.Next(1000).ToString(System.Globalization.CultureInfo.InvariantCulture),
            3 => $"\"{id}\\u00e9\"",
            _ => id,
        };
    }

    /// <summary>A title; now and then an empty one (which the byte reader declines in a flow mapping, so rarely).</summary>
    private static string Title(Random random) => random.Next(40) switch
    {
        16 => string.Empty,
        < 8 => $"'{Words(random)}'",
        < 16 => $"\"{Words(random)} \\\"quoted\\\"\"",
        _ => Words(random),
    };

    private static string Words(Random random)
    {
        string[] words = ["memory", "contract", "décision", "naïve", "日本語", "emoji 😀 here", "x", "a-b", "c_d"];
        return string.Join(" ", Enumerable.Range(0, 1 + random.Next(4)).Select(_ => words[random.Next(words.Length)]));
    }
}

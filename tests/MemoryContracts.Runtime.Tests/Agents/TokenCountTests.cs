using System.Globalization;
using MemoryContracts.Agents;
using MemoryContracts.Packing;
using MemoryContracts.Validation;
using Xunit;

namespace MemoryContracts.Runtime.Tests.Agents;

/// <summary>Issue 15: the table in docs/agents.md of how far the estimate is from o200k_base and cl100k_base is what they count.</summary>
public sealed class TokenCountTests
{
    [Fact]
    public void The_documented_token_counts_are_what_the_estimate_and_the_tokenizers_count()
    {
        var catalog = Directory.GetFiles(Path.Combine(TestSupport.Root, "examples", "memory"), "*.yaml").Order(StringComparer.Ordinal)
            .Select(file => new ContractValidator().Validate(file).Graph).OfType<Model.MemoryGraph>()
            .SelectMany(graph => graph.Nodes).Select(node => TokenEstimator.ItemText(node.Title, node.Text)).ToArray();
        var rows = File.ReadAllLines(Path.Combine(TestSupport.Root, "docs", "agents.md"))
            .SkipWhile(line => !line.StartsWith("| text | characters |", StringComparison.Ordinal)).Skip(2).TakeWhile(line => line.StartsWith('|'))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries)[1..^1]).ToArray();
        Assert.Equal(5, rows.Length);

        string Row(IReadOnlyList<string> texts)
        {
            int Sum(ITokenCounter counter) => texts.Sum(counter.CountTokens);
            var estimate = Sum(TokenEstimator.Default);
            var o200k = Sum(TiktokenCounter.O200kBase);
            return string.Create(CultureInfo.InvariantCulture, $"{texts.Sum(text => text.Length)} | {estimate} | {o200k} | {Sum(TiktokenCounter.Cl100kBase)} | {(double)o200k / estimate:F2}x");
        }

        Assert.Equal($"the example catalog's {catalog.Length} nodes (title and text, examples/memory)", rows[0][0]);
        Assert.Equal(Row(catalog), string.Join(" | ", rows[0][1..]));
        foreach (var row in rows[1..])
        {
            var text = row[0].Trim('`');
            Assert.Equal(Row([text]), string.Join(" | ", row[1..]));
        }
    }
}

using System.Text;
using MemoryContracts.Text;
using MemoryContracts.Validation;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>Positions in long one-line files (minified JSON) are exact in any order of asking.</summary>
public sealed class SourcePositionTests
{
    [Fact]
    public void Positions_on_one_long_line_are_exact_forward_backward_and_across_lines()
    {
        var text = new Utf8SourceText(Encoding.UTF8.GetBytes("{\"a\":\"é😀x\",\"b\":1}\n  {\"c\":2}"), 0);
        Assert.Equal(new LinePosition(1, 7), text.GetPosition(6));   // after {"a":"
        Assert.Equal(new LinePosition(1, 11), text.GetPosition(13)); // é is 2 bytes, 1 column; 😀 is 4 bytes, 2 columns
        Assert.Equal(new LinePosition(1, 2), text.GetPosition(1));   // backwards: counted from the line start again
        Assert.Equal(new LinePosition(2, 4), text.GetPosition(25));  // another line
        Assert.Equal(new LinePosition(1, 11), text.GetPosition(13)); // and back to the first
    }

    [Fact]
    public void Nodes_of_a_minified_graph_carry_their_exact_columns()
    {
        var nodes = Enumerable.Range(0, 3000).Select(index => $"{{\"id\":\"n{index}\",\"kind\":\"claim\",\"title\":\"t{index}\"}}").ToArray();
        var json = "{\"schema_version\":\"markitect.memory.graph.v1\",\"id\":\"g\",\"nodes\":[" + string.Join(",", nodes) + "]}";
        var graph = new ContractValidator().Validate("minified.json", Encoding.UTF8.GetBytes(json)).Graph!;
        var expected = json.IndexOf("{\"id\":\"n2999\"", StringComparison.Ordinal) + 1;
        Assert.Equal((1, expected), (graph.Nodes[2999].Origin.Line, graph.Nodes[2999].Origin.Column));
        Assert.Equal((1, json.IndexOf("{\"id\":\"n1500\"", StringComparison.Ordinal) + 1), (graph.Nodes[1500].Origin.Line, graph.Nodes[1500].Origin.Column));
    }
}

using System.Text;
using System.Text.Json;
using MemoryContracts.Runtime.Json;
using MemoryContracts.Runtime.Storage;
using MemoryContracts.Validation;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary>
/// Snapshots and graph headers are stored files and the snapshot's bytes are what <see cref="MemoryJson.ContentHash"/>
/// hashes: their bytes are a contract (approved file), and a damaged file is refused with a <see cref="JsonException"/>
/// naming what is wrong, never read as something else.
/// </summary>
public sealed class StoredFileFormatTests
{
    private static readonly string Fixtures = Path.Combine(TestSupport.Root, "tests", "MemoryContracts.Runtime.Tests", "Fixtures");

    [Fact]
    public void A_snapshot_of_every_field_is_written_byte_for_byte_as_approved_and_reads_back_whole()
    {
        var snapshot = EveryFieldSnapshot();

        var written = MemoryJson.WriteSnapshot(snapshot);

        Assert.Equal(File.ReadAllText(Path.Combine(Fixtures, "every-field.snapshot.approved.json")), Encoding.UTF8.GetString(written));
        var read = MemoryJson.ReadSnapshot(written);
        Assert.Equal(written, MemoryJson.WriteSnapshot(read));
        Assert.Equal(ModelDump.Of(snapshot.Nodes), ModelDump.Of(read.Nodes));
        Assert.Equal(snapshot.Tombstones, read.Tombstones);
        Assert.Equal(snapshot.Reviews, read.Reviews);
    }

    [Fact]
    public void A_graph_header_is_written_byte_for_byte_and_reads_back()
    {
        var header = new GraphHeader("kb", "Knowledge – ünïcode", null);

        var written = MemoryJson.WriteHeader(header);

        Assert.Equal("{\n  \"format\": \"markitect.memory.graph-header.v1\",\n  \"id\": \"kb\",\n  \"title\": \"Knowledge – ünïcode\"\n}\n", Encoding.UTF8.GetString(written));
        Assert.Equal(header, MemoryJson.ReadHeader(written));
    }

    [Fact]
    public void A_snapshot_without_format_or_lists_reads_as_this_version_with_empty_lists()
    {
        var read = MemoryJson.ReadSnapshot("{\"graph\":\"kb\",\"sequence\":7}"u8);

        Assert.Equal(("kb", 7L, 0, 0, 0, 0), (read.GraphId, read.Sequence, read.Nodes.Count, read.Edges.Count, read.Tombstones.Count, read.Reviews.Count));
    }

    [Theory]
    [InlineData("{\"format\":\"markitect.memory.snapshot.v2\",\"graph\":\"kb\",\"sequence\":1}", "markitect.memory.snapshot.v2")]
    [InlineData("{\"sequence\":1}", "graph")]
    [InlineData("{\"graph\":null,\"sequence\":1}", "graph")]
    [InlineData("{\"graph\":\"kb\",\"sequence\":1,\"nodes\":[null]}", "nodes")]
    [InlineData("{\"graph\":\"kb\",\"sequence\":1,\"reviews\":[null]}", "reviews")]
    [InlineData("{\"graph\":\"kb\",\"sequence\":1,\"tombstones\":[{\"id\":\"a\",\"kind\":\"node\",\"at\":\"t\",\"operation\":\"o\"}]}", "reason")]
    [InlineData("{\"graph\":\"kb\",\"sequence\":1,\"tombstones\":[{\"id\":\"a\",\"kind\":\"node\",\"at\":\"t\",\"reason\":null,\"operation\":\"o\"}]}", "")]
    [InlineData("{\"graph\":\"kb\",\"sequence\":1,\"reviews\":[{\"node\":\"a\",\"reason\":\"r\"}]}", "cause")]
    [InlineData("{\"graph\":\"kb\",\"sequence\":\"1\"}", "")]
    [InlineData("[]", "")]
    public void A_damaged_snapshot_is_refused(string content, string named)
    {
        var refused = Assert.ThrowsAny<JsonException>(() => MemoryJson.ReadSnapshot(Encoding.UTF8.GetBytes(content)));

        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"format\":\"markitect.memory.snapshot.v1\",\"id\":\"kb\"}", "markitect.memory.snapshot.v1")]
    [InlineData("{\"title\":\"t\"}", "id")]
    [InlineData("{\"id\":\"kb\",\"title\":3}", "")]
    public void A_damaged_graph_header_is_refused(string content, string named)
    {
        var refused = Assert.ThrowsAny<JsonException>(() => MemoryJson.ReadHeader(Encoding.UTF8.GetBytes(content)));

        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
    }

    /// <summary>The every-field fixture's elements as the loader reads them, with a tombstone and an open review.</summary>
    private static GraphSnapshot EveryFieldSnapshot()
    {
        var graph = new ContractValidator().Validate(Path.Combine(Fixtures, "every-field.graph.json")).Graph!;
        return new GraphSnapshot(
            "every-field",
            42,
            graph.Nodes,
            graph.Edges,
            [new Tombstone("gone", "node", "2026-11-30T08:00:00Z", "forgotten on request – “quoted”", "op-7")],
            [new ReviewFlag("n1", "source changed", "op-8")]);
    }
}

using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using MemoryContracts.Model;
using MemoryContracts.Model.Wire;
using MemoryContracts.Runtime.Storage;

namespace MemoryContracts.Runtime.Json;

/// <summary>Snapshots of a graph's main path and graph headers, as indented files.</summary>
internal static partial class RecordJson
{
    public static byte[] WriteSnapshot(GraphSnapshot snapshot)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, Indented))
        {
            writer.WriteStartObject();
            writer.WriteString("format", SnapshotFormat);
            writer.WriteString("graph", snapshot.GraphId);
            writer.WriteNumber("sequence", snapshot.Sequence);
            writer.WriteStartArray("nodes");
            foreach (var node in snapshot.Nodes)
            {
                ElementJson.WriteNode(writer, node);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("edges");
            foreach (var edge in snapshot.Edges)
            {
                ElementJson.WriteEdge(writer, edge);
            }

            writer.WriteEndArray();
            WriteTombstones(writer, snapshot.Tombstones);
            WriteReviews(writer, "reviews", snapshot.Reviews);
            writer.WriteEndObject();
        }

        return WithNewline(output);
    }

    public static GraphSnapshot ReadSnapshot(ReadOnlySpan<byte> content)
    {
        var reader = new Utf8JsonReader(content);
        JsonRead.StartObject(ref reader);
        string? graph = null;
        long sequence = 0;
        IReadOnlyList<GraphNode> nodes = [];
        IReadOnlyList<GraphEdge> edges = [];
        IReadOnlyList<Tombstone> tombstones = [];
        IReadOnlyList<ReviewFlag> reviews = [];
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("format"u8)) CheckFormat(JsonRead.String(ref reader), SnapshotFormat);
            else if (reader.ValueTextEquals("graph"u8)) graph = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("sequence"u8)) sequence = JsonRead.Int64(ref reader);
            else if (reader.ValueTextEquals("nodes"u8)) nodes = JsonRead.Objects(ref reader, ElementJson.ReadNode);
            else if (reader.ValueTextEquals("edges"u8)) edges = JsonRead.Objects(ref reader, ElementJson.ReadEdge);
            else if (reader.ValueTextEquals("tombstones"u8)) tombstones = JsonRead.Objects(ref reader, ReadTombstone);
            else if (reader.ValueTextEquals("reviews"u8)) reviews = JsonRead.Objects(ref reader, ReadReview);
            else JsonRead.SkipValue(ref reader);
        }

        return new GraphSnapshot(ElementJson.Required(graph, "snapshot", "graph"), sequence, nodes, edges, tombstones, reviews);
    }

    public static byte[] WriteHeader(GraphHeader header)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, Indented))
        {
            writer.WriteStartObject();
            writer.WriteString("format", HeaderFormat);
            writer.WriteString("id", header.Id);
            ElementJson.WriteOptional(writer, "title", header.Title);
            ElementJson.WriteOptional(writer, "description", header.Description);
            writer.WriteEndObject();
        }

        return WithNewline(output);
    }

    public static GraphHeader ReadHeader(ReadOnlySpan<byte> content)
    {
        var reader = new Utf8JsonReader(content);
        JsonRead.StartObject(ref reader);
        string? id = null, title = null, description = null;
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("format"u8)) CheckFormat(JsonRead.String(ref reader), HeaderFormat);
            else if (reader.ValueTextEquals("id"u8)) id = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("title"u8)) title = JsonRead.OptionalString(ref reader);
            else if (reader.ValueTextEquals("description"u8)) description = JsonRead.OptionalString(ref reader);
            else JsonRead.SkipValue(ref reader);
        }

        return new GraphHeader(ElementJson.Required(id, "graph header", "id"), title, description);
    }
}

using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using MemoryContracts.Model;
using MemoryContracts.Model.Wire;
using MemoryContracts.Runtime.Storage;

namespace MemoryContracts.Runtime.Json;

/// <summary>Log records (<c>markitect.memory.record.v1</c>), one compact JSON object per line, and the append request an agent sends.</summary>
internal static partial class RecordJson
{
    public static void WriteRecord(IBufferWriter<byte> output, MemoryRecord record)
    {
        using var writer = new Utf8JsonWriter(output, Compact);
        WriteRecord(writer, record);
    }

    /// <summary>Writes a record with a writer the caller reuses (and resets between records).</summary>
    public static void WriteRecord(Utf8JsonWriter writer, MemoryRecord record)
    {
        writer.WriteStartObject();
        writer.WriteString("format", MemoryRecord.Format);
        writer.WriteNumber("seq", record.Sequence);
        writer.WriteString("at", record.At);
        ElementJson.WriteOptional(writer, "operation", record.Operation);
        if (record.Event is { } graphEvent)
        {
            writer.WritePropertyName("event");
            ElementJson.WriteEvent(writer, graphEvent);
        }

        if (!record.Changes.IsEmpty)
        {
            writer.WritePropertyName("changes");
            WriteChanges(writer, record.Changes);
        }

        writer.WriteEndObject();
        writer.Flush();
    }

    public static MemoryRecord ReadRecord(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        JsonRead.StartObject(ref reader);
        string? at = null, operation = null;
        var hasFormat = false;
        long? sequence = null;
        GraphEvent? graphEvent = null;
        var changes = GraphChanges.None;
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("format"u8))
            {
                if (JsonRead.Mismatch(ref reader, RecordFormat) is { } found)
                {
                    throw new UnknownFormatException(found, MemoryRecord.Format);
                }

                hasFormat = true;
            }
            else if (reader.ValueTextEquals("seq"u8)) sequence = JsonRead.Int64(ref reader);
            else if (reader.ValueTextEquals("at"u8)) at = JsonRead.Token(ref reader);
            else if (reader.ValueTextEquals("operation"u8)) operation = JsonRead.OptionalString(ref reader);
            else if (reader.ValueTextEquals("event"u8))
            {
                JsonRead.StartObject(ref reader);
                graphEvent = ElementJson.ReadEvent(ref reader);
            }
            else if (reader.ValueTextEquals("changes"u8)) changes = ReadChanges(ref reader);
            else JsonRead.SkipValue(ref reader);
        }

        if (reader.Read())
        {
            throw new JsonException("the line holds more than one value");
        }

        if (!hasFormat)
        {
            throw new JsonException("the record has no 'format'");
        }

        return new MemoryRecord(sequence ?? throw new JsonException("the record has no 'seq'"), ElementJson.Required(at, "record", "at"), graphEvent, changes) { Operation = operation };
    }

    /// <summary>Reads what a caller asks to append: <c>{"event": {...}, "changes": {...}}</c>.</summary>
    public static (GraphEvent Event, GraphChanges Changes) ReadAppend(ReadOnlySpan<byte> content)
    {
        var reader = new Utf8JsonReader(content, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        JsonRead.StartObject(ref reader);
        GraphEvent? graphEvent = null;
        var changes = GraphChanges.None;
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("event"u8))
            {
                JsonRead.StartObject(ref reader);
                graphEvent = ElementJson.ReadEvent(ref reader);
            }
            else if (reader.ValueTextEquals("changes"u8)) changes = ReadChanges(ref reader);
            else JsonRead.SkipValue(ref reader);
        }

        return (graphEvent ?? throw new JsonException("the record has no 'event'"), changes);
    }

    private static void WriteChanges(Utf8JsonWriter writer, GraphChanges changes)
    {
        writer.WriteStartObject();
        if (changes.PutNodes.Count > 0)
        {
            writer.WriteStartArray("put_nodes");
            foreach (var node in changes.PutNodes)
            {
                ElementJson.WriteNode(writer, node);
            }

            writer.WriteEndArray();
        }

        if (changes.PutEdges.Count > 0)
        {
            writer.WriteStartArray("put_edges");
            foreach (var edge in changes.PutEdges)
            {
                ElementJson.WriteEdge(writer, edge);
            }

            writer.WriteEndArray();
        }

        ElementJson.WriteStrings(writer, "remove_nodes", changes.RemoveNodes);
        ElementJson.WriteStrings(writer, "remove_edges", changes.RemoveEdges);
        if (changes.Tombstones.Count > 0)
        {
            WriteTombstones(writer, changes.Tombstones);
        }

        if (changes.OpenReviews.Count > 0)
        {
            WriteReviews(writer, "open_reviews", changes.OpenReviews);
        }

        ElementJson.WriteStrings(writer, "close_reviews", changes.CloseReviews);
        writer.WriteEndObject();
    }

    private static GraphChanges ReadChanges(ref Utf8JsonReader reader)
    {
        JsonRead.StartObject(ref reader);
        IReadOnlyList<GraphNode> putNodes = [];
        IReadOnlyList<GraphEdge> putEdges = [];
        IReadOnlyList<string> removeNodes = [], removeEdges = [], closeReviews = [];
        IReadOnlyList<Tombstone> tombstones = [];
        IReadOnlyList<ReviewFlag> openReviews = [];
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("put_nodes"u8)) putNodes = JsonRead.Objects(ref reader, ElementJson.ReadNode);
            else if (reader.ValueTextEquals("put_edges"u8)) putEdges = JsonRead.Objects(ref reader, ElementJson.ReadEdge);
            else if (reader.ValueTextEquals("remove_nodes"u8)) removeNodes = JsonRead.Strings(ref reader);
            else if (reader.ValueTextEquals("remove_edges"u8)) removeEdges = JsonRead.Strings(ref reader);
            else if (reader.ValueTextEquals("tombstones"u8)) tombstones = JsonRead.Objects(ref reader, ReadTombstone);
            else if (reader.ValueTextEquals("open_reviews"u8)) openReviews = JsonRead.Objects(ref reader, ReadReview);
            else if (reader.ValueTextEquals("close_reviews"u8)) closeReviews = JsonRead.Strings(ref reader);
            else JsonRead.SkipValue(ref reader);
        }

        return new GraphChanges
        {
            PutNodes = putNodes,
            PutEdges = putEdges,
            RemoveNodes = removeNodes,
            RemoveEdges = removeEdges,
            Tombstones = tombstones,
            OpenReviews = openReviews,
            CloseReviews = closeReviews,
        };
    }

    private static void WriteTombstones(Utf8JsonWriter writer, IReadOnlyList<Tombstone> tombstones)
    {
        writer.WriteStartArray("tombstones");
        foreach (var tombstone in tombstones)
        {
            WriteTombstone(writer, tombstone);
        }

        writer.WriteEndArray();
    }

    /// <summary>One tombstone as an object (in records and snapshots).</summary>
    public static void WriteTombstone(Utf8JsonWriter writer, Tombstone tombstone)
    {
        writer.WriteStartObject();
        writer.WriteString("id", tombstone.Id);
        writer.WriteString("kind", tombstone.Kind);
        writer.WriteString("at", tombstone.At);
        writer.WriteString("reason", tombstone.Reason);
        writer.WriteString("operation", tombstone.Operation);
        writer.WriteEndObject();
    }

    /// <summary>One tombstone, every property required.</summary>
    public static Tombstone ReadTombstone(ref Utf8JsonReader reader)
    {
        string? id = null, kind = null, at = null, reason = null, operation = null;
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("id"u8)) id = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("kind"u8)) kind = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("at"u8)) at = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("reason"u8)) reason = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("operation"u8)) operation = JsonRead.String(ref reader);
            else JsonRead.SkipValue(ref reader);
        }

        return new Tombstone(ElementJson.Required(id, "tombstone", "id"), ElementJson.Required(kind, "tombstone", "kind"), ElementJson.Required(at, "tombstone", "at"), ElementJson.Required(reason, "tombstone", "reason"), ElementJson.Required(operation, "tombstone", "operation"));
    }

    private static void WriteReviews(Utf8JsonWriter writer, string name, IReadOnlyList<ReviewFlag> reviews)
    {
        writer.WriteStartArray(name);
        foreach (var review in reviews)
        {
            WriteReview(writer, review);
        }

        writer.WriteEndArray();
    }

    /// <summary>One review flag as an object (in records and snapshots).</summary>
    public static void WriteReview(Utf8JsonWriter writer, ReviewFlag review)
    {
        writer.WriteStartObject();
        writer.WriteString("node", review.Node);
        writer.WriteString("reason", review.Reason);
        writer.WriteString("cause", review.Cause);
        writer.WriteEndObject();
    }

    /// <summary>One review flag, every property required.</summary>
    public static ReviewFlag ReadReview(ref Utf8JsonReader reader)
    {
        string? node = null, reason = null, cause = null;
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("node"u8)) node = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("reason"u8)) reason = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("cause"u8)) cause = JsonRead.String(ref reader);
            else JsonRead.SkipValue(ref reader);
        }

        return new ReviewFlag(ElementJson.Required(node, "review", "node"), ElementJson.Required(reason, "review", "reason"), ElementJson.Required(cause, "review", "cause"));
    }
}

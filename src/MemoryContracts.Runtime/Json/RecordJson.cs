using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using MemoryContracts.Model;
using MemoryContracts.Runtime.Storage;

namespace MemoryContracts.Runtime.Json;

/// <summary>
/// The workspace's own formats: log records and audit records (one JSON object per line), snapshots and graph
/// headers (indented files). Each carries a <c>format</c> that is checked on reading.
/// </summary>
internal static class RecordJson
{
    public const string AuditFormat = "markitect.memory.audit.v1";
    public const string SnapshotFormat = "markitect.memory.snapshot.v1";
    public const string HeaderFormat = "markitect.memory.graph-header.v1";

    private static ReadOnlySpan<byte> RecordFormat => "markitect.memory.record.v1"u8;

    /// <summary>Line files: compact. Files a person opens: indented. Non-ASCII text stays readable.</summary>
    public static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static readonly JsonWriterOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true, SkipValidation = true };

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

    public static void WriteAudit(IBufferWriter<byte> output, AuditRecord record)
    {
        using var writer = new Utf8JsonWriter(output, Compact);
        writer.WriteStartObject();
        writer.WriteString("format", AuditFormat);
        writer.WriteString("operation", record.Operation);
        writer.WriteString("at", record.At);
        writer.WriteString("actor", record.Actor);
        writer.WriteString("action", record.Action);
        writer.WriteString("decision", record.Decision == AuditDecision.Granted ? "granted" : "denied");
        ElementJson.WriteOptional(writer, "graph", record.Graph);
        writer.WriteStartArray("affected");
        foreach (var id in record.Affected)
        {
            writer.WriteStringValue(id);
        }

        writer.WriteEndArray();
        ElementJson.WriteOptional(writer, "reason", record.Reason);
        if (record.Approval is { } approval)
        {
            writer.WriteStartObject("approval");
            writer.WriteString("by", approval.By);
            writer.WriteString("at", approval.At);
            writer.WriteString("reason", approval.Reason);
            ElementJson.WriteOptional(writer, "plan", approval.Plan);
            ElementJson.WriteOptional(writer, "signature", approval.Signature);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    public static AuditRecord ReadAudit(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        JsonRead.StartObject(ref reader);
        string? operation = null, at = null, actor = null, action = null, decision = null, graph = null, reason = null;
        IReadOnlyList<string> affected = [];
        Approval? approval = null;
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("format"u8)) CheckFormat(JsonRead.String(ref reader), AuditFormat);
            else if (reader.ValueTextEquals("operation"u8)) operation = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("at"u8)) at = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("actor"u8)) actor = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("action"u8)) action = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("decision"u8)) decision = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("graph"u8)) graph = JsonRead.OptionalString(ref reader);
            else if (reader.ValueTextEquals("affected"u8)) affected = JsonRead.Strings(ref reader);
            else if (reader.ValueTextEquals("reason"u8)) reason = JsonRead.OptionalString(ref reader);
            else if (reader.ValueTextEquals("approval"u8)) approval = ReadApproval(ref reader);
            else JsonRead.SkipValue(ref reader);
        }

        var granted = decision switch
        {
            "granted" => AuditDecision.Granted,
            "denied" => AuditDecision.Denied,
            _ => throw new JsonException($"decision '{decision}' is neither 'granted' nor 'denied'"),
        };
        return new AuditRecord(ElementJson.Required(operation, "audit record", "operation"), ElementJson.Required(at, "audit record", "at"), ElementJson.Required(actor, "audit record", "actor"), ElementJson.Required(action, "audit record", "action"), granted, graph, affected)
        {
            Reason = reason,
            Approval = approval,
        };
    }

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

    public static byte[] WithNewline(ArrayBufferWriter<byte> output)
    {
        var bytes = new byte[output.WrittenCount + 1];
        output.WrittenSpan.CopyTo(bytes);
        bytes[^1] = (byte)'\n';
        return bytes;
    }

    private static string CheckFormat(string found, string expected) =>
        found == expected ? found : throw new UnknownFormatException(found, expected);

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
            writer.WriteStartObject();
            writer.WriteString("id", tombstone.Id);
            writer.WriteString("kind", tombstone.Kind);
            writer.WriteString("at", tombstone.At);
            writer.WriteString("reason", tombstone.Reason);
            writer.WriteString("operation", tombstone.Operation);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static Tombstone ReadTombstone(ref Utf8JsonReader reader)
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
            writer.WriteStartObject();
            writer.WriteString("node", review.Node);
            writer.WriteString("reason", review.Reason);
            writer.WriteString("cause", review.Cause);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static ReviewFlag ReadReview(ref Utf8JsonReader reader)
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

    private static Approval ReadApproval(ref Utf8JsonReader reader)
    {
        JsonRead.StartObject(ref reader);
        string? by = null, at = null, reason = null, plan = null, signature = null;
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("by"u8)) by = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("at"u8)) at = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("reason"u8)) reason = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("plan"u8)) plan = JsonRead.OptionalString(ref reader);
            else if (reader.ValueTextEquals("signature"u8)) signature = JsonRead.OptionalString(ref reader);
            else JsonRead.SkipValue(ref reader);
        }

        return new Approval(ElementJson.Required(by, "approval", "by"), ElementJson.Required(at, "approval", "at"), ElementJson.Required(reason, "approval", "reason")) { Plan = plan, Signature = signature };
    }
}

/// <summary>A stored file or line names a format this version does not read.</summary>
internal sealed class UnknownFormatException(string found, string expected) : JsonException($"the format is '{found}'; expected '{expected}'")
{
    public string Found { get; } = found;

    public string Expected { get; } = expected;
}

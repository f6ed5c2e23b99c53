using System.Globalization;
using System.Text;
using System.Text.Json;
using MemoryContracts.Documents;
using MemoryContracts.Model;

namespace MemoryContracts.Model.Wire;

/// <summary>
/// Nodes, edges and events in their <c>markitect.memory.graph.v1</c> shape, written in the schema's property order
/// (absent values left out) and read back. The same bytes come out for the same element, every time. This is the one
/// writer and reader of the element shape: the runtime's records, snapshots and exports, the MCP server's answers and
/// the parts of a context package item (source, provenance, policy, freshness) all go through it; fixtures are read by
/// the contract loader (<see cref="ModelReader"/>), which the round-trip tests compare everything against.
/// </summary>
internal static class ElementJson
{
    public static void WriteNode(Utf8JsonWriter writer, GraphNode node)
    {
        writer.WriteStartObject();
        writer.WriteString("id", node.Id);
        writer.WriteString("kind", node.Kind);
        writer.WriteString("title", node.Title);
        WriteOptional(writer, "text", node.Text);
        if (node.Source is { } source)
        {
            writer.WritePropertyName("source");
            WriteSpan(writer, source);
        }

        if (node.Provenance is { } provenance)
        {
            writer.WritePropertyName("provenance");
            WriteProvenance(writer, provenance);
        }

        if (node.Policy is { } policy)
        {
            writer.WritePropertyName("policy");
            WritePolicy(writer, policy);
        }

        if (node.Lifecycle is { } lifecycle)
        {
            writer.WritePropertyName("lifecycle");
            WriteLifecycle(writer, lifecycle);
        }

        WriteAttributes(writer, node.Attributes);
        writer.WriteEndObject();
    }

    public static void WriteEdge(Utf8JsonWriter writer, GraphEdge edge)
    {
        writer.WriteStartObject();
        writer.WriteString("id", edge.Id);
        writer.WriteString("kind", edge.Kind);
        writer.WriteString("source", edge.Source);
        writer.WriteString("target", edge.Target);
        WriteOptional(writer, "text", edge.Text);
        if (edge.Provenance is { } provenance)
        {
            writer.WritePropertyName("provenance");
            WriteProvenance(writer, provenance);
        }

        WriteAttributes(writer, edge.Attributes);
        writer.WriteEndObject();
    }

    public static void WriteEvent(Utf8JsonWriter writer, GraphEvent graphEvent)
    {
        writer.WriteStartObject();
        writer.WriteString("id", graphEvent.Id);
        writer.WriteString("kind", graphEvent.Kind);
        writer.WriteString("at", graphEvent.At);
        WriteOptional(writer, "actor", graphEvent.Actor);
        WriteOptional(writer, "path", graphEvent.Path);
        WriteOptional(writer, "summary", graphEvent.Summary);
        WriteStrings(writer, "nodes", graphEvent.Nodes);
        WriteStrings(writer, "edges", graphEvent.Edges);
        WriteAttributes(writer, graphEvent.Attributes);
        writer.WriteEndObject();
    }

    public static GraphNode ReadNode(ref Utf8JsonReader reader)
    {
        string? id = null, kind = null, title = null, text = null;
        SourceSpan? source = null;
        Provenance? provenance = null;
        MemoryPolicy? policy = null;
        MemoryLifecycle? lifecycle = null;
        IReadOnlyList<KeyValuePair<string, AttributeValue>> attributes = [];
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("id"u8)) id = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("kind"u8)) kind = JsonRead.Token(ref reader);
            else if (reader.ValueTextEquals("title"u8)) title = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("text"u8)) text = JsonRead.OptionalString(ref reader);
            else if (reader.ValueTextEquals("source"u8)) source = ReadSpan(ref reader);
            else if (reader.ValueTextEquals("provenance"u8)) provenance = ReadProvenance(ref reader);
            else if (reader.ValueTextEquals("policy"u8)) policy = ReadPolicy(ref reader);
            else if (reader.ValueTextEquals("lifecycle"u8)) lifecycle = ReadLifecycle(ref reader);
            else if (reader.ValueTextEquals("attributes"u8)) attributes = ReadAttributes(ref reader);
            else JsonRead.SkipValue(ref reader);
        }

        return new GraphNode(Required(id, "node", "id"), Required(kind, "node", "kind"), Required(title, "node", "title"))
        {
            Text = text,
            Source = source,
            Provenance = provenance,
            Policy = policy,
            Lifecycle = lifecycle,
            Attributes = attributes,
        };
    }

    public static GraphEdge ReadEdge(ref Utf8JsonReader reader)
    {
        string? id = null, kind = null, source = null, target = null, text = null;
        Provenance? provenance = null;
        IReadOnlyList<KeyValuePair<string, AttributeValue>> attributes = [];
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("id"u8)) id = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("kind"u8)) kind = JsonRead.Token(ref reader);
            else if (reader.ValueTextEquals("source"u8)) source = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("target"u8)) target = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("text"u8)) text = JsonRead.OptionalString(ref reader);
            else if (reader.ValueTextEquals("provenance"u8)) provenance = ReadProvenance(ref reader);
            else if (reader.ValueTextEquals("attributes"u8)) attributes = ReadAttributes(ref reader);
            else JsonRead.SkipValue(ref reader);
        }

        return new GraphEdge(Required(id, "edge", "id"), Required(kind, "edge", "kind"), Required(source, "edge", "source"), Required(target, "edge", "target"))
        {
            Text = text,
            Provenance = provenance,
            Attributes = attributes,
        };
    }

    public static GraphEvent ReadEvent(ref Utf8JsonReader reader)
    {
        string? id = null, kind = null, at = null, actor = null, path = null, summary = null;
        IReadOnlyList<string> nodes = [], edges = [];
        IReadOnlyList<KeyValuePair<string, AttributeValue>> attributes = [];
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("id"u8)) id = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("kind"u8)) kind = JsonRead.Token(ref reader);
            else if (reader.ValueTextEquals("at"u8)) at = JsonRead.Token(ref reader);
            else if (reader.ValueTextEquals("actor"u8)) actor = JsonRead.OptionalString(ref reader);
            else if (reader.ValueTextEquals("path"u8)) path = JsonRead.OptionalString(ref reader);
            else if (reader.ValueTextEquals("summary"u8)) summary = JsonRead.OptionalString(ref reader);
            else if (reader.ValueTextEquals("nodes"u8)) nodes = JsonRead.Strings(ref reader);
            else if (reader.ValueTextEquals("edges"u8)) edges = JsonRead.Strings(ref reader);
            else if (reader.ValueTextEquals("attributes"u8)) attributes = ReadAttributes(ref reader);
            else JsonRead.SkipValue(ref reader);
        }

        return new GraphEvent(Required(id, "event", "id"), Required(kind, "event", "kind"), Required(at, "event", "at"))
        {
            Actor = actor,
            Path = path,
            Summary = summary,
            Nodes = nodes,
            Edges = edges,
            Attributes = attributes,
        };
    }

    public static string Required(string? value, string owner, string name) =>
        value ?? throw new JsonException($"the {owner} has no '{name}'");

    public static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    public static void WriteOptional(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }

    /// <summary>Writes a list of strings, or nothing when it is empty.</summary>
    public static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    /// <summary>A source span as a JSON object (the value of a node's <c>source</c>, a package item's <c>source</c> and <c>origin</c>).</summary>
    public static void WriteSpan(Utf8JsonWriter writer, SourceSpan span)
    {
        writer.WriteStartObject();
        writer.WriteString("path", span.Path);
        WriteOptional(writer, "start_line", span.StartLine);
        WriteOptional(writer, "end_line", span.EndLine);
        WriteOptional(writer, "start_column", span.StartColumn);
        WriteOptional(writer, "end_column", span.EndColumn);
        writer.WriteEndObject();
    }

    /// <summary>Policy metadata as a JSON object.</summary>
    public static void WritePolicy(Utf8JsonWriter writer, MemoryPolicy policy)
    {
        writer.WriteStartObject();
        WriteStrings(writer, "labels", policy.Labels);
        WriteOptional(writer, "trust_zone", policy.TrustZone);
        WriteOptional(writer, "reauthorize", policy.Reauthorize);
        if (policy.External.Count > 0)
        {
            writer.WriteStartArray("external");
            foreach (var reference in policy.External)
            {
                writer.WriteStartObject();
                WriteOptional(writer, "decision_id", reference.DecisionId);
                WriteOptional(writer, "policy_version", reference.PolicyVersion);
                WriteOptional(writer, "issuer", reference.Issuer);
                WriteOptional(writer, "resource_id", reference.ResourceId);
                WriteOptional(writer, "decided_at", reference.DecidedAt);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>A lifecycle as a JSON object (a node's <c>lifecycle</c>, a package item's <c>freshness</c>).</summary>
    public static void WriteLifecycle(Utf8JsonWriter writer, MemoryLifecycle lifecycle)
    {
        writer.WriteStartObject();
        WriteOptional(writer, "state", lifecycle.State);
        WriteOptional(writer, "created_at", lifecycle.CreatedAt);
        WriteOptional(writer, "updated_at", lifecycle.UpdatedAt);
        WriteOptional(writer, "reviewed_at", lifecycle.ReviewedAt);
        WriteOptional(writer, "stale_after_days", lifecycle.StaleAfterDays);
        writer.WriteEndObject();
    }

    /// <summary>Provenance as a JSON object.</summary>
    public static void WriteProvenance(Utf8JsonWriter writer, Provenance provenance)
    {
        writer.WriteStartObject();
        WriteOptional(writer, "author", provenance.Author);
        WriteOptional(writer, "method", provenance.Method);
        WriteOptional(writer, "recorded_at", provenance.RecordedAt);
        WriteStrings(writer, "derived_from", provenance.DerivedFrom);
        if (provenance.Confidence is { } confidence)
        {
            writer.WriteNumber("confidence", confidence);
        }

        writer.WriteEndObject();
    }

    private static void WriteAttributes(Utf8JsonWriter writer, IReadOnlyList<KeyValuePair<string, AttributeValue>> attributes)
    {
        if (attributes.Count == 0)
        {
            return;
        }

        writer.WriteStartObject("attributes");
        foreach (var (name, value) in attributes)
        {
            writer.WritePropertyName(name);
            switch (value.Kind)
            {
                // Numbers are written as their JSON spelling, digit for digit (a big integer, a long decimal, -0).
                case DocumentValueKind.Integer or DocumentValueKind.Float when NumberText.ToJson(value.Text) is { } json:
                    writer.WriteRawValue(json, skipInputValidation: false);
                    break;
                case DocumentValueKind.Boolean:
                    writer.WriteBooleanValue(value.Text == "true");
                    break;
                default:
                    writer.WriteStringValue(value.Text);
                    break;
            }
        }

        writer.WriteEndObject();
    }

    private static SourceSpan ReadSpan(ref Utf8JsonReader reader)
    {
        JsonRead.StartObject(ref reader);
        string? path = null;
        int? startLine = null, endLine = null, startColumn = null, endColumn = null;
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("path"u8)) path = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("start_line"u8)) startLine = JsonRead.Int32(ref reader);
            else if (reader.ValueTextEquals("end_line"u8)) endLine = JsonRead.Int32(ref reader);
            else if (reader.ValueTextEquals("start_column"u8)) startColumn = JsonRead.Int32(ref reader);
            else if (reader.ValueTextEquals("end_column"u8)) endColumn = JsonRead.Int32(ref reader);
            else JsonRead.SkipValue(ref reader);
        }

        return new SourceSpan(Required(path, "source", "path"), startLine, endLine, startColumn, endColumn);
    }

    private static Provenance ReadProvenance(ref Utf8JsonReader reader)
    {
        JsonRead.StartObject(ref reader);
        var provenance = new Provenance();
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("author"u8)) provenance = provenance with { Author = JsonRead.OptionalString(ref reader) };
            else if (reader.ValueTextEquals("method"u8)) provenance = provenance with { Method = JsonRead.Token(ref reader) };
            else if (reader.ValueTextEquals("recorded_at"u8)) provenance = provenance with { RecordedAt = JsonRead.OptionalString(ref reader) };
            else if (reader.ValueTextEquals("derived_from"u8)) provenance = provenance with { DerivedFrom = JsonRead.Strings(ref reader) };
            else if (reader.ValueTextEquals("confidence"u8)) provenance = provenance with { Confidence = JsonRead.Double(ref reader) };
            else JsonRead.SkipValue(ref reader);
        }

        return provenance;
    }

    private static MemoryPolicy ReadPolicy(ref Utf8JsonReader reader)
    {
        JsonRead.StartObject(ref reader);
        var policy = new MemoryPolicy();
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("labels"u8)) policy = policy with { Labels = JsonRead.Strings(ref reader) };
            else if (reader.ValueTextEquals("trust_zone"u8)) policy = policy with { TrustZone = JsonRead.Token(ref reader) };
            else if (reader.ValueTextEquals("reauthorize"u8)) policy = policy with { Reauthorize = JsonRead.OptionalString(ref reader) };
            else if (reader.ValueTextEquals("external"u8)) policy = policy with { External = JsonRead.Objects(ref reader, ReadExternal) };
            else JsonRead.SkipValue(ref reader);
        }

        return policy;
    }

    private static ExternalPolicyReference ReadExternal(ref Utf8JsonReader reader)
    {
        var reference = new ExternalPolicyReference();
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("decision_id"u8)) reference = reference with { DecisionId = JsonRead.OptionalString(ref reader) };
            else if (reader.ValueTextEquals("policy_version"u8)) reference = reference with { PolicyVersion = JsonRead.OptionalString(ref reader) };
            else if (reader.ValueTextEquals("issuer"u8)) reference = reference with { Issuer = JsonRead.OptionalString(ref reader) };
            else if (reader.ValueTextEquals("resource_id"u8)) reference = reference with { ResourceId = JsonRead.OptionalString(ref reader) };
            else if (reader.ValueTextEquals("decided_at"u8)) reference = reference with { DecidedAt = JsonRead.OptionalString(ref reader) };
            else JsonRead.SkipValue(ref reader);
        }

        return reference;
    }

    private static MemoryLifecycle ReadLifecycle(ref Utf8JsonReader reader)
    {
        JsonRead.StartObject(ref reader);
        var lifecycle = new MemoryLifecycle();
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("state"u8)) lifecycle = lifecycle with { State = JsonRead.Token(ref reader) };
            else if (reader.ValueTextEquals("created_at"u8)) lifecycle = lifecycle with { CreatedAt = JsonRead.OptionalString(ref reader) };
            else if (reader.ValueTextEquals("updated_at"u8)) lifecycle = lifecycle with { UpdatedAt = JsonRead.OptionalString(ref reader) };
            else if (reader.ValueTextEquals("reviewed_at"u8)) lifecycle = lifecycle with { ReviewedAt = JsonRead.OptionalString(ref reader) };
            else if (reader.ValueTextEquals("stale_after_days"u8)) lifecycle = lifecycle with { StaleAfterDays = JsonRead.Int32(ref reader) };
            else JsonRead.SkipValue(ref reader);
        }

        return lifecycle;
    }

    private static KeyValuePair<string, AttributeValue>[] ReadAttributes(ref Utf8JsonReader reader)
    {
        JsonRead.StartObject(ref reader);
        var attributes = new List<KeyValuePair<string, AttributeValue>>();
        while (JsonRead.NextProperty(ref reader))
        {
            var name = JsonRead.Text(ref reader);
            JsonRead.Next(ref reader);
            var value = reader.TokenType switch
            {
                JsonTokenType.String => new AttributeValue(DocumentValueKind.String, JsonRead.Text(ref reader)),
                JsonTokenType.True => new AttributeValue(DocumentValueKind.Boolean, "true"),
                JsonTokenType.False => new AttributeValue(DocumentValueKind.Boolean, "false"),
                JsonTokenType.Number => AttributeValue.Number(Encoding.UTF8.GetString(reader.ValueSpan)),
                _ => throw new JsonException($"attribute '{name}' must be a string, number or boolean"),
            };
            attributes.Add(new KeyValuePair<string, AttributeValue>(name, value));
        }

        return attributes.ToArray();
    }
}

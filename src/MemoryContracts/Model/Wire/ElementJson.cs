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
    public static void WriteNode(Utf8JsonWriter writer, GraphNode node) => WriteNode(new JsonWire(writer), node);

    public static void WriteNode<TWriter>(TWriter writer, GraphNode node)
        where TWriter : IWireWriter
    {
        writer.WriteStartObject();
        writer.WriteString(NodeFields.Id, node.Id);
        writer.WriteString(NodeFields.Kind, node.Kind);
        writer.WriteString(NodeFields.Title, node.Title);
        WriteOptional(writer, NodeFields.Text, node.Text);
        if (node.Source is { } source)
        {
            writer.WritePropertyName(NodeFields.Source);
            WriteSpan(writer, source);
        }

        if (node.Provenance is { } provenance)
        {
            writer.WritePropertyName(NodeFields.Provenance);
            WriteProvenance(writer, provenance);
        }

        if (node.Policy is { } policy)
        {
            writer.WritePropertyName(NodeFields.Policy);
            WritePolicy(writer, policy);
        }

        if (node.Lifecycle is { } lifecycle)
        {
            writer.WritePropertyName(NodeFields.Lifecycle);
            WriteLifecycle(writer, lifecycle);
        }

        WriteAttributes(writer, NodeFields.Attributes, node.Attributes);
        writer.WriteEndObject();
    }

    public static void WriteEdge(Utf8JsonWriter writer, GraphEdge edge) => WriteEdge(new JsonWire(writer), edge);

    public static void WriteEdge<TWriter>(TWriter writer, GraphEdge edge)
        where TWriter : IWireWriter
    {
        writer.WriteStartObject();
        writer.WriteString(EdgeFields.Id, edge.Id);
        writer.WriteString(EdgeFields.Kind, edge.Kind);
        writer.WriteString(EdgeFields.Source, edge.Source);
        writer.WriteString(EdgeFields.Target, edge.Target);
        WriteOptional(writer, EdgeFields.Text, edge.Text);
        if (edge.Provenance is { } provenance)
        {
            writer.WritePropertyName(EdgeFields.Provenance);
            WriteProvenance(writer, provenance);
        }

        WriteAttributes(writer, EdgeFields.Attributes, edge.Attributes);
        writer.WriteEndObject();
    }

    public static void WriteEvent(Utf8JsonWriter writer, GraphEvent graphEvent) => WriteEvent(new JsonWire(writer), graphEvent);

    public static void WriteEvent<TWriter>(TWriter writer, GraphEvent graphEvent)
        where TWriter : IWireWriter
    {
        writer.WriteStartObject();
        writer.WriteString(EventFields.Id, graphEvent.Id);
        writer.WriteString(EventFields.Kind, graphEvent.Kind);
        writer.WriteString(EventFields.At, graphEvent.At);
        WriteOptional(writer, EventFields.Actor, graphEvent.Actor);
        WriteOptional(writer, EventFields.Path, graphEvent.Path);
        WriteOptional(writer, EventFields.Summary, graphEvent.Summary);
        WriteStrings(writer, EventFields.Nodes, graphEvent.Nodes);
        WriteStrings(writer, EventFields.Edges, graphEvent.Edges);
        WriteAttributes(writer, EventFields.Attributes, graphEvent.Attributes);
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
            if (reader.ValueTextEquals(NodeFields.Utf8.Id)) id = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals(NodeFields.Utf8.Kind)) kind = JsonRead.Token(ref reader);
            else if (reader.ValueTextEquals(NodeFields.Utf8.Title)) title = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals(NodeFields.Utf8.Text)) text = JsonRead.OptionalString(ref reader);
            else if (reader.ValueTextEquals(NodeFields.Utf8.Source)) source = ReadSpan(ref reader);
            else if (reader.ValueTextEquals(NodeFields.Utf8.Provenance)) provenance = ReadProvenance(ref reader);
            else if (reader.ValueTextEquals(NodeFields.Utf8.Policy)) policy = ReadPolicy(ref reader);
            else if (reader.ValueTextEquals(NodeFields.Utf8.Lifecycle)) lifecycle = ReadLifecycle(ref reader);
            else if (reader.ValueTextEquals(NodeFields.Utf8.Attributes)) attributes = ReadAttributes(ref reader);
            else JsonRead.SkipValue(ref reader);
        }

        return new GraphNode(Required(id, "node", NodeFields.Id), Required(kind, "node", NodeFields.Kind), Required(title, "node", NodeFields.Title))
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
            if (reader.ValueTextEquals(EdgeFields.Utf8.Id)) id = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals(EdgeFields.Utf8.Kind)) kind = JsonRead.Token(ref reader);
            else if (reader.ValueTextEquals(EdgeFields.Utf8.Source)) source = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals(EdgeFields.Utf8.Target)) target = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals(EdgeFields.Utf8.Text)) text = JsonRead.OptionalString(ref reader);
            else if (reader.ValueTextEquals(EdgeFields.Utf8.Provenance)) provenance = ReadProvenance(ref reader);
            else if (reader.ValueTextEquals(EdgeFields.Utf8.Attributes)) attributes = ReadAttributes(ref reader);
            else JsonRead.SkipValue(ref reader);
        }

        return new GraphEdge(Required(id, "edge", EdgeFields.Id), Required(kind, "edge", EdgeFields.Kind), Required(source, "edge", EdgeFields.Source), Required(target, "edge", EdgeFields.Target))
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
            if (reader.ValueTextEquals(EventFields.Utf8.Id)) id = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals(EventFields.Utf8.Kind)) kind = JsonRead.Token(ref reader);
            else if (reader.ValueTextEquals(EventFields.Utf8.At)) at = JsonRead.Token(ref reader);
            else if (reader.ValueTextEquals(EventFields.Utf8.Actor)) actor = JsonRead.OptionalString(ref reader);
            else if (reader.ValueTextEquals(EventFields.Utf8.Path)) path = JsonRead.OptionalString(ref reader);
            else if (reader.ValueTextEquals(EventFields.Utf8.Summary)) summary = JsonRead.OptionalString(ref reader);
            else if (reader.ValueTextEquals(EventFields.Utf8.Nodes)) nodes = JsonRead.Strings(ref reader);
            else if (reader.ValueTextEquals(EventFields.Utf8.Edges)) edges = JsonRead.Strings(ref reader);
            else if (reader.ValueTextEquals(EventFields.Utf8.Attributes)) attributes = ReadAttributes(ref reader);
            else JsonRead.SkipValue(ref reader);
        }

        return new GraphEvent(Required(id, "event", EventFields.Id), Required(kind, "event", EventFields.Kind), Required(at, "event", EventFields.At))
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

    public static void WriteOptional(Utf8JsonWriter writer, string name, string? value) => WriteOptional(new JsonWire(writer), name, value);

    public static void WriteOptional<TWriter>(TWriter writer, string name, string? value)
        where TWriter : IWireWriter
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    public static void WriteOptional(Utf8JsonWriter writer, string name, int? value) => WriteOptional(new JsonWire(writer), name, value);

    public static void WriteOptional<TWriter>(TWriter writer, string name, int? value)
        where TWriter : IWireWriter
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }

    /// <summary>Writes a list of strings, or nothing when it is empty.</summary>
    public static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values) => WriteStrings(new JsonWire(writer), name, values);

    public static void WriteStrings<TWriter>(TWriter writer, string name, IReadOnlyList<string> values)
        where TWriter : IWireWriter
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
    public static void WriteSpan(Utf8JsonWriter writer, SourceSpan span) => WriteSpan(new JsonWire(writer), span);

    public static void WriteSpan<TWriter>(TWriter writer, SourceSpan span)
        where TWriter : IWireWriter
    {
        writer.WriteStartObject();
        writer.WriteString(SourceSpanFields.Path, span.Path);
        WriteOptional(writer, SourceSpanFields.StartLine, span.StartLine);
        WriteOptional(writer, SourceSpanFields.EndLine, span.EndLine);
        WriteOptional(writer, SourceSpanFields.StartColumn, span.StartColumn);
        WriteOptional(writer, SourceSpanFields.EndColumn, span.EndColumn);
        writer.WriteEndObject();
    }

    /// <summary>Policy metadata as a JSON object.</summary>
    public static void WritePolicy(Utf8JsonWriter writer, MemoryPolicy policy) => WritePolicy(new JsonWire(writer), policy);

    public static void WritePolicy<TWriter>(TWriter writer, MemoryPolicy policy)
        where TWriter : IWireWriter
    {
        writer.WriteStartObject();
        WriteStrings(writer, PolicyFields.Labels, policy.Labels);
        WriteOptional(writer, PolicyFields.TrustZone, policy.TrustZone);
        WriteOptional(writer, PolicyFields.Reauthorize, policy.Reauthorize);
        if (policy.External.Count > 0)
        {
            writer.WriteStartArray(PolicyFields.External);
            foreach (var reference in policy.External)
            {
                writer.WriteStartObject();
                WriteOptional(writer, ExternalPolicyFields.DecisionId, reference.DecisionId);
                WriteOptional(writer, ExternalPolicyFields.PolicyVersion, reference.PolicyVersion);
                WriteOptional(writer, ExternalPolicyFields.Issuer, reference.Issuer);
                WriteOptional(writer, ExternalPolicyFields.ResourceId, reference.ResourceId);
                WriteOptional(writer, ExternalPolicyFields.DecidedAt, reference.DecidedAt);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>A lifecycle as a JSON object (a node's <c>lifecycle</c>, a package item's <c>freshness</c>).</summary>
    public static void WriteLifecycle(Utf8JsonWriter writer, MemoryLifecycle lifecycle) => WriteLifecycle(new JsonWire(writer), lifecycle);

    public static void WriteLifecycle<TWriter>(TWriter writer, MemoryLifecycle lifecycle)
        where TWriter : IWireWriter
    {
        writer.WriteStartObject();
        WriteOptional(writer, LifecycleFields.State, lifecycle.State);
        WriteOptional(writer, LifecycleFields.CreatedAt, lifecycle.CreatedAt);
        WriteOptional(writer, LifecycleFields.UpdatedAt, lifecycle.UpdatedAt);
        WriteOptional(writer, LifecycleFields.ReviewedAt, lifecycle.ReviewedAt);
        WriteOptional(writer, LifecycleFields.StaleAfterDays, lifecycle.StaleAfterDays);
        writer.WriteEndObject();
    }

    /// <summary>Provenance as a JSON object.</summary>
    public static void WriteProvenance(Utf8JsonWriter writer, Provenance provenance) => WriteProvenance(new JsonWire(writer), provenance);

    public static void WriteProvenance<TWriter>(TWriter writer, Provenance provenance)
        where TWriter : IWireWriter
    {
        writer.WriteStartObject();
        WriteOptional(writer, ProvenanceFields.Author, provenance.Author);
        WriteOptional(writer, ProvenanceFields.Method, provenance.Method);
        WriteOptional(writer, ProvenanceFields.RecordedAt, provenance.RecordedAt);
        WriteStrings(writer, ProvenanceFields.DerivedFrom, provenance.DerivedFrom);
        if (provenance.Confidence is { } confidence)
        {
            writer.WriteNumber(ProvenanceFields.Confidence, confidence);
        }

        writer.WriteEndObject();
    }

    private static void WriteAttributes<TWriter>(TWriter writer, string name, IReadOnlyList<KeyValuePair<string, AttributeValue>> attributes)
        where TWriter : IWireWriter
    {
        if (attributes.Count == 0)
        {
            return;
        }

        writer.WriteStartObject(name);
        foreach (var (attribute, value) in attributes)
        {
            writer.WritePropertyName(attribute);
            switch (value.Kind)
            {
                // Numbers are written as their JSON spelling, digit for digit (a big integer, a long decimal, -0).
                case DocumentValueKind.Integer or DocumentValueKind.Float when NumberText.ToJson(value.Text) is { } json:
                    writer.WriteNumberValue(json);
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
            if (reader.ValueTextEquals(SourceSpanFields.Utf8.Path)) path = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals(SourceSpanFields.Utf8.StartLine)) startLine = JsonRead.Int32(ref reader);
            else if (reader.ValueTextEquals(SourceSpanFields.Utf8.EndLine)) endLine = JsonRead.Int32(ref reader);
            else if (reader.ValueTextEquals(SourceSpanFields.Utf8.StartColumn)) startColumn = JsonRead.Int32(ref reader);
            else if (reader.ValueTextEquals(SourceSpanFields.Utf8.EndColumn)) endColumn = JsonRead.Int32(ref reader);
            else JsonRead.SkipValue(ref reader);
        }

        return new SourceSpan(Required(path, "source", SourceSpanFields.Path), startLine, endLine, startColumn, endColumn);
    }

    private static Provenance ReadProvenance(ref Utf8JsonReader reader)
    {
        JsonRead.StartObject(ref reader);
        var provenance = new Provenance();
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals(ProvenanceFields.Utf8.Author)) provenance = provenance with { Author = JsonRead.OptionalString(ref reader) };
            else if (reader.ValueTextEquals(ProvenanceFields.Utf8.Method)) provenance = provenance with { Method = JsonRead.Token(ref reader) };
            else if (reader.ValueTextEquals(ProvenanceFields.Utf8.RecordedAt)) provenance = provenance with { RecordedAt = JsonRead.OptionalString(ref reader) };
            else if (reader.ValueTextEquals(ProvenanceFields.Utf8.DerivedFrom)) provenance = provenance with { DerivedFrom = JsonRead.Strings(ref reader) };
            else if (reader.ValueTextEquals(ProvenanceFields.Utf8.Confidence)) provenance = provenance with { Confidence = JsonRead.Double(ref reader) };
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
            if (reader.ValueTextEquals(PolicyFields.Utf8.Labels)) policy = policy with { Labels = JsonRead.Strings(ref reader) };
            else if (reader.ValueTextEquals(PolicyFields.Utf8.TrustZone)) policy = policy with { TrustZone = JsonRead.Token(ref reader) };
            else if (reader.ValueTextEquals(PolicyFields.Utf8.Reauthorize)) policy = policy with { Reauthorize = JsonRead.OptionalString(ref reader) };
            else if (reader.ValueTextEquals(PolicyFields.Utf8.External)) policy = policy with { External = JsonRead.Objects(ref reader, ReadExternal) };
            else JsonRead.SkipValue(ref reader);
        }

        return policy;
    }

    private static ExternalPolicyReference ReadExternal(ref Utf8JsonReader reader)
    {
        var reference = new ExternalPolicyReference();
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals(ExternalPolicyFields.Utf8.DecisionId)) reference = reference with { DecisionId = JsonRead.OptionalString(ref reader) };
            else if (reader.ValueTextEquals(ExternalPolicyFields.Utf8.PolicyVersion)) reference = reference with { PolicyVersion = JsonRead.OptionalString(ref reader) };
            else if (reader.ValueTextEquals(ExternalPolicyFields.Utf8.Issuer)) reference = reference with { Issuer = JsonRead.OptionalString(ref reader) };
            else if (reader.ValueTextEquals(ExternalPolicyFields.Utf8.ResourceId)) reference = reference with { ResourceId = JsonRead.OptionalString(ref reader) };
            else if (reader.ValueTextEquals(ExternalPolicyFields.Utf8.DecidedAt)) reference = reference with { DecidedAt = JsonRead.OptionalString(ref reader) };
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
            if (reader.ValueTextEquals(LifecycleFields.Utf8.State)) lifecycle = lifecycle with { State = JsonRead.Token(ref reader) };
            else if (reader.ValueTextEquals(LifecycleFields.Utf8.CreatedAt)) lifecycle = lifecycle with { CreatedAt = JsonRead.OptionalString(ref reader) };
            else if (reader.ValueTextEquals(LifecycleFields.Utf8.UpdatedAt)) lifecycle = lifecycle with { UpdatedAt = JsonRead.OptionalString(ref reader) };
            else if (reader.ValueTextEquals(LifecycleFields.Utf8.ReviewedAt)) lifecycle = lifecycle with { ReviewedAt = JsonRead.OptionalString(ref reader) };
            else if (reader.ValueTextEquals(LifecycleFields.Utf8.StaleAfterDays)) lifecycle = lifecycle with { StaleAfterDays = JsonRead.Int32(ref reader) };
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

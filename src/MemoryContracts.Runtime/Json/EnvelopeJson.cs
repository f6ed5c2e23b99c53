using System.Buffers;
using System.Text.Json;
using MemoryContracts.Model;
using MemoryContracts.Model.Wire;
using MemoryContracts.Runtime.Storage;

namespace MemoryContracts.Runtime.Json;

/// <summary>Contract envelopes: a <c>markitect.memory.graph.v1</c> export and a stored <c>markitect.memory.profile.v1</c>.</summary>
internal static class EnvelopeJson
{
    public static byte[] WriteGraph(GraphHeader header, IEnumerable<GraphNode> nodes, IEnumerable<GraphEdge> edges, IEnumerable<GraphEvent> events)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, RecordJson.Indented))
        {
            WriteGraph(new JsonWire(writer), header, nodes, edges, events);
        }

        return RecordJson.WithNewline(output);
    }

    /// <summary>Writes a graph envelope to JSON text or straight into a document (<see cref="TapeWireWriter"/>).</summary>
    public static void WriteGraph<TWriter>(TWriter writer, GraphHeader header, IEnumerable<GraphNode> nodes, IEnumerable<GraphEdge> edges, IEnumerable<GraphEvent> events)
        where TWriter : IWireWriter
    {
        writer.WriteStartObject();
        writer.WriteString(GraphFields.SchemaVersion, SchemaVersions.GraphV1);
        writer.WriteString(GraphFields.Id, header.Id);
        ElementJson.WriteOptional(writer, GraphFields.Title, header.Title);
        ElementJson.WriteOptional(writer, GraphFields.Description, header.Description);
        writer.WriteStartArray(GraphFields.Nodes);
        foreach (var node in nodes)
        {
            ElementJson.WriteNode(writer, node);
        }

        writer.WriteEndArray();
        writer.WriteStartArray(GraphFields.Edges);
        foreach (var edge in edges)
        {
            ElementJson.WriteEdge(writer, edge);
        }

        writer.WriteEndArray();
        writer.WriteStartArray(GraphFields.Events);
        foreach (var graphEvent in events)
        {
            ElementJson.WriteEvent(writer, graphEvent);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static byte[] WriteProfile(MemoryProfile profile)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, RecordJson.Indented))
        {
            writer.WriteStartObject();
            writer.WriteString(ProfileFields.SchemaVersion, profile.SchemaVersion);
            writer.WriteString(ProfileFields.Id, profile.Id);
            ElementJson.WriteOptional(writer, ProfileFields.Title, profile.Title);
            ElementJson.WriteOptional(writer, ProfileFields.Intent, profile.Intent);
            writer.WriteStartArray(ProfileFields.MemoryKinds);
            foreach (var kind in profile.MemoryKinds)
            {
                writer.WriteStringValue(kind);
            }

            writer.WriteEndArray();
            writer.WriteStartObject(ProfileFields.Stores);
            foreach (var (kind, store) in profile.Stores)
            {
                writer.WriteString(kind, store);
            }

            writer.WriteEndObject();
            writer.WriteStartObject(ProfileFields.Activation);
            ElementJson.WriteOptional(writer, ProfileActivationFields.MaxItems, profile.Activation.MaxItems);
            ElementJson.WriteOptional(writer, ProfileActivationFields.MaxTokens, profile.Activation.MaxTokens);
            writer.WriteEndObject();
            if (profile.Retention.Count > 0)
            {
                writer.WriteStartArray(ProfileFields.Retention);
                foreach (var rule in profile.Retention)
                {
                    writer.WriteStartObject();
                    writer.WriteString(RetentionRuleFields.Id, rule.Id);
                    writer.WriteString(RetentionRuleFields.MemoryKind, rule.MemoryKind);
                    ElementJson.WriteStrings(writer, RetentionRuleFields.NodeKinds, rule.NodeKinds);
                    writer.WriteString(RetentionRuleFields.Action, rule.Action);
                    writer.WriteNumber(RetentionRuleFields.AfterDays, rule.AfterDays);
                    if (rule.ReviewRequired)
                    {
                        writer.WriteBoolean(RetentionRuleFields.ReviewRequired, true);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            if (profile.ReviewRequiredFor.Count > 0 || profile.Reviewers.Count > 0 || profile.ReviewerKeys.Count > 0)
            {
                writer.WriteStartObject(ProfileFields.Review);
                ElementJson.WriteStrings(writer, ProfileReviewFields.RequiredFor, profile.ReviewRequiredFor);
                ElementJson.WriteStrings(writer, ProfileReviewFields.Reviewers, profile.Reviewers);
                if (profile.ReviewerKeys.Count > 0)
                {
                    writer.WriteStartObject(ProfileReviewFields.ReviewerKeys);
                    foreach (var (reviewer, key) in profile.ReviewerKeys)
                    {
                        writer.WriteString(reviewer, key);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return RecordJson.WithNewline(output);
    }
}

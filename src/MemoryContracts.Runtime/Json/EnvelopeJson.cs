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
            writer.WriteStartObject();
            writer.WriteString("schema_version", SchemaVersions.GraphV1);
            writer.WriteString("id", header.Id);
            ElementJson.WriteOptional(writer, "title", header.Title);
            ElementJson.WriteOptional(writer, "description", header.Description);
            writer.WriteStartArray("nodes");
            foreach (var node in nodes)
            {
                ElementJson.WriteNode(writer, node);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("edges");
            foreach (var edge in edges)
            {
                ElementJson.WriteEdge(writer, edge);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("events");
            foreach (var graphEvent in events)
            {
                ElementJson.WriteEvent(writer, graphEvent);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return RecordJson.WithNewline(output);
    }

    public static byte[] WriteProfile(MemoryProfile profile)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, RecordJson.Indented))
        {
            writer.WriteStartObject();
            writer.WriteString("schema_version", profile.SchemaVersion);
            writer.WriteString("id", profile.Id);
            ElementJson.WriteOptional(writer, "title", profile.Title);
            ElementJson.WriteOptional(writer, "intent", profile.Intent);
            writer.WriteStartArray("memory_kinds");
            foreach (var kind in profile.MemoryKinds)
            {
                writer.WriteStringValue(kind);
            }

            writer.WriteEndArray();
            writer.WriteStartObject("stores");
            foreach (var (kind, store) in profile.Stores)
            {
                writer.WriteString(kind, store);
            }

            writer.WriteEndObject();
            writer.WriteStartObject("activation");
            ElementJson.WriteOptional(writer, "max_items", profile.Activation.MaxItems);
            ElementJson.WriteOptional(writer, "max_tokens", profile.Activation.MaxTokens);
            writer.WriteEndObject();
            if (profile.Retention.Count > 0)
            {
                writer.WriteStartArray("retention");
                foreach (var rule in profile.Retention)
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", rule.Id);
                    writer.WriteString("memory_kind", rule.MemoryKind);
                    ElementJson.WriteStrings(writer, "node_kinds", rule.NodeKinds);
                    writer.WriteString("action", rule.Action);
                    writer.WriteNumber("after_days", rule.AfterDays);
                    if (rule.ReviewRequired)
                    {
                        writer.WriteBoolean("review_required", true);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            if (profile.ReviewRequiredFor.Count > 0 || profile.Reviewers.Count > 0 || profile.ReviewerKeys.Count > 0)
            {
                writer.WriteStartObject("review");
                ElementJson.WriteStrings(writer, "required_for", profile.ReviewRequiredFor);
                ElementJson.WriteStrings(writer, "reviewers", profile.Reviewers);
                if (profile.ReviewerKeys.Count > 0)
                {
                    writer.WriteStartObject("reviewer_keys");
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

using System.Buffers;
using System.Text.Json;
using MemoryContracts.Diagnostics;
using MemoryContracts.Runtime.Json;

namespace MemoryContracts.Runtime.Lifecycle;

/// <summary>A plan as a JSON file (<c>markitect.memory.lifecycle-plan.v1</c>), so a person can read it before a reviewer applies it.</summary>
public static class LifecyclePlanJson
{
    private const string Format = "markitect.memory.lifecycle-plan.v1";

    /// <summary>Writes a plan as indented JSON.</summary>
    public static byte[] Write(LifecyclePlan plan)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, RecordJson.Indented))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteString("id", plan.Id);
            writer.WriteString("graph", plan.GraphId);
            writer.WriteString("profile", plan.ProfileId);
            writer.WriteNumber("sequence", plan.Sequence);
            writer.WriteString("at", plan.At);
            ElementJson.WriteOptional(writer, "reason", plan.Reason);
            writer.WriteBoolean("requires_review", plan.RequiresReview);
            writer.WriteStartArray("actions");
            foreach (var action in plan.Actions)
            {
                writer.WriteStartObject();
                writer.WriteString("action", action.Action);
                writer.WriteString("node", action.Node);
                writer.WriteBoolean("review_required", action.ReviewRequired);
                writer.WriteString("reason", action.Reason);
                writer.WriteString("source", action.Source);
                writer.WriteString("policy", action.Policy);
                ElementJson.WriteOptional(writer, "rule", action.Rule);
                ElementJson.WriteOptional(writer, "target", action.Target);
                ElementJson.WriteOptional(writer, "target_title", action.TargetTitle);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return RecordJson.WithNewline(output);
    }

    /// <summary>Reads a plan file; a file that is not a plan is MC1001 or MC1003 with its position.</summary>
    public static LifecyclePlan Read(string path)
    {
        var content = File.ReadAllBytes(path);
        try
        {
            var reader = new Utf8JsonReader(content);
            JsonRead.StartObject(ref reader);
            string? id = null, graph = null, profile = null, at = null, reason = null;
            long? sequence = null;
            IReadOnlyList<PlannedAction> actions = [];
            while (JsonRead.NextProperty(ref reader))
            {
                if (reader.ValueTextEquals("format"u8))
                {
                    var format = JsonRead.String(ref reader);
                    if (format != Format)
                    {
                        throw new JsonException($"the file is '{format}', not a '{Format}' plan");
                    }
                }
                else if (reader.ValueTextEquals("id"u8)) id = JsonRead.String(ref reader);
                else if (reader.ValueTextEquals("graph"u8)) graph = JsonRead.String(ref reader);
                else if (reader.ValueTextEquals("profile"u8)) profile = JsonRead.String(ref reader);
                else if (reader.ValueTextEquals("sequence"u8)) sequence = JsonRead.Int64(ref reader);
                else if (reader.ValueTextEquals("at"u8)) at = JsonRead.String(ref reader);
                else if (reader.ValueTextEquals("reason"u8)) reason = JsonRead.OptionalString(ref reader);
                else if (reader.ValueTextEquals("actions"u8)) actions = JsonRead.Objects(ref reader, ReadAction);
                else JsonRead.SkipValue(ref reader);
            }

            return new LifecyclePlan(ElementJson.Required(id, "plan", "id"), ElementJson.Required(graph, "plan", "graph"), ElementJson.Required(profile, "plan", "profile"), sequence ?? throw new JsonException("the plan has no 'sequence'"), ElementJson.Required(at, "plan", "at"), actions) { Reason = reason };
        }
        catch (JsonException exception)
        {
            var location = JsonRead.Location(path, exception);
            throw new MemoryStoreException(DiagnosticCatalog.SchemaViolation.Create(location, $"not a lifecycle plan: {exception.Message}"));
        }
    }

    private static PlannedAction ReadAction(ref Utf8JsonReader reader)
    {
        string? action = null, node = null, reason = null, source = null, policy = null, rule = null, target = null, targetTitle = null;
        var review = false;
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("action"u8)) action = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("node"u8)) node = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("review_required"u8)) review = JsonRead.Boolean(ref reader);
            else if (reader.ValueTextEquals("reason"u8)) reason = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("source"u8)) source = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("policy"u8)) policy = JsonRead.String(ref reader);
            else if (reader.ValueTextEquals("rule"u8)) rule = JsonRead.OptionalString(ref reader);
            else if (reader.ValueTextEquals("target"u8)) target = JsonRead.OptionalString(ref reader);
            else if (reader.ValueTextEquals("target_title"u8)) targetTitle = JsonRead.OptionalString(ref reader);
            else JsonRead.SkipValue(ref reader);
        }

        action = ElementJson.Required(action, "action", "action");
        if (action != LifecyclePlanner.ReviewAction && !LifecycleActions.TryParse(action, out _))
        {
            throw new JsonException($"'{action}' is not a lifecycle action");
        }

        return new PlannedAction(action, ElementJson.Required(node, "action", "node"), review, reason ?? string.Empty, source ?? string.Empty, policy ?? string.Empty) { Rule = rule, Target = target, TargetTitle = targetTitle };
    }
}

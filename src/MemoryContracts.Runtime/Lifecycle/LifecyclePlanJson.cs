using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using MemoryContracts.Diagnostics;
using MemoryContracts.Model.Wire;
using MemoryContracts.Runtime.Json;

namespace MemoryContracts.Runtime.Lifecycle;

/// <summary>A plan as a JSON file (<c>markitect.memory.lifecycle-plan.v1</c>), so a person can read it before a reviewer applies it.</summary>
internal static class LifecyclePlanJson
{
    private const string Format = "markitect.memory.lifecycle-plan.v1";

    private static readonly JsonWriterOptions Canonical = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>Writes a plan as indented JSON, with its id.</summary>
    public static byte[] Write(LifecyclePlan plan)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, RecordJson.Indented))
        {
            WritePlan(writer, plan, withId: true);
        }

        return RecordJson.WithNewline(output);
    }

    /// <summary>
    /// The id a plan's content gives: <c>plan-</c> and the SHA-256 (hex) of its canonical form, compact JSON of every
    /// field but the id. Any change to the plan (an action, a review flag, the sequence, the profile) changes it.
    /// </summary>
    public static string IdOf(LifecyclePlan plan)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, Canonical))
        {
            WritePlan(writer, plan, withId: false);
        }

        return "plan-" + Convert.ToHexString(SHA256.HashData(output.WrittenSpan)).ToLowerInvariant();
    }

    private static void WritePlan(Utf8JsonWriter writer, LifecyclePlan plan, bool withId)
    {
        writer.WriteStartObject();
        writer.WriteString("format", Format);
        if (withId)
        {
            writer.WriteString("id", plan.Id);
        }

        writer.WriteString("graph", plan.GraphId);
        writer.WriteString("profile", plan.ProfileId);
        writer.WriteString("profile_hash", plan.ProfileHash);
        writer.WriteString("requested_by", plan.RequestedBy);
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

    /// <summary>Reads a plan file; a file that is not a plan is MC1001 or MC1003 with its position.</summary>
    public static LifecyclePlan Read(string path) => Read(File.ReadAllBytes(path), path);

    /// <summary>Reads a plan from its bytes; <paramref name="location"/> names it in diagnostics.</summary>
    public static LifecyclePlan Read(byte[] content, string location)
    {
        try
        {
            var reader = new Utf8JsonReader(content);
            JsonRead.StartObject(ref reader);
            string? id = null, graph = null, profile = null, at = null, reason = null, profileHash = null, requestedBy = null;
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
                else if (reader.ValueTextEquals("profile_hash"u8)) profileHash = JsonRead.String(ref reader);
                else if (reader.ValueTextEquals("requested_by"u8)) requestedBy = JsonRead.String(ref reader);
                else if (reader.ValueTextEquals("sequence"u8)) sequence = JsonRead.Int64(ref reader);
                else if (reader.ValueTextEquals("at"u8)) at = JsonRead.String(ref reader);
                else if (reader.ValueTextEquals("reason"u8)) reason = JsonRead.OptionalString(ref reader);
                else if (reader.ValueTextEquals("actions"u8)) actions = JsonRead.Objects(ref reader, ReadAction);
                else JsonRead.SkipValue(ref reader);
            }

            return new LifecyclePlan(ElementJson.Required(id, "plan", "id"), ElementJson.Required(graph, "plan", "graph"), ElementJson.Required(profile, "plan", "profile"), sequence ?? throw new JsonException("the plan has no 'sequence'"), ElementJson.Required(at, "plan", "at"), actions)
            {
                Reason = reason,
                ProfileHash = profileHash ?? string.Empty,
                RequestedBy = requestedBy ?? string.Empty,
            };
        }
        catch (JsonException exception)
        {
            var position = JsonRead.Location(location, exception);
            throw new MemoryStoreException(DiagnosticCatalog.SchemaViolation.Create(position, $"not a lifecycle plan: {exception.Message}"));
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

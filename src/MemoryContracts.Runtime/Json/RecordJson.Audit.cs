using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using MemoryContracts.Model;
using MemoryContracts.Model.Wire;
using MemoryContracts.Runtime.Storage;

namespace MemoryContracts.Runtime.Json;

/// <summary>Audit records, one compact JSON object per line, with the approval a granted apply carries.</summary>
internal static partial class RecordJson
{
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

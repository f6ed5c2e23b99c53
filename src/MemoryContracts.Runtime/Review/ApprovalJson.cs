using System.Buffers;
using System.Text.Json;
using MemoryContracts.Diagnostics;
using MemoryContracts.Model.Wire;
using MemoryContracts.Runtime.Json;

namespace MemoryContracts.Runtime.Review;

/// <summary>A signed approval as a JSON file (<c>markitect.memory.approval.v1</c>), as <c>dotnet memory store approve</c> writes it.</summary>
internal static class ApprovalJson
{
    private const string Format = "markitect.memory.approval.v1";

    /// <summary>Writes an approval as indented JSON.</summary>
    public static byte[] Write(Approval approval)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, RecordJson.Indented))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            ElementJson.WriteOptional(writer, "plan", approval.Plan);
            writer.WriteString("reviewer", approval.By);
            writer.WriteString("at", approval.At);
            writer.WriteString("reason", approval.Reason);
            ElementJson.WriteOptional(writer, "signature", approval.Signature);
            writer.WriteEndObject();
        }

        return RecordJson.WithNewline(output);
    }

    /// <summary>Reads an approval file; a file that is not one is MC1003 with its position.</summary>
    public static Approval Read(string path)
    {
        var content = File.ReadAllBytes(path);
        try
        {
            var reader = new Utf8JsonReader(content);
            JsonRead.StartObject(ref reader);
            string? format = null, plan = null, reviewer = null, at = null, reason = null, signature = null;
            while (JsonRead.NextProperty(ref reader))
            {
                if (reader.ValueTextEquals("format"u8)) format = JsonRead.String(ref reader);
                else if (reader.ValueTextEquals("plan"u8)) plan = JsonRead.String(ref reader);
                else if (reader.ValueTextEquals("reviewer"u8)) reviewer = JsonRead.String(ref reader);
                else if (reader.ValueTextEquals("at"u8)) at = JsonRead.String(ref reader);
                else if (reader.ValueTextEquals("reason"u8)) reason = JsonRead.String(ref reader);
                else if (reader.ValueTextEquals("signature"u8)) signature = JsonRead.String(ref reader);
                else JsonRead.SkipValue(ref reader);
            }

            if (format != Format)
            {
                throw new JsonException($"the file is '{format}', not a '{Format}' approval");
            }

            return new Approval(ElementJson.Required(reviewer, "approval", "reviewer"), ElementJson.Required(at, "approval", "at"), ElementJson.Required(reason, "approval", "reason"))
            {
                Plan = ElementJson.Required(plan, "approval", "plan"),
                Signature = ElementJson.Required(signature, "approval", "signature"),
            };
        }
        catch (JsonException exception)
        {
            throw new MemoryStoreException(DiagnosticCatalog.SchemaViolation.Create(JsonRead.Location(path, exception), $"not an approval: {exception.Message}"));
        }
    }
}

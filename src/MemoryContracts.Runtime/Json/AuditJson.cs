using System.Buffers;
using System.Text.Json;
using MemoryContracts.Model.Wire;

namespace MemoryContracts.Runtime.Json;

/// <summary>
/// Audit records, one compact JSON object per line (<c>markitect.memory.audit.v1</c>), through source-generated
/// metadata (<see cref="StoredFileJsonContext"/>): the decision, the ids it affected and, for a granted apply, the
/// approval it carried. A missing required property, a null id or an unknown decision is a <see cref="JsonException"/>.
/// </summary>
internal static class AuditJson
{
    public const string Format = "markitect.memory.audit.v1";

    private const string Granted = "granted";
    private const string Denied = "denied";

    public static void Write(IBufferWriter<byte> output, AuditRecord record)
    {
        var approval = record.Approval is { } given ? new ApprovalFile(given.By, given.At, given.Reason, given.Plan, given.Signature) : null;
        var file = new AuditFile(Format, record.Operation, record.At, record.Actor, record.Action, record.Decision == AuditDecision.Granted ? Granted : Denied, record.Graph, record.Affected, record.Reason, approval);
        using var writer = new Utf8JsonWriter(output, RecordJson.Compact);
        JsonSerializer.Serialize(writer, file, StoredFileJson.Context.AuditFile);
    }

    public static AuditRecord Read(ReadOnlySpan<byte> line)
    {
        var file = JsonSerializer.Deserialize(line, StoredFileJson.Context.AuditFile) ?? throw new JsonException("the audit record is null");
        StoredFileJson.CheckFormat(file.Format, Format);

        var decision = file.Decision switch
        {
            Granted => AuditDecision.Granted,
            Denied => AuditDecision.Denied,
            _ => throw new JsonException($"decision '{file.Decision}' is neither '{Granted}' nor '{Denied}'"),
        };
        return new AuditRecord(Required(file.Operation, "operation"), Required(file.At, "at"), Required(file.Actor, "actor"), Required(file.Action, "action"), decision, file.Graph, StoredFileJson.Items(file.Affected, "affected"))
        {
            Reason = file.Reason,
            Approval = file.Approval is { } approval
                ? new Approval(ElementJson.Required(approval.By, "approval", "by"), ElementJson.Required(approval.At, "approval", "at"), ElementJson.Required(approval.Reason, "approval", "reason")) { Plan = approval.Plan, Signature = approval.Signature }
                : null,
        };
    }

    private static string Required(string? value, string name) => ElementJson.Required(value, "audit record", name);
}

/// <summary>An audit line as stored.</summary>
internal sealed record AuditFile(string? Format, string? Operation, string? At, string? Actor, string? Action, string? Decision, string? Graph, IReadOnlyList<string?>? Affected, string? Reason, ApprovalFile? Approval);

/// <summary>The approval a granted apply carried.</summary>
internal sealed record ApprovalFile(string? By, string? At, string? Reason, string? Plan, string? Signature);

namespace MemoryContracts.Runtime;

/// <summary>Whether an operation was allowed to happen.</summary>
public enum AuditDecision
{
    /// <summary>It happened.</summary>
    Granted,

    /// <summary>It was refused; nothing was written but this record.</summary>
    Denied,
}

/// <summary>
/// An approval: who, when and why. An approval of a lifecycle plan is a signed statement: it names the plan's id (the
/// hash of the plan's canonical form) and carries the reviewer's ECDSA P-256 signature over the statement, which the
/// review gate verifies with the key the stored profile declares for that reviewer (see <see cref="Review.ApprovalSigner"/>).
/// </summary>
/// <param name="By">The reviewer.</param>
/// <param name="At">When they approved, RFC 3339.</param>
/// <param name="Reason">Why.</param>
public sealed record Approval(string By, string At, string Reason)
{
    /// <summary>The id of the plan it approves (null for an approval that settles reviews).</summary>
    public string? Plan { get; init; }

    /// <summary>The base64 signature (IEEE P1363, SHA-256) of the statement, by the reviewer's private key.</summary>
    public string? Signature { get; init; }

    /// <summary>Whether it says who (non-blank), when (RFC 3339) and why (non-blank); an incomplete approval approves nothing.</summary>
    public bool IsComplete => !string.IsNullOrWhiteSpace(By) && !string.IsNullOrWhiteSpace(Reason) && RecordCheck.IsTimestamp(At);
}

/// <summary>One line of the audit log: an operation, who asked, what it touched, and whether it was allowed.</summary>
/// <param name="Operation">The operation id, unique in the workspace.</param>
/// <param name="At">When, RFC 3339.</param>
/// <param name="Actor">Who asked.</param>
/// <param name="Action">What was asked (<c>import</c>, <c>apply</c>, <c>retrieve</c>, <c>merge</c>, ...).</param>
/// <param name="Decision">Granted or denied.</param>
/// <param name="Graph">The graph it concerned, if any.</param>
/// <param name="Affected">The node, edge, event or path ids it touched or would have touched.</param>
public sealed record AuditRecord(string Operation, string At, string Actor, string Action, AuditDecision Decision, string? Graph, IReadOnlyList<string> Affected)
{
    /// <summary>Why it was denied, or a note on what it did.</summary>
    public string? Reason { get; init; }

    /// <summary>The approval it was given, if any.</summary>
    public Approval? Approval { get; init; }
}

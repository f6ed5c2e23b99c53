namespace MemoryContracts.Runtime.Toolbelt;

/// <summary>
/// One toolbelt call, as an agent framework sends it (JSON with snake_case names). Each operation reads the fields
/// it needs; a mutating call also takes the rationale, evidence, correlation ids, an idempotency key and dry_run.
/// </summary>
public sealed record ToolRequest
{
    /// <summary>The file (or folder, for <c>list</c> and <c>search</c>), relative to the memory root.</summary>
    public string Path { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary><c>fs.write</c>: the whole new content (or leave it out and give <see cref="Template"/>).</summary>
    public string? Content { get; init; }

    /// <summary><c>fs.write</c> of a new file: <c>profile</c>, <c>part</c> or <c>relationship</c>.</summary>
    public string? Template { get; init; }

    /// <summary><c>fs.write</c> with a template: the title.</summary>
    public string? Title { get; init; }

    /// <summary><c>fs.append</c>: the text to add at the end.</summary>
    public string? Text { get; init; }

    /// <summary><c>fs.patch</c>: the exact text to replace (it must occur once).</summary>
    public string? OldText { get; init; }

    /// <summary><c>fs.patch</c>: its replacement.</summary>
    public string? NewText { get; init; }

    /// <summary><c>md.*</c>: the section's anchor.</summary>
    public string? Anchor { get; init; }

    /// <summary><c>md.patch_section</c>: the section's new body.</summary>
    public string? Body { get; init; }

    /// <summary><c>md.curate_list</c>: items to add to the section's list (duplicates are ignored).</summary>
    public IReadOnlyList<string> Add { get; init => field = value ?? []; } = [];

    /// <summary><c>md.curate_list</c>: items to take out of the section's list.</summary>
    public IReadOnlyList<string> Remove { get; init => field = value ?? []; } = [];

    /// <summary><c>fs.search</c>: the text to look for (case-insensitive).</summary>
    public string? Pattern { get; init; }

    /// <summary><c>md.replay</c>: an event id or an RFC 3339 time.</summary>
    public string? At { get; init; }

    /// <summary>Why the change is made (recorded).</summary>
    public string? Rationale { get; init; }

    /// <summary>Why a cap may be exceeded (required to exceed one; recorded).</summary>
    public string? OverrideRationale { get; init; }

    /// <summary>References to the evidence for the change.</summary>
    public IReadOnlyList<string> Evidence { get; init => field = value ?? []; } = [];

    /// <summary>A key that makes a retried call return the first outcome instead of writing twice.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The agent's tool call id (correlation).</summary>
    public string? ToolCallId { get; init; }

    /// <summary>The transaction the call belongs to (correlation).</summary>
    public string? TransactionId { get; init; }

    /// <summary>Plan only: return the diff, the lint and the event, write nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// The SHA-256 (hex) of what the call asks for: the operation, the path and every payload field (not the
    /// rationale, evidence or correlation ids). An idempotency key replays only a call with the same fingerprint.
    /// </summary>
    public string Fingerprint(string operation)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(output))
        {
            writer.WriteStartArray();
            foreach (var field in new[] { operation, Path, Content, Template, Title, Text, OldText, NewText, Anchor, Body, OverrideRationale })
            {
                writer.WriteStringValue(field);
            }

            foreach (var list in new[] { Add, Remove })
            {
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    writer.WriteStringValue(item);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(output.WrittenSpan)).ToLowerInvariant();
    }
}

/// <summary>The event a write produces (or, in a dry run, would produce).</summary>
/// <param name="Id">The event id.</param>
/// <param name="Type"><c>profile_update</c>, <c>action</c> or <c>audit</c>.</param>
/// <param name="Op">The operation, such as <c>replace_section</c> or <c>append</c>.</param>
/// <param name="File">The file, relative to the memory root.</param>
public sealed record ToolEvent(string Id, string Type, string Op, string File)
{
    /// <summary>The section the write changed.</summary>
    public string? SectionAnchor { get; init; }

    /// <summary>Why.</summary>
    public string? Rationale { get; init; }

    /// <summary>Evidence references.</summary>
    public IReadOnlyList<string> Evidence { get; init => field = value ?? []; } = [];

    /// <summary>The canonical hash of the section (or file) before.</summary>
    public string? BeforeHash { get; init; }

    /// <summary>The canonical hash of the section (or file) after.</summary>
    public string? AfterHash { get; init; }

    /// <summary>The canonical hash of the whole file after (what drift detection compares).</summary>
    public string? FileHashAfter { get; init; }

    /// <summary>The lint summary.</summary>
    public string? Lint { get; init; }

    /// <summary>The rationale for exceeding a cap.</summary>
    public string? OverrideRationale { get; init; }

    /// <summary>The idempotency key.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The SHA-256 of the request it was written for (operation, path, payload): a key replays only the same request.</summary>
    public string? RequestFingerprint { get; init; }

    /// <summary>The transaction id.</summary>
    public string? TransactionId { get; init; }

    /// <summary>The tool call id.</summary>
    public string? ToolCallId { get; init; }

    /// <summary><c>planned</c> (dry run), <c>pending</c>, <c>committed</c> or <c>failed</c>.</summary>
    public string Status { get; init; } = "planned";

    /// <summary>Why it failed, when it failed.</summary>
    public string? FailureReason { get; init; }

    /// <summary>The log position of its pending record.</summary>
    public long Sequence { get; init; }

    /// <summary>When the write was asked for.</summary>
    public string? At { get; init; }
}

/// <summary>What a toolbelt call returns (JSON with snake_case names).</summary>
/// <param name="Operation">The operation, such as <c>md.patch_section</c>.</param>
/// <param name="Path">The path it worked on.</param>
public sealed record ToolResult(string Operation, string Path)
{
    /// <summary>Whether this was a dry run (nothing written).</summary>
    public bool DryRun { get; init; }

    /// <summary>Whether an idempotency key made this the first call's outcome (nothing written now).</summary>
    public bool Replayed { get; init; }

    /// <summary>Read and replay: the content.</summary>
    public string? Content { get; init; }

    /// <summary>The canonical hash of the file (after a write, the new one).</summary>
    public string? Hash { get; init; }

    /// <summary>A mutating call: the change as a line diff.</summary>
    public string? Diff { get; init; }

    /// <summary>The lint findings of the file after the call.</summary>
    public IReadOnlyList<LintFinding> Lint { get; init; } = [];

    /// <summary>A mutating call: the event written, or planned.</summary>
    public ToolEvent? Event { get; init; }

    /// <summary>List: the files; search: <c>path:line: text</c>; history: the copies; list_sections: the anchors.</summary>
    public IReadOnlyList<string> Entries { get; init; } = [];
}

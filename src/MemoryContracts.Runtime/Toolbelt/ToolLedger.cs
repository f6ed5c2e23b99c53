using MemoryContracts.Documents;
using MemoryContracts.Model;
using MemoryContracts.Runtime.Appending;
using MemoryContracts.Runtime.Kernel;
using MemoryContracts.Runtime.Storage;

namespace MemoryContracts.Runtime.Toolbelt;

/// <summary>
/// The toolbelt's events in a workspace's ledger (files or PostgreSQL), in the graph <c>toolbelt</c>. A write is a
/// saga of two records: a <c>pending</c> event with every detail, then a completion (<c>committed</c> or
/// <c>failed</c>) that names it. A blocked call is one <c>policy_decision</c> event of type <c>audit</c>.
/// </summary>
internal sealed class ToolLedger
{
    public const string Graph = "toolbelt";
    private const string Pending = "pending";
    private readonly WorkspaceKernel _kernel;
    private readonly EventAppender _appender;
    private readonly object _gate = new();
    private List<ToolEvent>? _events;

    public ToolLedger(WorkspaceKernel kernel, EventAppender appender)
    {
        _kernel = kernel;
        _appender = appender;
        kernel.Store.CreateGraph(new GraphHeader(Graph, "Toolbelt writes", "Every write of the agent toolbelt, as a saga: pending, then committed or failed."));
    }

    /// <summary>Every write event with its outcome, in log order (read from the ledger once, then kept up to date).</summary>
    public async ValueTask<IReadOnlyList<ToolEvent>> EventsAsync(bool useAsync, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_events is { } known)
            {
                return known.ToArray();
            }
        }

        var loaded = await LoadAsync(useAsync, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            return (_events ??= loaded).ToArray();
        }
    }

    /// <summary>Forgets the events read so far: the next use reads the ledger again (another process may have written).</summary>
    public void Refresh()
    {
        lock (_gate)
        {
            _events = null;
        }
    }

    /// <summary>The committed write of an idempotency key, if any.</summary>
    public async ValueTask<ToolEvent?> CommittedAsync(bool useAsync, string idempotencyKey, CancellationToken cancellationToken) =>
        (await EventsAsync(useAsync, cancellationToken).ConfigureAwait(false)).LastOrDefault(entry => entry.IdempotencyKey == idempotencyKey && entry.Status == "committed");

    /// <summary>
    /// Records the pending event (durable when it returns). Cancellation is honoured until the record is queued for
    /// commit: a cancelled call leaves no pending event.
    /// </summary>
    public async ValueTask<ToolEvent> BeginAsync(bool useAsync, ToolEvent planned, bool newFile, CancellationToken cancellationToken)
    {
        var pending = planned with { Status = Pending };
        var graphEvent = new GraphEvent(pending.Id, (newFile ? EventKind.Recorded : EventKind.Updated).ToWireName(), pending.At!)
        {
            Actor = "toolbelt",
            Summary = $"{pending.Type} {pending.Op} {pending.File}",
            Attributes = Attributes(pending),
        };
        var record = await _appender.AppendAsync(useAsync, Graph, graphEvent, null, null, cancellationToken).ConfigureAwait(false);
        pending = pending with { Sequence = record.Sequence };
        lock (_gate)
        {
            // Events not read yet are read from the log when asked for, this write included.
            if (_events is { } events && !events.Exists(entry => entry.Id == pending.Id))
            {
                events.Add(pending);
            }
        }

        return pending;
    }

    /// <summary>Records the outcome of a pending event; it finishes a saga already begun, so it takes no cancellation.</summary>
    public async ValueTask<ToolEvent> CompleteAsync(bool useAsync, ToolEvent pending, bool committed, string? reason = null)
    {
        var status = committed ? "committed" : "failed";
        var outcome = new GraphEvent($"{pending.Id}-{status}", EventKind.Updated.ToWireName(), _kernel.Now())
        {
            Actor = "toolbelt",
            Summary = $"{status} {pending.Id}",
            Attributes = Pairs(("completes", pending.Id), ("saga", status), ("reason", reason)),
        };
        await _appender.AppendAsync(useAsync, Graph, outcome, null, null, CancellationToken.None).ConfigureAwait(false);
        var done = pending with { Status = status, FailureReason = reason };
        Telemetry.RuntimeLog.ToolWrite(_kernel.Loggers.Toolbelt, done.Op, done.File, status, done.Id);
        lock (_gate)
        {
            if (_events is { } events)
            {
                events[events.FindIndex(entry => entry.Id == pending.Id)] = done;
            }
        }

        return done;
    }

    /// <summary>Records a blocked call: what was asked and why it was refused, never content.</summary>
    /// <remarks>
    /// What the caller sent is recorded escaped (<see cref="Text.DisplayText"/>): a refused path or id holding NUL or a
    /// newline is still audited. A refusal is always audited, so this takes no cancellation.
    /// </remarks>
    public async ValueTask AuditAsync(bool useAsync, string operation, string path, string reason, ToolRequest request)
    {
        string? Safe(string? text) => text is null ? null : Text.DisplayText.Escape(text);
        var refusal = new GraphEvent("audit-" + Guid.NewGuid().ToString("N")[..16], EventKind.PolicyDecision.ToWireName(), _kernel.Now())
        {
            Actor = "toolbelt",
            Summary = $"blocked {operation} {Safe(path)}",
            Attributes = Pairs(("type", "audit"), ("op", operation), ("file", Safe(path)), ("reason", Safe(reason)), ("tool_call_id", Safe(request.ToolCallId)), ("transaction_id", Safe(request.TransactionId))),
        };
        await _appender.AppendAsync(useAsync, Graph, refusal, null, null, CancellationToken.None).ConfigureAwait(false);
    }

    private async ValueTask<List<ToolEvent>> LoadAsync(bool useAsync, CancellationToken cancellationToken)
    {
        var events = new List<ToolEvent>();
        var outcomes = new Dictionary<string, (string Status, string? Reason)>(StringComparer.Ordinal);
        foreach (var record in await _kernel.ReadLogAsync(useAsync, Graph, 0, cancellationToken).ConfigureAwait(false))
        {
            if (record.Event is not { } graphEvent)
            {
                continue;
            }

            string? Get(string name) => graphEvent.Attributes.FirstOrDefault(pair => pair.Key == name).Value?.Text;
            if (Get("completes") is { } completes)
            {
                outcomes[completes] = (Get("saga")!, Get("reason"));
            }
            else if (Get("saga") == Pending)
            {
                events.Add(new ToolEvent(graphEvent.Id, Get("type")!, Get("op")!, Get("file")!)
                {
                    SectionAnchor = Get("section_anchor"),
                    Rationale = Get("rationale"),
                    Evidence = Get("evidence") is { Length: > 0 } evidence ? evidence.Split('\n') : [],
                    BeforeHash = Get("before_hash"),
                    AfterHash = Get("after_hash"),
                    FileHashAfter = Get("file_hash_after"),
                    Lint = Get("lint"),
                    OverrideRationale = Get("override_rationale"),
                    IdempotencyKey = Get("idempotency_key"),
                    RequestFingerprint = Get("request_fingerprint"),
                    TransactionId = Get("transaction_id"),
                    ToolCallId = Get("tool_call_id"),
                    Status = Pending,
                    Sequence = record.Sequence,
                    At = graphEvent.At,
                });
            }
        }

        return events.Select(entry => outcomes.TryGetValue(entry.Id, out var outcome) ? entry with { Status = outcome.Status, FailureReason = outcome.Reason } : entry).ToList();
    }

    private static KeyValuePair<string, AttributeValue>[] Attributes(ToolEvent entry) => Pairs(
        ("type", entry.Type), ("op", entry.Op), ("file", entry.File), ("section_anchor", entry.SectionAnchor), ("rationale", entry.Rationale),
        ("evidence", entry.Evidence.Count == 0 ? null : string.Join("\n", entry.Evidence)), ("before_hash", entry.BeforeHash), ("after_hash", entry.AfterHash),
        ("file_hash_after", entry.FileHashAfter), ("lint", entry.Lint), ("override_rationale", entry.OverrideRationale), ("idempotency_key", entry.IdempotencyKey),
        ("request_fingerprint", entry.RequestFingerprint), ("transaction_id", entry.TransactionId), ("tool_call_id", entry.ToolCallId), ("saga", Pending));

    private static KeyValuePair<string, AttributeValue>[] Pairs(params (string Name, string? Value)[] pairs) =>
        pairs.Where(pair => pair.Value is not null).Select(pair => new KeyValuePair<string, AttributeValue>(pair.Name, new AttributeValue(DocumentValueKind.String, pair.Value!))).ToArray();
}

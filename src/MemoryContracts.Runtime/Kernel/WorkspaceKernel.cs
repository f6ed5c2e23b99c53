using System.Globalization;
using MemoryContracts.Diagnostics;
using MemoryContracts.Model;
using MemoryContracts.Runtime.Lifecycle;
using MemoryContracts.Runtime.Storage;
using MemoryContracts.Runtime.Telemetry;

namespace MemoryContracts.Runtime.Kernel;

/// <summary>
/// What every feature of a workspace stands on, and nothing more: the three ports (graph store, event log, audit
/// sink), the options, the loggers, the clock and operation ids, graph and profile lookup, the audited write of
/// records and decisions, and the live main path of each graph. Features (appending, importing, paths, lifecycle,
/// retrieval, the toolbelt's ledger, repair) each receive the kernel; none of them calls back into
/// <see cref="MemoryWorkspace"/>, which only composes them.
/// </summary>
internal sealed partial class WorkspaceKernel
{
    private readonly Dictionary<string, LiveGraph> _live = new(StringComparer.Ordinal);

    public WorkspaceKernel(IMemoryGraphStore store, IMemoryEventLog log, IAuditSink audit, WorkspaceOptions options, string location)
    {
        Store = store;
        Log = log;
        Audit = audit;
        Options = options;
        Loggers = new RuntimeLoggers(options.LoggerFactory);
        Location = location;
    }

    /// <summary>The graph store.</summary>
    public IMemoryGraphStore Store { get; }

    /// <summary>The event log.</summary>
    public IMemoryEventLog Log { get; }

    /// <summary>The audit sink.</summary>
    public IAuditSink Audit { get; }

    /// <summary>The options.</summary>
    public WorkspaceOptions Options { get; }

    /// <summary>The loggers of the runtime's parts.</summary>
    public RuntimeLoggers Loggers { get; }

    /// <summary>Where the workspace lives: its folder, or <c>memory</c>.</summary>
    public string Location { get; }

    /// <summary>What opening recovered from (torn last lines, MC5004), so that it is reported, never silently dropped.</summary>
    public List<ContractDiagnostic> Recovered { get; } = [];

    public GraphHeader RequireGraph(string graphId) => Synchronously.Run(RequireGraphAsync(useAsync: false, graphId, CancellationToken.None));

    public async ValueTask<GraphHeader> RequireGraphAsync(bool useAsync, string graphId, CancellationToken cancellationToken) =>
        (useAsync ? await Store.LoadGraphAsync(graphId, cancellationToken).ConfigureAwait(false) : Store.LoadGraph(graphId))
        ?? throw MemoryStoreException.Create(DiagnosticCatalog.UnknownStoreItem, Location, "graph", graphId, string.Empty);

    public MemoryProfile RequireProfile(string profileId) => Synchronously.Run(RequireProfileAsync(useAsync: false, profileId, CancellationToken.None));

    public async ValueTask<MemoryProfile> RequireProfileAsync(bool useAsync, string profileId, CancellationToken cancellationToken) =>
        (await LoadProfileAsync(useAsync, profileId, cancellationToken).ConfigureAwait(false))
        ?? throw MemoryStoreException.Create(DiagnosticCatalog.UnknownStoreItem, Location, "profile", profileId, string.Empty);

    public async ValueTask<MemoryProfile?> LoadProfileAsync(bool useAsync, string profileId, CancellationToken cancellationToken) =>
        useAsync ? await Store.LoadProfileAsync(profileId, cancellationToken).ConfigureAwait(false) : Store.LoadProfile(profileId);

    /// <summary>The file the log of a graph lives in, for diagnostics; the graph id for adapters without files.</summary>
    public string LogLocation(string graphId) => Log.LocationOf(graphId);

    /// <summary>
    /// Runs an audited operation: when the workspace refuses it (any <see cref="MemoryStoreException"/>), one denied
    /// audit record with the diagnostic, code included, is written before the refusal goes on to the caller.
    /// </summary>
    public T AuditRefusal<T>(string action, string actor, string? graphId, IReadOnlyList<string> affected, Func<T> operation, Approval? approval = null) =>
        Synchronously.Run(AuditRefusalAsync(useAsync: false, action, actor, graphId, affected, () => ValueTask.FromResult(operation()), approval));

    /// <inheritdoc cref="AuditRefusal" />
    /// <remarks>The denied record is written even when the caller's token is cancelled: a refusal is never left unaudited.</remarks>
    public async ValueTask<T> AuditRefusalAsync<T>(bool useAsync, string action, string actor, string? graphId, IReadOnlyList<string> affected, Func<ValueTask<T>> operation, Approval? approval = null)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (MemoryStoreException refusal)
        {
            await WriteAuditAsync(useAsync, action, actor, AuditDecision.Denied, graphId, affected, refusal.Diagnostics[0].ToString(), approval, cancellationToken: CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    public string WriteAudit(string action, string actor, AuditDecision decision, string? graphId, IReadOnlyList<string> affected, string? reason, Approval? approval = null, string? operation = null) =>
        Synchronously.Run(WriteAuditAsync(useAsync: false, action, actor, decision, graphId, affected, reason, approval, operation, CancellationToken.None));

    public async ValueTask<string> WriteAuditAsync(bool useAsync, string action, string actor, AuditDecision decision, string? graphId, IReadOnlyList<string> affected, string? reason, Approval? approval = null, string? operation = null, CancellationToken cancellationToken = default)
    {
        operation ??= NewOperationId();
        await WriteAuditAsync(useAsync, new AuditRecord(operation, Now(), actor, action, decision, graphId, affected) { Reason = reason, Approval = approval }, cancellationToken).ConfigureAwait(false);
        return operation;
    }

    /// <summary>Writes an audit record (durable when it returns), counting review-gate decisions.</summary>
    public void WriteAudit(AuditRecord record) => Synchronously.Run(WriteAuditAsync(useAsync: false, record, CancellationToken.None));

    /// <inheritdoc cref="WriteAudit(AuditRecord)" />
    public async ValueTask WriteAuditAsync(bool useAsync, AuditRecord record, CancellationToken cancellationToken)
    {
        if (useAsync)
        {
            await Audit.WriteAsync(record, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            Audit.Write(record);
        }

        RuntimeLog.Audited(Loggers.For(record.Action), record);
        if (record.Action is "apply" or "settle_review")
        {
            MemoryTelemetry.ReviewDecision(Location, record.Action, record.Decision);
        }
    }

    /// <summary>The workspace clock's time as records carry it: RFC 3339, UTC, milliseconds.</summary>
    public string Now() => Format(Options.Clock.GetUtcNow());

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string NewOperationId() => "op-" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>The graph's records after <paramref name="afterSequence"/>, read into a list.</summary>
    public async ValueTask<List<MemoryRecord>> ReadLogAsync(bool useAsync, string graphId, long afterSequence, CancellationToken cancellationToken)
    {
        if (!useAsync)
        {
            return Log.Read(graphId, afterSequence).ToList();
        }

        var records = new List<MemoryRecord>();
        await foreach (var record in Log.ReadAsync(graphId, afterSequence, cancellationToken).ConfigureAwait(false))
        {
            records.Add(record);
        }

        return records;
    }

    public async ValueTask<bool> ContainsEventAsync(bool useAsync, string graphId, string eventId, CancellationToken cancellationToken) =>
        useAsync ? await Log.ContainsEventAsync(graphId, eventId, cancellationToken).ConfigureAwait(false) : Log.ContainsEvent(graphId, eventId);

    public async ValueTask<long> LastSequenceAsync(bool useAsync, string graphId, CancellationToken cancellationToken) =>
        useAsync ? await Log.LastSequenceAsync(graphId, cancellationToken).ConfigureAwait(false) : Log.LastSequence(graphId);
}

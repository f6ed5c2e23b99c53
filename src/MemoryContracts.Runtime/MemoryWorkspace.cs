using System.Globalization;
using System.Runtime.CompilerServices;
using MemoryContracts.Diagnostics;
using MemoryContracts.Model;
using MemoryContracts.Runtime.Json;
using MemoryContracts.Runtime.Lifecycle;
using MemoryContracts.Runtime.Paths;
using MemoryContracts.Runtime.Storage;
using MemoryContracts.Runtime.Storage.Files;
using MemoryContracts.Runtime.Storage.InMemory;
using MemoryContracts.Runtime.Telemetry;
using MemoryContracts.Validation;

namespace MemoryContracts.Runtime;

/// <summary>
/// A memory workspace: graphs and profiles imported from validated fixtures, an append-only event log per graph,
/// and an audit log, over any adapters of the three ports (files, memory, PostgreSQL). The main path of each graph
/// is kept live; every other view (a cutoff, a branch) is replayed from the log.
/// </summary>
public sealed class MemoryWorkspace : IMemoryWorkspace, IDisposable
{
    private readonly Dictionary<string, LiveGraph> _live = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<IDisposable> _owned;
    private readonly List<ContractDiagnostic> _recovered = [];
    private PathOperations? _paths;
    private LifecycleOperations? _lifecycle;
    private Retrieval.RetrievalService? _retrieval;

    /// <summary>
    /// Creates a workspace over any adapters of the three ports. <paramref name="resources"/>, if given, is disposed
    /// with the workspace (an adapter the workspace should own); <paramref name="location"/> names it in diagnostics.
    /// </summary>
    public MemoryWorkspace(IMemoryGraphStore store, IMemoryEventLog log, IAuditSink audit, WorkspaceOptions? options = null, string location = "memory", IDisposable? resources = null)
        : this(store, log, audit, options ?? WorkspaceOptions.Default, resources is null ? [] : [resources], location)
    {
    }

    private MemoryWorkspace(IMemoryGraphStore store, IMemoryEventLog log, IAuditSink audit, WorkspaceOptions options, IReadOnlyList<IDisposable> owned, string location)
    {
        Store = store;
        Log = log;
        Audit = audit;
        Options = options;
        Loggers = new RuntimeLoggers(options.LoggerFactory);
        _owned = owned;
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
    internal RuntimeLoggers Loggers { get; }

    /// <summary>Where the workspace lives: its folder, or <c>memory</c>.</summary>
    public string Location { get; }

    /// <summary>What opening recovered from (torn last lines, MC5004), so that it is reported, never silently dropped.</summary>
    public IReadOnlyList<ContractDiagnostic> Recovered => _recovered;

    /// <summary>Makes a folder a workspace (if it is not one yet) and opens it.</summary>
    public static MemoryWorkspace Create(string folder, WorkspaceOptions? options = null)
    {
        new WorkspaceLayout(folder).Create();
        return Open(folder, options);
    }

    /// <summary>
    /// Opens a workspace folder: takes its lock (waiting up to <see cref="WorkspaceOptions.LockTimeout"/>, then MC5002),
    /// checks its layout version (MC5001), and opens every graph's log, recovering torn last lines (MC5004).
    /// </summary>
    public static MemoryWorkspace Open(string folder, WorkspaceOptions? options = null)
    {
        options ??= WorkspaceOptions.Default;
        var layout = new WorkspaceLayout(folder);
        if (!Directory.Exists(layout.Root))
        {
            throw MemoryStoreException.Create(DiagnosticCatalog.WorkspaceLayout, layout.Root, $"'{layout.Root}' does not exist; create a workspace with 'dotnet memory store init'");
        }

        layout.Check();
        var held = WorkspaceLock.Acquire(layout.LockFile, options.LockTimeout);
        JsonlEventLog? log = null;
        JsonlAuditSink? audit = null;
        try
        {
            if (!options.ReadOnly)
            {
                layout.RemoveTemporaryFiles();
            }

            log = new JsonlEventLog(layout, options.ReadOnly);
            audit = new JsonlAuditSink(layout, options.ReadOnly);
            var workspace = new MemoryWorkspace(new FileGraphStore(layout), log, audit, options, [log, audit, held], layout.Root);
            foreach (var graphId in workspace.Store.ListGraphs())
            {
                log.LastSequence(graphId);
            }

            workspace._recovered.AddRange(log.Recovered);
            workspace._recovered.AddRange(audit.Recovered);
            foreach (var torn in workspace._recovered)
            {
                RuntimeLog.TornLineRecovered(workspace.Loggers.Storage, workspace.Location, torn.Code, $"{torn.Location.Path}({torn.Location.Line})");
            }

            if (!options.ReadOnly)
            {
                // The lock is ours alone: an apply journal left behind was cut off by a crash, never in progress.
                workspace.FinishInterruptedApplies(exclusive: true);
            }

            return workspace;
        }
        catch
        {
            log?.Dispose();
            audit?.Dispose();
            held.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Finishes every lifecycle apply a crash cut off after its record was logged (its journal is still there): history
    /// loses what it forgot, the snapshot is rewritten and its audit record is written, once. A journal whose record
    /// never reached the log is cleared when <paramref name="exclusive"/> (no other process can be applying it now).
    /// Opening a folder workspace does this; a shared store (PostgreSQL) does it on open for applies already logged.
    /// </summary>
    public void FinishInterruptedApplies(bool exclusive)
    {
        foreach (var graphId in Graphs)
        {
            if (Store.LoadJournal(graphId) is not { } journal)
            {
                continue;
            }

            var granted = StoredContent.Read(journal, $"{LogLocation(graphId)} (apply journal)", 1, RecordJson.ReadAudit);
            if (Log.Read(graphId).FirstOrDefault(record => record.Operation == granted.Operation) is { } logged)
            {
                Synchronously.Run(ReviewGate.FinishAsync(useAsync: false, this, logged, granted, recovering: true));
            }
            else if (exclusive)
            {
                Store.SaveJournal(graphId, null);
            }
        }
    }

    /// <summary>A workspace in process memory.</summary>
    public static MemoryWorkspace InMemory(WorkspaceOptions? options = null) =>
        new(new InMemoryGraphStore(), new InMemoryEventLog(), new InMemoryAuditSink(), options);

    /// <summary>Branch, merge, abandon and compact conversational paths.</summary>
    public PathOperations Paths => _paths ??= new PathOperations(this);

    /// <summary>Plan lifecycle actions, apply them behind the review gate, settle reviews.</summary>
    public LifecycleOperations Lifecycle => _lifecycle ??= new LifecycleOperations(this);

    /// <summary>Retrieve memory through the policy gateway.</summary>
    public Retrieval.RetrievalService Retrieval => _retrieval ??= new Retrieval.RetrievalService(this);

    /// <summary>The ids of the graphs, ordinal order.</summary>
    public IReadOnlyList<string> Graphs => Store.ListGraphs();

    /// <summary>The ids of the profiles, ordinal order.</summary>
    public IReadOnlyList<string> Profiles => Store.ListProfiles();

    /// <summary>
    /// Imports a graph or profile fixture after the contract core has validated it. A fixture with contract errors
    /// is refused with those diagnostics and MC5015, and nothing is written.
    /// </summary>
    /// <returns>The id of the imported graph or profile.</returns>
    public string Import(string fixturePath, string actor) =>
        Synchronously.Run(ImportAsync(useAsync: false, fixturePath, actor, CancellationToken.None));

    /// <inheritdoc />
    public ValueTask<string> ImportAsync(string fixturePath, string actor, CancellationToken cancellationToken = default) =>
        ImportAsync(useAsync: true, fixturePath, actor, cancellationToken);

    private async ValueTask<string> ImportAsync(bool useAsync, string fixturePath, string actor, CancellationToken cancellationToken)
    {
        var result = await ValidateFixtureAsync(useAsync, fixturePath, cancellationToken).ConfigureAwait(false);
        var errors = result.Diagnostics.Where(diagnostic => diagnostic.IsError).ToList();
        string? refusal = errors.Count > 0
            ? $"it has {errors.Count} contract error(s)"
            : result.Graph is null && result.Profile is null ? $"it is a {result.Contract?.SchemaVersion ?? "non-contract"} file; only graphs and profiles are imported" : null;
        if (refusal is not null)
        {
            errors.Add(DiagnosticCatalog.ImportRefused.Create(SourceLocation.File(result.Path), result.Path, refusal));
            await WriteAuditAsync(useAsync, "import", actor, AuditDecision.Denied, null, [result.Path], refusal, cancellationToken: CancellationToken.None).ConfigureAwait(false);
            throw new MemoryStoreException(errors);
        }

        if (result.Profile is { } profile)
        {
            if (ReviewerKeyProblem(profile) is { } problem)
            {
                await WriteAuditAsync(useAsync, "import", actor, AuditDecision.Denied, null, [result.Path], problem, cancellationToken: CancellationToken.None).ConfigureAwait(false);
                throw new MemoryStoreException(DiagnosticCatalog.ImportRefused.Create(SourceLocation.File(result.Path), result.Path, problem));
            }

            await ImportProfileAsync(useAsync, profile, actor, cancellationToken).ConfigureAwait(false);
            return profile.Id;
        }

        await ImportGraphAsync(useAsync, result.Graph!, actor, cancellationToken).ConfigureAwait(false);
        return result.Graph!.Id;
    }

    /// <summary>
    /// Reads and validates a fixture; asynchronously, the file is read with an asynchronous read (a file that cannot
    /// be read is then reported by the validator's own read, as the blocking form reports it).
    /// </summary>
    private static async ValueTask<FixtureResult> ValidateFixtureAsync(bool useAsync, string fixturePath, CancellationToken cancellationToken)
    {
        if (useAsync)
        {
            try
            {
                var content = await File.ReadAllBytesAsync(fixturePath, cancellationToken).ConfigureAwait(false);
                return new ContractValidator().Validate(fixturePath, content);
            }
            catch (Exception exception) when (FileReadProblem.IsReadFailure(exception))
            {
                // Fall through to the validator's read, which turns the failure into its positioned MC1010.
            }
        }

        return new ContractValidator().Validate(fixturePath);
    }

    /// <summary>Why a profile's reviewer keys cannot be used (not an ECDSA P-256 key, or a key for someone who is no reviewer), or null.</summary>
    private static string? ReviewerKeyProblem(MemoryProfile profile)
    {
        foreach (var (reviewer, key) in profile.ReviewerKeys)
        {
            if (!profile.Reviewers.Contains(reviewer, StringComparer.Ordinal))
            {
                return $"review.reviewer_keys names '{reviewer}', who is not in review.reviewers";
            }

            if (!Review.ApprovalSigner.IsValidPublicKey(key))
            {
                return $"review.reviewer_keys.{reviewer} is not an ECDSA P-256 public key (ecdsa-p256: and the base64 SubjectPublicKeyInfo, as store keygen prints it)";
            }
        }

        return null;
    }

    /// <summary>Stores a validated profile, replacing one with the same id.</summary>
    public void ImportProfile(MemoryProfile profile, string actor) =>
        Synchronously.Run(ImportProfileAsync(useAsync: false, profile, actor, CancellationToken.None));

    private async ValueTask ImportProfileAsync(bool useAsync, MemoryProfile profile, string actor, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (useAsync)
        {
            await Store.SaveProfileAsync(profile, CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            Store.SaveProfile(profile);
        }

        await WriteAuditAsync(useAsync, "import", actor, AuditDecision.Granted, null, [profile.Id], "profile", cancellationToken: CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// Imports a validated graph as one record that puts its nodes and edges, followed by one record per event;
    /// all are appended together (one write, one fsync). Event ids already logged are refused (MC5008).
    /// </summary>
    public void ImportGraph(MemoryGraph graph, string actor) =>
        Synchronously.Run(ImportGraphAsync(useAsync: false, graph, actor, CancellationToken.None));

    private async ValueTask ImportGraphAsync(bool useAsync, MemoryGraph graph, string actor, CancellationToken cancellationToken)
    {
        var operation = NewOperationId();
        var records = new List<MemoryRecord>
        {
            new(0, Now(), null, new GraphChanges { PutNodes = graph.Nodes.Select(Detached).ToArray(), PutEdges = graph.Edges.Select(Detached).ToArray() }) { Operation = operation },
        };
        records.AddRange(graph.Events.Select(graphEvent => new MemoryRecord(0, graphEvent.At, Detached(graphEvent), GraphChanges.None) { Operation = operation }));
        if ((useAsync ? await Store.LoadGraphAsync(graph.Id, cancellationToken).ConfigureAwait(false) : Store.LoadGraph(graph.Id)) is null)
        {
            // A new graph exists once its header does, and its header is written only after its records are durable:
            // a failed write (a full disk, a refused row) leaves no graph behind, empty or half imported. Once the
            // records are committed, the header is written whatever the token says.
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            if (useAsync)
            {
                await Log.AppendAsync(graph.Id, records, expectedSequence: 0, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                Log.Append(graph.Id, records, expectedSequence: 0);
            }

            MemoryTelemetry.RecordsCommitted(Location, records.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            if (useAsync)
            {
                await Store.CreateGraphAsync(new GraphHeader(graph.Id, graph.Title, graph.Description), CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                Store.CreateGraph(new GraphHeader(graph.Id, graph.Title, graph.Description));
            }
        }
        else
        {
            await AppendRecordsAsync(useAsync, graph.Id, records, expectedSequence: null, cancellationToken).ConfigureAwait(false);
        }

        await WriteAuditAsync(useAsync, "import", actor, AuditDecision.Granted, graph.Id, [graph.Id, .. graph.Nodes.Select(node => node.Id)], $"{graph.Nodes.Count} nodes, {graph.Edges.Count} edges, {graph.Events.Count} events", operation: operation, cancellationToken: CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// Appends one event and the changes it makes, keeping the graph one the contract accepts: the event, nodes and
    /// edges pass the graph schema and semantics as an imported fixture does (MC1003, MC2001-MC2004, ...), ids are
    /// unique across nodes, edges and events (MC2004), on the main path an edge must end at nodes the graph holds and
    /// a removed node may leave no edge dangling (MC2005), duplicate event ids are refused (MC5008), an event on a
    /// merged or abandoned path is refused (MC5013), and a new <c>contradicts</c> edge puts both of its ends up for
    /// review in the same record. Returns when the record is durable.
    /// </summary>
    /// <remarks>A granted append is recorded by the log itself (actor, event); a refused one leaves one denied audit record.</remarks>
    public MemoryRecord Append(string graphId, GraphEvent graphEvent, GraphChanges? changes = null, long? expectedSequence = null) =>
        Synchronously.Run(AppendAsync(useAsync: false, graphId, graphEvent, changes, expectedSequence, CancellationToken.None));

    /// <inheritdoc />
    public ValueTask<MemoryRecord> AppendAsync(string graphId, GraphEvent graphEvent, GraphChanges? changes = null, long? expectedSequence = null, CancellationToken cancellationToken = default) =>
        AppendAsync(useAsync: true, graphId, graphEvent, changes, expectedSequence, cancellationToken);

    internal async ValueTask<MemoryRecord> AppendAsync(bool useAsync, string graphId, GraphEvent graphEvent, GraphChanges? changes, long? expectedSequence, CancellationToken cancellationToken)
    {
        using var activity = MemoryTelemetry.Start("memory.append", Location, graphId);
        try
        {
            return await AuditRefusalAsync(useAsync, "append", graphEvent.Actor ?? "unknown", graphId, [graphEvent.Id], () => AppendCheckedAsync(useAsync, graphId, graphEvent, changes ?? GraphChanges.None, expectedSequence, cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is MemoryStoreException or IOException)
        {
            var code = exception is MemoryStoreException refusal ? refusal.Code : "io";
            MemoryTelemetry.AppendFailed(Location, code);
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, code);
            throw;
        }
    }

    /// <summary>
    /// Appends one event as <see cref="Append"/> does, treating its id as an idempotency key: when the log already
    /// holds an event with this id and the record it wrote is this request (the same event and changes), the logged
    /// record comes back with <c>Replayed</c> true and nothing is written; another request under a logged id is MC5027.
    /// A retried call (a lost response, a client that sends twice) never writes twice and never hides a conflict.
    /// </summary>
    public (MemoryRecord Record, bool Replayed) AppendOnce(string graphId, GraphEvent graphEvent, GraphChanges? changes = null) =>
        Synchronously.Run(AppendOnceAsync(useAsync: false, graphId, graphEvent, changes, CancellationToken.None));

    /// <inheritdoc />
    public ValueTask<(MemoryRecord Record, bool Replayed)> AppendOnceAsync(string graphId, GraphEvent graphEvent, GraphChanges? changes = null, CancellationToken cancellationToken = default) =>
        AppendOnceAsync(useAsync: true, graphId, graphEvent, changes, cancellationToken);

    private async ValueTask<(MemoryRecord Record, bool Replayed)> AppendOnceAsync(bool useAsync, string graphId, GraphEvent graphEvent, GraphChanges? changes, CancellationToken cancellationToken)
    {
        changes ??= GraphChanges.None;
        var logged = await ContainsEventAsync(useAsync, graphId, graphEvent.Id, cancellationToken).ConfigureAwait(false)
            ? (await ReadLogAsync(useAsync, graphId, 0, cancellationToken).ConfigureAwait(false)).FirstOrDefault(record => record.Event?.Id == graphEvent.Id)
            : null;
        if (logged is null)
        {
            return (await AppendAsync(useAsync, graphId, graphEvent, changes, null, cancellationToken).ConfigureAwait(false), false);
        }

        static byte[] Request(MemoryRecord record) =>
            MemoryJson.WriteRecord(new MemoryRecord(0, record.At, record.Event, record.Changes with { OpenReviews = [] }));

        return Request(logged).AsSpan().SequenceEqual(Request(new MemoryRecord(0, graphEvent.At, graphEvent, changes)))
            ? (logged, true)
            : await AuditRefusalAsync<(MemoryRecord, bool)>(useAsync, "append", graphEvent.Actor ?? "unknown", graphId, [graphEvent.Id], () =>
                throw MemoryStoreException.Create(DiagnosticCatalog.IdempotencyKeyReused, LogLocation(graphId), graphEvent.Id, $"event '{graphEvent.Id}' at sequence {logged.Sequence}")).ConfigureAwait(false);
    }

    private async ValueTask<MemoryRecord> AppendCheckedAsync(bool useAsync, string graphId, GraphEvent graphEvent, GraphChanges changes, long? expectedSequence, CancellationToken cancellationToken)
    {
        var live = await LiveAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
        RecordCheck.Check(graphId, graphEvent, changes, () => LogLocation(graphId));
        if (PathOperations.IsPathRecord(graphEvent))
        {
            throw MemoryStoreException.Create(DiagnosticCatalog.InvalidPathOperation, LogLocation(graphId), $"event '{graphEvent.Id}' would change the state of a path; paths are branched, merged, abandoned and compacted only by the path operations");
        }

        if (graphEvent.Path is { } path && path != MemoryPaths.Main
            && PathBook.Read(await ReadLogAsync(useAsync, graphId, 0, cancellationToken).ConfigureAwait(false)).Find(path) is { Status: not PathStatus.Open } closed)
        {
            throw MemoryStoreException.Create(DiagnosticCatalog.InvalidPathOperation, LogLocation(graphId), $"path '{path}' is {closed.Status.ToString().ToLowerInvariant()}; events go to open paths");
        }

        var loggedIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in changes.PutNodes.Select(node => node.Id).Concat(changes.PutEdges.Select(edge => edge.Id)))
        {
            if (await ContainsEventAsync(useAsync, graphId, id, cancellationToken).ConfigureAwait(false))
            {
                loggedIds.Add(id);
            }
        }

        lock (live)
        {
            RecordCheck.CheckIds(live.State, loggedIds, graphId, graphEvent, changes, () => LogLocation(graphId));
            if (graphEvent.Path is null or MemoryPaths.Main)
            {
                RecordCheck.CheckEndpoints(live.State, changes, () => LogLocation(graphId));
            }

            changes = ContradictionReview.Flag(live.State, changes, graphEvent.Id);
        }

        return (await AppendRecordsAsync(useAsync, graphId, [new MemoryRecord(0, graphEvent.At, graphEvent, changes)], expectedSequence, cancellationToken).ConfigureAwait(false))[0];
    }

    /// <summary>A copy of the current state of a graph's main path.</summary>
    public GraphState Copy(string graphId) => Synchronously.Run(CopyAsync(useAsync: false, graphId, CancellationToken.None));

    /// <summary>A copy of the current state of a graph's main path.</summary>
    internal async ValueTask<GraphState> CopyAsync(bool useAsync, string graphId, CancellationToken cancellationToken)
    {
        var live = await LiveAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
        lock (live)
        {
            return live.State.Clone();
        }
    }

    /// <summary>The live nodes of a graph, optionally of one kind, in order.</summary>
    public IReadOnlyList<GraphNode> Nodes(string graphId, string? kind = null) => Synchronously.Run(NodesAsync(useAsync: false, graphId, kind, CancellationToken.None));

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<GraphNode>> NodesAsync(string graphId, string? kind = null, CancellationToken cancellationToken = default) =>
        NodesAsync(useAsync: true, graphId, kind, cancellationToken);

    private async ValueTask<IReadOnlyList<GraphNode>> NodesAsync(bool useAsync, string graphId, string? kind, CancellationToken cancellationToken)
    {
        var live = await LiveAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
        lock (live)
        {
            return (kind is null ? live.State.Nodes : live.State.NodesOfKind(kind)).ToArray();
        }
    }

    /// <summary>The live edges of a graph, optionally only those leaving <paramref name="source"/> and/or arriving at <paramref name="target"/>.</summary>
    public IReadOnlyList<GraphEdge> Edges(string graphId, string? source = null, string? target = null) => Synchronously.Run(EdgesAsync(useAsync: false, graphId, source, target, CancellationToken.None));

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<GraphEdge>> EdgesAsync(string graphId, string? source = null, string? target = null, CancellationToken cancellationToken = default) =>
        EdgesAsync(useAsync: true, graphId, source, target, cancellationToken);

    private async ValueTask<IReadOnlyList<GraphEdge>> EdgesAsync(bool useAsync, string graphId, string? source, string? target, CancellationToken cancellationToken)
    {
        var live = await LiveAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
        lock (live)
        {
            var edges = source is not null ? live.State.EdgesFrom(source) : target is not null ? live.State.EdgesTo(target) : live.State.Edges;
            return edges.Where(edge => (source is null || edge.Source == source) && (target is null || edge.Target == target)).ToArray();
        }
    }

    /// <summary>The logged events of a graph in log order, optionally of one kind.</summary>
    public IEnumerable<GraphEvent> Events(string graphId, string? kind = null)
    {
        RequireGraph(graphId);
        return Log.Read(graphId).Select(record => record.Event).OfType<GraphEvent>().Where(graphEvent => kind is null || graphEvent.Kind == kind);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<GraphEvent> EventsAsync(string graphId, string? kind = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await RequireGraphAsync(useAsync: true, graphId, cancellationToken).ConfigureAwait(false);
        await foreach (var record in Log.ReadAsync(graphId, 0, cancellationToken).ConfigureAwait(false))
        {
            if (record.Event is { } graphEvent && (kind is null || graphEvent.Kind == kind))
            {
                yield return graphEvent;
            }
        }
    }

    /// <summary>Rebuilds a path of a graph from its log, up to a cutoff (all of it when null).</summary>
    /// <remarks>
    /// On the main path, a stored snapshot is the starting point when the cutoff lies after it (no cutoff, or an event
    /// logged after the snapshot): only the records that follow it are read. Otherwise the log is replayed from the start.
    /// </remarks>
    public GraphState Replay(string graphId, ReplayCutoff? cutoff = null, string path = MemoryPaths.Main) =>
        Synchronously.Run(ReplayAsync(useAsync: false, graphId, cutoff, path, CancellationToken.None));

    /// <inheritdoc />
    public ValueTask<GraphState> ReplayAsync(string graphId, ReplayCutoff? cutoff = null, string path = MemoryPaths.Main, CancellationToken cancellationToken = default) =>
        ReplayAsync(useAsync: true, graphId, cutoff, path, cancellationToken);

    internal async ValueTask<GraphState> ReplayAsync(bool useAsync, string graphId, ReplayCutoff? cutoff, string path, CancellationToken cancellationToken)
    {
        using var activity = MemoryTelemetry.Start("memory.replay", Location, graphId);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var state = await ReplayFromLogAsync(useAsync, graphId, cutoff, path, cancellationToken).ConfigureAwait(false);
        MemoryTelemetry.Replayed(Location, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        activity?.SetTag("memorycontracts.sequence", state.Sequence);
        return state;
    }

    private async ValueTask<GraphState> ReplayFromLogAsync(bool useAsync, string graphId, ReplayCutoff? cutoff, string path, CancellationToken cancellationToken)
    {
        await RequireGraphAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
        var location = LogLocation(graphId);
        if (path == MemoryPaths.Main && cutoff?.Time is null
            && await LoadSnapshotAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false) is { } snapshot
            && snapshot.Sequence <= await LastSequenceAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                return await FeedAsync(useAsync, new Replayer(graphId, path, null, cutoff, location, start: GraphState.FromSnapshot(snapshot)), graphId, snapshot.Sequence, cancellationToken).ConfigureAwait(false);
            }
            catch (MemoryStoreException exception) when (cutoff?.EventId is not null && exception.Code == DiagnosticCatalog.UnknownStoreItem.Code)
            {
                // The cutoff event comes before the snapshot: replay from the start.
            }
        }

        if (path == MemoryPaths.Main)
        {
            return await FeedAsync(useAsync, new Replayer(graphId, path, null, cutoff, location), graphId, 0, cancellationToken).ConfigureAwait(false);
        }

        // A branch needs its path records first; read the log once for both.
        var records = await ReadLogAsync(useAsync, graphId, 0, cancellationToken).ConfigureAwait(false);
        return Replayer.Replay(records, graphId, path, PathBook.Read(records), cutoff, location);
    }

    /// <summary>Feeds the graph's records after <paramref name="afterSequence"/> to a replay, streaming them, until it is complete.</summary>
    private async ValueTask<GraphState> FeedAsync(bool useAsync, Replayer replayer, string graphId, long afterSequence, CancellationToken cancellationToken)
    {
        if (!useAsync)
        {
            foreach (var record in Log.Read(graphId, afterSequence))
            {
                if (!replayer.Take(record))
                {
                    break;
                }
            }

            return replayer.Finish();
        }

        await foreach (var record in Log.ReadAsync(graphId, afterSequence, cancellationToken).ConfigureAwait(false))
        {
            if (!replayer.Take(record))
            {
                break;
            }
        }

        return replayer.Finish();
    }

    /// <summary>
    /// The graph as a <c>markitect.memory.graph.v1</c> envelope: the main path's nodes and edges and every logged
    /// event, deterministic and indented. Importing it into an empty workspace and exporting again gives the same bytes.
    /// </summary>
    public byte[] Export(string graphId) => Synchronously.Run(ExportAsync(useAsync: false, graphId, CancellationToken.None));

    /// <inheritdoc />
    public ValueTask<byte[]> ExportAsync(string graphId, CancellationToken cancellationToken = default) => ExportAsync(useAsync: true, graphId, cancellationToken);

    private async ValueTask<byte[]> ExportAsync(bool useAsync, string graphId, CancellationToken cancellationToken)
    {
        var header = await RequireGraphAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
        var live = await LiveAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
        GraphNode[] nodes;
        GraphEdge[] edges;
        lock (live)
        {
            nodes = live.State.Nodes.ToArray();
            edges = live.State.Edges.ToArray();
        }

        var events = (await ReadLogAsync(useAsync, graphId, 0, cancellationToken).ConfigureAwait(false)).Select(record => record.Event).OfType<GraphEvent>();
        return EnvelopeJson.WriteGraph(header, nodes, edges, Referencing(nodes, edges, events));
    }

    /// <summary>A replayed state as a <c>markitect.memory.graph.v1</c> envelope, with the events logged up to it.</summary>
    public byte[] Export(GraphState state)
    {
        var header = RequireGraph(state.GraphId);
        var events = Log.Read(state.GraphId).TakeWhile(record => record.Sequence <= state.Sequence).Select(record => record.Event).OfType<GraphEvent>();
        return EnvelopeJson.WriteGraph(header, state.Nodes, state.Edges, Referencing(state.Nodes, state.Edges, events));
    }

    /// <summary>
    /// The events as an export holds them: naming only nodes and edges the exported graph holds, so that it passes its
    /// contract (MC2006) and imports again. Ids of removed, forgotten or branch-only elements stay in the log.
    /// </summary>
    private static IEnumerable<GraphEvent> Referencing(IEnumerable<GraphNode> nodes, IEnumerable<GraphEdge> edges, IEnumerable<GraphEvent> events)
    {
        var nodeIds = nodes.Select(node => node.Id).ToHashSet(StringComparer.Ordinal);
        var edgeIds = edges.Select(edge => edge.Id).ToHashSet(StringComparer.Ordinal);
        return events.Select(graphEvent => graphEvent.Nodes.All(nodeIds.Contains) && graphEvent.Edges.All(edgeIds.Contains)
            ? graphEvent
            : graphEvent with { Nodes = graphEvent.Nodes.Where(nodeIds.Contains).ToArray(), Edges = graphEvent.Edges.Where(edgeIds.Contains).ToArray() });
    }

    /// <summary>Writes a snapshot of every graph's main path, so the next open replays only what follows.</summary>
    public void Checkpoint() => Synchronously.Run(CheckpointAsync(useAsync: false, CancellationToken.None));

    /// <inheritdoc />
    public ValueTask CheckpointAsync(CancellationToken cancellationToken = default) => CheckpointAsync(useAsync: true, cancellationToken);

    internal async ValueTask CheckpointAsync(bool useAsync, CancellationToken cancellationToken)
    {
        foreach (var graphId in useAsync ? await Store.ListGraphsAsync(cancellationToken).ConfigureAwait(false) : Store.ListGraphs())
        {
            var live = await LiveAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
            GraphSnapshot snapshot;
            lock (live)
            {
                snapshot = live.State.ToSnapshot();
            }

            if (useAsync)
            {
                await Store.SaveSnapshotAsync(snapshot, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                Store.SaveSnapshot(snapshot);
            }
        }
    }

    /// <summary>
    /// Checks the whole workspace without changing it and returns every problem with its code and position
    /// (MC5001-MC5008; see <c>dotnet memory store repair</c>).
    /// </summary>
    public IReadOnlyList<ContractDiagnostic> Repair() => WorkspaceRepair.Check(this);

    /// <summary>
    /// Compares a graph's stored snapshot with what replaying its log to the snapshot's position gives; MC5017 with
    /// both content hashes when they differ, null when they agree or there is no snapshot.
    /// </summary>
    public ContractDiagnostic? CheckDrift(string graphId)
    {
        RequireGraph(graphId);
        if (Store.LoadSnapshot(graphId) is not { } snapshot)
        {
            return null;
        }

        var replayed = Replayer.Replay(Log.Read(graphId), graphId, MemoryPaths.Main, null, null, LogLocation(graphId), snapshot.Sequence).ToSnapshot() with { Sequence = snapshot.Sequence };
        var stored = MemoryJson.ContentHash(snapshot);
        var expected = MemoryJson.ContentHash(replayed);
        return stored == expected ? null : DiagnosticCatalog.SnapshotDrift.Create(SourceLocation.File(LogLocation(graphId)), graphId, snapshot.Sequence, stored, expected);
    }

    /// <summary>
    /// Records one operation a host performed on the workspace's behalf (a tool call of an agent server, say) in the
    /// audit log, granted or denied with the reason; returns its operation id. Durable when it returns.
    /// </summary>
    public string RecordAudit(string action, string actor, AuditDecision decision, string? graphId, IReadOnlyList<string> affected, string? reason) =>
        WriteAudit(action, actor, decision, graphId, affected, reason);

    /// <inheritdoc />
    public ValueTask<string> RecordAuditAsync(string action, string actor, AuditDecision decision, string? graphId, IReadOnlyList<string> affected, string? reason, CancellationToken cancellationToken = default) =>
        WriteAuditAsync(useAsync: true, action, actor, decision, graphId, affected, reason, cancellationToken: cancellationToken);

    /// <summary>Every audit record, in the order written.</summary>
    public IEnumerable<AuditRecord> AuditTrail() => Audit.Read();

    /// <inheritdoc />
    public IAsyncEnumerable<AuditRecord> AuditTrailAsync(CancellationToken cancellationToken = default) => Audit.ReadAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<Retrieval.RetrievalResult> RetrieveAsync(Retrieval.RetrievalQuery query, Retrieval.RetrievalSubject subject, CancellationToken cancellationToken = default) =>
        Retrieval.RetrieveAsync(query, subject, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    internal GraphHeader RequireGraph(string graphId) => Synchronously.Run(RequireGraphAsync(useAsync: false, graphId, CancellationToken.None));

    internal async ValueTask<GraphHeader> RequireGraphAsync(bool useAsync, string graphId, CancellationToken cancellationToken) =>
        (useAsync ? await Store.LoadGraphAsync(graphId, cancellationToken).ConfigureAwait(false) : Store.LoadGraph(graphId))
        ?? throw MemoryStoreException.Create(DiagnosticCatalog.UnknownStoreItem, Location, "graph", graphId, string.Empty);

    internal MemoryProfile RequireProfile(string profileId) => Synchronously.Run(RequireProfileAsync(useAsync: false, profileId, CancellationToken.None));

    internal async ValueTask<MemoryProfile> RequireProfileAsync(bool useAsync, string profileId, CancellationToken cancellationToken) =>
        (await LoadProfileAsync(useAsync, profileId, cancellationToken).ConfigureAwait(false))
        ?? throw MemoryStoreException.Create(DiagnosticCatalog.UnknownStoreItem, Location, "profile", profileId, string.Empty);

    internal async ValueTask<MemoryProfile?> LoadProfileAsync(bool useAsync, string profileId, CancellationToken cancellationToken) =>
        useAsync ? await Store.LoadProfileAsync(profileId, cancellationToken).ConfigureAwait(false) : Store.LoadProfile(profileId);

    /// <summary>The file the log of a graph lives in, for diagnostics; the graph id for adapters without files.</summary>
    internal string LogLocation(string graphId) => Log.LocationOf(graphId);

    /// <summary>Appends records and applies them to the live main path in sequence order, whatever order appenders are acknowledged in.</summary>
    internal IReadOnlyList<MemoryRecord> AppendRecords(string graphId, IReadOnlyList<MemoryRecord> records, long? expectedSequence) =>
        Synchronously.Run(AppendRecordsAsync(useAsync: false, graphId, records, expectedSequence, CancellationToken.None));

    /// <inheritdoc cref="AppendRecords" />
    internal async ValueTask<IReadOnlyList<MemoryRecord>> AppendRecordsAsync(bool useAsync, string graphId, IReadOnlyList<MemoryRecord> records, long? expectedSequence, CancellationToken cancellationToken)
    {
        var live = await LiveAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var stored = useAsync
            ? await Log.AppendAsync(graphId, records, expectedSequence, cancellationToken).ConfigureAwait(false)
            : Log.Append(graphId, records, expectedSequence);
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        MemoryTelemetry.RecordsCommitted(Location, stored.Count, elapsed);
        RuntimeLog.RecordsAppended(Loggers.Storage, stored.Count, graphId, stored[^1].Sequence, elapsed.TotalMilliseconds);
        lock (live)
        {
            foreach (var record in stored)
            {
                live.Pending[record.Sequence] = record;
            }

            while (live.Pending.Remove(live.State.Sequence + 1, out var next))
            {
                Advance(live.State, next);
            }
        }

        return stored;
    }

    /// <summary>
    /// Runs an audited operation: when the workspace refuses it (any <see cref="MemoryStoreException"/>), one denied
    /// audit record with the diagnostic, code included, is written before the refusal goes on to the caller.
    /// </summary>
    internal T AuditRefusal<T>(string action, string actor, string? graphId, IReadOnlyList<string> affected, Func<T> operation, Approval? approval = null) =>
        Synchronously.Run(AuditRefusalAsync(useAsync: false, action, actor, graphId, affected, () => ValueTask.FromResult(operation()), approval));

    /// <inheritdoc cref="AuditRefusal" />
    /// <remarks>The denied record is written even when the caller's token is cancelled: a refusal is never left unaudited.</remarks>
    internal async ValueTask<T> AuditRefusalAsync<T>(bool useAsync, string action, string actor, string? graphId, IReadOnlyList<string> affected, Func<ValueTask<T>> operation, Approval? approval = null)
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

    internal string WriteAudit(string action, string actor, AuditDecision decision, string? graphId, IReadOnlyList<string> affected, string? reason, Approval? approval = null, string? operation = null) =>
        Synchronously.Run(WriteAuditAsync(useAsync: false, action, actor, decision, graphId, affected, reason, approval, operation, CancellationToken.None));

    internal async ValueTask<string> WriteAuditAsync(bool useAsync, string action, string actor, AuditDecision decision, string? graphId, IReadOnlyList<string> affected, string? reason, Approval? approval = null, string? operation = null, CancellationToken cancellationToken = default)
    {
        operation ??= NewOperationId();
        await WriteAuditAsync(useAsync, new AuditRecord(operation, Now(), actor, action, decision, graphId, affected) { Reason = reason, Approval = approval }, cancellationToken).ConfigureAwait(false);
        return operation;
    }

    /// <summary>Writes an audit record (durable when it returns), counting review-gate decisions.</summary>
    internal void WriteAudit(AuditRecord record) => Synchronously.Run(WriteAuditAsync(useAsync: false, record, CancellationToken.None));

    /// <inheritdoc cref="WriteAudit(AuditRecord)" />
    internal async ValueTask WriteAuditAsync(bool useAsync, AuditRecord record, CancellationToken cancellationToken)
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

    internal static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    internal static string NewOperationId() => "op-" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>The graph's records after <paramref name="afterSequence"/>, read into a list.</summary>
    internal async ValueTask<List<MemoryRecord>> ReadLogAsync(bool useAsync, string graphId, long afterSequence, CancellationToken cancellationToken)
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

    internal async ValueTask<bool> ContainsEventAsync(bool useAsync, string graphId, string eventId, CancellationToken cancellationToken) =>
        useAsync ? await Log.ContainsEventAsync(graphId, eventId, cancellationToken).ConfigureAwait(false) : Log.ContainsEvent(graphId, eventId);

    internal async ValueTask<long> LastSequenceAsync(bool useAsync, string graphId, CancellationToken cancellationToken) =>
        useAsync ? await Log.LastSequenceAsync(graphId, cancellationToken).ConfigureAwait(false) : Log.LastSequence(graphId);

    private async ValueTask<GraphSnapshot?> LoadSnapshotAsync(bool useAsync, string graphId, CancellationToken cancellationToken) =>
        useAsync ? await Store.LoadSnapshotAsync(graphId, cancellationToken).ConfigureAwait(false) : Store.LoadSnapshot(graphId);

    /// <summary>
    /// The live main path of a graph, loaded on first use. Two first uses may both load it; the first to finish is
    /// kept, which is safe because every append finds the graph live before it writes.
    /// </summary>
    private async ValueTask<LiveGraph> LiveAsync(bool useAsync, string graphId, CancellationToken cancellationToken)
    {
        lock (_live)
        {
            if (_live.TryGetValue(graphId, out var known))
            {
                return known;
            }
        }

        await RequireGraphAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
        var loaded = new LiveGraph(await LoadAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false));
        lock (_live)
        {
            return _live.TryAdd(graphId, loaded) ? loaded : _live[graphId];
        }
    }

    private async ValueTask<GraphState> LoadAsync(bool useAsync, string graphId, CancellationToken cancellationToken)
    {
        var snapshot = await LoadSnapshotAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
        if (snapshot is not null && snapshot.Sequence > await LastSequenceAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false))
        {
            // The log is the truth: a snapshot ahead of it cannot be trusted.
            snapshot = null;
        }

        var state = snapshot is null ? new GraphState(graphId) : GraphState.FromSnapshot(snapshot);
        if (!useAsync)
        {
            foreach (var record in Log.Read(graphId, state.Sequence))
            {
                Advance(state, record);
            }

            return state;
        }

        await foreach (var record in Log.ReadAsync(graphId, state.Sequence, cancellationToken).ConfigureAwait(false))
        {
            Advance(state, record);
        }

        return state;
    }

    /// <summary>Applies a main-path record to the live state; a branch record only moves its sequence on.</summary>
    private static void Advance(GraphState state, MemoryRecord record)
    {
        if (record.PathId == MemoryPaths.Main)
        {
            state.Apply(record);
        }
        else
        {
            state.AdvanceTo(record.Sequence);
        }
    }

    /// <summary>Copies a fixture element without its fixture position (stored records have none).</summary>
    private static GraphNode Detached(GraphNode node) => node with { Origin = default };

    private static GraphEdge Detached(GraphEdge edge) => edge with { Origin = default };

    private static GraphEvent Detached(GraphEvent graphEvent) => graphEvent with { Origin = default };

    private sealed class LiveGraph(GraphState state)
    {
        public GraphState State { get; } = state;

        public Dictionary<long, MemoryRecord> Pending { get; } = [];
    }
}

using System.Runtime.CompilerServices;
using MemoryContracts.Diagnostics;
using MemoryContracts.Model;
using MemoryContracts.Runtime.Appending;
using MemoryContracts.Runtime.Exporting;
using MemoryContracts.Runtime.Importing;
using MemoryContracts.Runtime.Json;
using MemoryContracts.Runtime.Kernel;
using MemoryContracts.Runtime.Lifecycle;
using MemoryContracts.Runtime.Paths;
using MemoryContracts.Runtime.Storage;
using MemoryContracts.Runtime.Storage.Files;
using MemoryContracts.Runtime.Storage.InMemory;
using MemoryContracts.Runtime.Telemetry;

namespace MemoryContracts.Runtime;

/// <summary>
/// A memory workspace: graphs and profiles imported from validated fixtures, an append-only event log per graph,
/// and an audit log, over any adapters of the three ports (files, memory, PostgreSQL). The main path of each graph
/// is kept live; every other view (a cutoff, a branch) is replayed from the log.
/// </summary>
public sealed class MemoryWorkspace : IMemoryWorkspace, IDisposable
{
    private readonly IReadOnlyList<IDisposable> _owned;
    private readonly FixtureImporter _importer;
    private readonly GraphExport _export;
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
        Kernel = new WorkspaceKernel(store, log, audit, options, location);
        Appender = new EventAppender(Kernel);
        _importer = new FixtureImporter(Kernel);
        _export = new GraphExport(Kernel);
        _owned = owned;
    }

    /// <summary>What the workspace's features stand on.</summary>
    internal WorkspaceKernel Kernel { get; }

    /// <summary>Checked, audited appends (the toolbelt's ledger writes through it too).</summary>
    internal EventAppender Appender { get; }

    /// <summary>The graph store.</summary>
    public IMemoryGraphStore Store => Kernel.Store;

    /// <summary>The event log.</summary>
    public IMemoryEventLog Log => Kernel.Log;

    /// <summary>The audit sink.</summary>
    public IAuditSink Audit => Kernel.Audit;

    /// <summary>The options.</summary>
    public WorkspaceOptions Options => Kernel.Options;

    /// <summary>Where the workspace lives: its folder, or <c>memory</c>.</summary>
    public string Location => Kernel.Location;

    /// <summary>What opening recovered from (torn last lines, MC5004), so that it is reported, never silently dropped.</summary>
    public IReadOnlyList<ContractDiagnostic> Recovered => Kernel.Recovered;

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

            workspace.Kernel.Recovered.AddRange(log.Recovered);
            workspace.Kernel.Recovered.AddRange(audit.Recovered);
            foreach (var torn in workspace.Kernel.Recovered)
            {
                RuntimeLog.TornLineRecovered(workspace.Kernel.Loggers.Storage, workspace.Location, torn.Code, $"{torn.Location.Path}({torn.Location.Line})");
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
    public void FinishInterruptedApplies(bool exclusive) => Lifecycle.FinishInterruptedApplies(exclusive);

    /// <summary>A workspace in process memory.</summary>
    public static MemoryWorkspace InMemory(WorkspaceOptions? options = null) =>
        new(new InMemoryGraphStore(), new InMemoryEventLog(), new InMemoryAuditSink(), options);

    /// <summary>Branch, merge, abandon and compact conversational paths.</summary>
    public PathOperations Paths => _paths ??= new PathOperations(Kernel);

    /// <summary>Plan lifecycle actions, apply them behind the review gate, settle reviews.</summary>
    public LifecycleOperations Lifecycle => _lifecycle ??= new LifecycleOperations(Kernel);

    /// <summary>Retrieve memory through the policy gateway.</summary>
    public Retrieval.RetrievalService Retrieval => _retrieval ??= new Retrieval.RetrievalService(Kernel);

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
        Synchronously.Run(_importer.ImportAsync(useAsync: false, fixturePath, actor, CancellationToken.None));

    /// <inheritdoc />
    public ValueTask<string> ImportAsync(string fixturePath, string actor, CancellationToken cancellationToken = default) =>
        _importer.ImportAsync(useAsync: true, fixturePath, actor, cancellationToken);

    /// <summary>Stores a validated profile, replacing one with the same id.</summary>
    public void ImportProfile(MemoryProfile profile, string actor) =>
        Synchronously.Run(_importer.ImportProfileAsync(useAsync: false, profile, actor, CancellationToken.None));

    /// <summary>
    /// Imports a validated graph as one record that puts its nodes and edges, followed by one record per event;
    /// all are appended together (one write, one fsync). Event ids already logged are refused (MC5008).
    /// </summary>
    public void ImportGraph(MemoryGraph graph, string actor) =>
        Synchronously.Run(_importer.ImportGraphAsync(useAsync: false, graph, actor, CancellationToken.None));

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
        Synchronously.Run(Appender.AppendAsync(useAsync: false, graphId, graphEvent, changes, expectedSequence, CancellationToken.None));

    /// <inheritdoc />
    public ValueTask<MemoryRecord> AppendAsync(string graphId, GraphEvent graphEvent, GraphChanges? changes = null, long? expectedSequence = null, CancellationToken cancellationToken = default) =>
        Appender.AppendAsync(useAsync: true, graphId, graphEvent, changes, expectedSequence, cancellationToken);

    /// <summary>
    /// Appends one event as <see cref="Append"/> does, treating its id as an idempotency key: when the log already
    /// holds an event with this id and the record it wrote is this request (the same event and changes), the logged
    /// record comes back with <c>Replayed</c> true and nothing is written; another request under a logged id is MC5027.
    /// A retried call (a lost response, a client that sends twice) never writes twice and never hides a conflict.
    /// </summary>
    public (MemoryRecord Record, bool Replayed) AppendOnce(string graphId, GraphEvent graphEvent, GraphChanges? changes = null) =>
        Synchronously.Run(Appender.AppendOnceAsync(useAsync: false, graphId, graphEvent, changes, CancellationToken.None));

    /// <inheritdoc />
    public ValueTask<(MemoryRecord Record, bool Replayed)> AppendOnceAsync(string graphId, GraphEvent graphEvent, GraphChanges? changes = null, CancellationToken cancellationToken = default) =>
        Appender.AppendOnceAsync(useAsync: true, graphId, graphEvent, changes, cancellationToken);

    /// <summary>A copy of the current state of a graph's main path.</summary>
    public GraphState Copy(string graphId) => Synchronously.Run(Kernel.CopyAsync(useAsync: false, graphId, CancellationToken.None));

    /// <summary>The live nodes of a graph, optionally of one kind, in order.</summary>
    public IReadOnlyList<GraphNode> Nodes(string graphId, string? kind = null) => Synchronously.Run(NodesAsync(useAsync: false, graphId, kind, CancellationToken.None));

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<GraphNode>> NodesAsync(string graphId, string? kind = null, CancellationToken cancellationToken = default) =>
        NodesAsync(useAsync: true, graphId, kind, cancellationToken);

    private async ValueTask<IReadOnlyList<GraphNode>> NodesAsync(bool useAsync, string graphId, string? kind, CancellationToken cancellationToken)
    {
        var live = await Kernel.LiveAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
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
        var live = await Kernel.LiveAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
        lock (live)
        {
            var edges = source is not null ? live.State.EdgesFrom(source) : target is not null ? live.State.EdgesTo(target) : live.State.Edges;
            return edges.Where(edge => (source is null || edge.Source == source) && (target is null || edge.Target == target)).ToArray();
        }
    }

    /// <summary>The logged events of a graph in log order, optionally of one kind.</summary>
    public IEnumerable<GraphEvent> Events(string graphId, string? kind = null)
    {
        Kernel.RequireGraph(graphId);
        return Log.Read(graphId).Select(record => record.Event).OfType<GraphEvent>().Where(graphEvent => kind is null || graphEvent.Kind == kind);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<GraphEvent> EventsAsync(string graphId, string? kind = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Kernel.RequireGraphAsync(useAsync: true, graphId, cancellationToken).ConfigureAwait(false);
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
        Synchronously.Run(Kernel.ReplayAsync(useAsync: false, graphId, cutoff, path, CancellationToken.None));

    /// <inheritdoc />
    public ValueTask<GraphState> ReplayAsync(string graphId, ReplayCutoff? cutoff = null, string path = MemoryPaths.Main, CancellationToken cancellationToken = default) =>
        Kernel.ReplayAsync(useAsync: true, graphId, cutoff, path, cancellationToken);

    /// <summary>
    /// The graph as a <c>markitect.memory.graph.v1</c> envelope: the main path's nodes and edges and every logged
    /// event, deterministic and indented. Importing it into an empty workspace and exporting again gives the same bytes.
    /// </summary>
    public byte[] Export(string graphId) => Synchronously.Run(_export.ExportAsync(useAsync: false, graphId, CancellationToken.None));

    /// <inheritdoc />
    public ValueTask<byte[]> ExportAsync(string graphId, CancellationToken cancellationToken = default) => _export.ExportAsync(useAsync: true, graphId, cancellationToken);

    /// <summary>A replayed state as a <c>markitect.memory.graph.v1</c> envelope, with the events logged up to it.</summary>
    public byte[] Export(GraphState state) => _export.Of(state);

    /// <summary>Writes a snapshot of every graph's main path, so the next open replays only what follows.</summary>
    public void Checkpoint() => Synchronously.Run(Kernel.CheckpointAsync(useAsync: false, CancellationToken.None));

    /// <inheritdoc />
    public ValueTask CheckpointAsync(CancellationToken cancellationToken = default) => Kernel.CheckpointAsync(useAsync: true, cancellationToken);

    /// <summary>
    /// Checks the whole workspace without changing it and returns every problem with its code and position
    /// (MC5001-MC5008; see <c>dotnet memory store repair</c>).
    /// </summary>
    public IReadOnlyList<ContractDiagnostic> Repair() => WorkspaceRepair.Check(Kernel);

    /// <summary>
    /// Compares a graph's stored snapshot with what replaying its log to the snapshot's position gives; MC5017 with
    /// both content hashes when they differ, null when they agree or there is no snapshot.
    /// </summary>
    public ContractDiagnostic? CheckDrift(string graphId) => WorkspaceRepair.CheckDrift(Kernel, graphId);

    /// <summary>
    /// Records one operation a host performed on the workspace's behalf (a tool call of an agent server, say) in the
    /// audit log, granted or denied with the reason; returns its operation id. Durable when it returns.
    /// </summary>
    public string RecordAudit(string action, string actor, AuditDecision decision, string? graphId, IReadOnlyList<string> affected, string? reason) =>
        Kernel.WriteAudit(action, actor, decision, graphId, affected, reason);

    /// <inheritdoc />
    public ValueTask<string> RecordAuditAsync(string action, string actor, AuditDecision decision, string? graphId, IReadOnlyList<string> affected, string? reason, CancellationToken cancellationToken = default) =>
        Kernel.WriteAuditAsync(useAsync: true, action, actor, decision, graphId, affected, reason, cancellationToken: cancellationToken);

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

    /// <summary>The workspace clock's time as records carry it: RFC 3339, UTC, milliseconds.</summary>
    public string Now() => Kernel.Now();
}

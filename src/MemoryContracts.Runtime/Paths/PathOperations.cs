using MemoryContracts.Diagnostics;
using MemoryContracts.Documents;
using MemoryContracts.Model;
using MemoryContracts.Runtime.Json;
using MemoryContracts.Runtime.Storage;
using MemoryContracts.Runtime.Kernel;

namespace MemoryContracts.Runtime.Paths;

/// <summary>Which side of a merge conflict to keep.</summary>
public enum MergeChoice
{
    /// <summary>Keep the branch's change.</summary>
    Branch,

    /// <summary>Keep the parent as it is; leave the branch's change out.</summary>
    Parent,
}

/// <summary>A change of a branch that needs a decision before it can be merged.</summary>
/// <param name="Id">The id of the changed node or edge (the key of a decision); a merge reports each id once.</param>
/// <param name="Reason">Why it conflicts; several reasons for one id are joined with <c>"; "</c>.</param>
public sealed record MergeConflict(string Id, string Reason);

/// <summary>What a merge did, or why it waits.</summary>
/// <param name="Merged">Whether the merge was written.</param>
/// <param name="Conflicts">Every conflict found, decided or not.</param>
/// <param name="Record">The merge record, when written.</param>
public sealed record MergeResult(bool Merged, IReadOnlyList<MergeConflict> Conflicts, MemoryRecord? Record)
{
    /// <summary>MC5012 with the undecided conflicts, when the merge waits.</summary>
    public ContractDiagnostic? Diagnostic { get; init; }
}

/// <summary>
/// Branch, merge, abandon and compact conversational paths. Every operation is one record in the graph's log and one
/// line in the audit log; a merge compares both sides since the fork and waits for decisions on conflicts.
/// </summary>
public sealed class PathOperations
{
    private static readonly string Contradicts = EdgeKind.Contradicts.ToWireName();
    private readonly WorkspaceKernel _kernel;

    internal PathOperations(WorkspaceKernel kernel)
    {
        _kernel = kernel;
    }

    /// <summary>The paths of a graph, read from its log.</summary>
    public PathBook Read(string graphId) => Synchronously.Run(ReadAsync(useAsync: false, graphId, CancellationToken.None));

    /// <inheritdoc cref="Read" />
    public ValueTask<PathBook> ReadAsync(string graphId, CancellationToken cancellationToken = default) => ReadAsync(useAsync: true, graphId, cancellationToken);

    private async ValueTask<PathBook> ReadAsync(bool useAsync, string graphId, CancellationToken cancellationToken) =>
        PathBook.Read((await RecordsAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false)).Records);

    /// <summary>Opens a new path from an open one (the active path by default) and makes it active.</summary>
    public MemoryRecord Branch(string graphId, string newPath, string actor, string? from = null) =>
        Synchronously.Run(BranchAsync(useAsync: false, graphId, newPath, actor, from, CancellationToken.None));

    /// <inheritdoc cref="Branch" />
    /// <remarks><paramref name="cancellationToken"/> is observed until the record is queued for commit (see <see cref="IMemoryWorkspace"/>).</remarks>
    public ValueTask<MemoryRecord> BranchAsync(string graphId, string newPath, string actor, string? from = null, CancellationToken cancellationToken = default) =>
        BranchAsync(useAsync: true, graphId, newPath, actor, from, cancellationToken);

    private ValueTask<MemoryRecord> BranchAsync(bool useAsync, string graphId, string newPath, string actor, string? from, CancellationToken cancellationToken) =>
        AuditedAsync(useAsync, "branch", graphId, newPath, actor, () => BranchCheckedAsync(useAsync, graphId, newPath, actor, from, cancellationToken));

    private async ValueTask<MemoryRecord> BranchCheckedAsync(bool useAsync, string graphId, string newPath, string actor, string? from, CancellationToken cancellationToken)
    {
        var book = await ReadAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
        var location = _kernel.LogLocation(graphId);
        from ??= book.Active;
        if (book.Find(newPath) is not null)
        {
            throw Refuse(graphId, $"path '{newPath}' already exists in graph '{graphId}'");
        }

        if (book.Require(from, location).Status != PathStatus.Open)
        {
            throw Refuse(graphId, $"path '{from}' is {book.Require(from, location).Status.ToString().ToLowerInvariant()}; branch from an open path");
        }

        return await WriteAsync(useAsync, graphId, actor, "branch", Event(EventKind.Branched, newPath, actor, $"branched from {from}", [], (PathBook.FromPath, from)), GraphChanges.None, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Abandons an open path with a reason; its records stay in the log, its changes never reach the parent.</summary>
    public MemoryRecord Abandon(string graphId, string path, string reason, string actor) =>
        Synchronously.Run(AbandonAsync(useAsync: false, graphId, path, reason, actor, CancellationToken.None));

    /// <inheritdoc cref="Abandon" />
    public ValueTask<MemoryRecord> AbandonAsync(string graphId, string path, string reason, string actor, CancellationToken cancellationToken = default) =>
        AbandonAsync(useAsync: true, graphId, path, reason, actor, cancellationToken);

    private ValueTask<MemoryRecord> AbandonAsync(bool useAsync, string graphId, string path, string reason, string actor, CancellationToken cancellationToken) =>
        AuditedAsync(useAsync, "abandon", graphId, path, actor, async () =>
        {
            RequireOpenBranch(graphId, await ReadAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false), path, "abandon");
            return await WriteAsync(useAsync, graphId, actor, "abandon", Event(EventKind.Deactivated, path, actor, reason, [], (PathBook.AbandonedPath, path), (PathBook.Reason, reason)), GraphChanges.None, null, cancellationToken).ConfigureAwait(false);
        });

    /// <summary>
    /// Merges an open path into its parent. Both sides' changes since the fork are compared: a node or edge changed
    /// on both sides to different values, or a <c>contradicts</c> edge on one side against a node the other side
    /// changed, is a conflict. With an undecided conflict nothing is written and the result lists the conflicts
    /// (MC5012 in the audit log); with a decision for each, the branch's changes (minus those decided for the
    /// parent) are written to the parent as one <c>merged</c> record that carries the merge marker.
    /// </summary>
    public MergeResult Merge(string graphId, string path, string actor, IReadOnlyDictionary<string, MergeChoice>? decisions = null) =>
        Synchronously.Run(MergeAsync(useAsync: false, graphId, path, actor, decisions, CancellationToken.None));

    /// <inheritdoc cref="Merge" />
    public ValueTask<MergeResult> MergeAsync(string graphId, string path, string actor, IReadOnlyDictionary<string, MergeChoice>? decisions = null, CancellationToken cancellationToken = default) =>
        MergeAsync(useAsync: true, graphId, path, actor, decisions, cancellationToken);

    private ValueTask<MergeResult> MergeAsync(bool useAsync, string graphId, string path, string actor, IReadOnlyDictionary<string, MergeChoice>? decisions, CancellationToken cancellationToken) =>
        AuditedAsync(useAsync, "merge", graphId, path, actor, () => MergeCheckedAsync(useAsync, graphId, path, actor, decisions ?? new Dictionary<string, MergeChoice>(), cancellationToken));

    private async ValueTask<MergeResult> MergeCheckedAsync(bool useAsync, string graphId, string path, string actor, IReadOnlyDictionary<string, MergeChoice> decisions, CancellationToken cancellationToken)
    {
        var (location, records) = await RecordsAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
        var last = records.Count == 0 ? 0 : records[^1].Sequence;
        var book = PathBook.Read(records);
        var branch = RequireOpenBranch(graphId, book, path, "merge");
        var parent = branch.Parent!;
        if (book.Require(parent, location).Status != PathStatus.Open)
        {
            throw Refuse(graphId, $"its parent path '{parent}' is {book.Require(parent, location).Status.ToString().ToLowerInvariant()}; a path merges only into an open parent, or its changes would be stranded");
        }

        var baseState = Replayer.Replay(records, graphId, parent, book, null, location, branch.ForkSequence);
        var branchState = Replayer.Replay(records, graphId, path, book, null, location);
        var parentState = Replayer.Replay(records, graphId, parent, book, null, location);
        var branchRecords = records.Where(record => record.PathId == path).ToList();
        var parentRecords = records.Where(record => record.PathId == parent && record.Sequence > branch.ForkSequence).ToList();
        var branchNodes = Touched(branchRecords, changes => changes.PutNodes.Select(node => node.Id).Concat(changes.RemoveNodes));
        var branchEdges = Touched(branchRecords, changes => changes.PutEdges.Select(edge => edge.Id).Concat(changes.RemoveEdges));
        var parentNodes = Touched(parentRecords, changes => changes.PutNodes.Select(node => node.Id).Concat(changes.RemoveNodes));
        var parentEdges = Touched(parentRecords, changes => changes.PutEdges.Select(edge => edge.Id).Concat(changes.RemoveEdges));

        var conflicts = new List<MergeConflict>();
        conflicts.AddRange(branchNodes.Where(id => parentNodes.Contains(id) && !Same(branchState.FindNode(id), parentState.FindNode(id)))
            .Select(id => new MergeConflict(id, $"node '{id}' was changed on both '{path}' and '{parent}'")));
        conflicts.AddRange(branchEdges.Where(id => parentEdges.Contains(id) && !Same(branchState.FindEdge(id), parentState.FindEdge(id)))
            .Select(id => new MergeConflict(id, $"edge '{id}' was changed on both '{path}' and '{parent}'")));
        foreach (var edge in branchEdges.Select(branchState.FindEdge).OfType<GraphEdge>().Where(edge => edge.Kind == Contradicts && baseState.FindEdge(edge.Id) is null))
        {
            foreach (var end in new[] { edge.Source, edge.Target }.Where(parentNodes.Contains))
            {
                conflicts.Add(new MergeConflict(edge.Id, $"'{path}' adds '{edge.Id}' ({edge.Source} contradicts {edge.Target}) against node '{end}', which '{parent}' changed"));
            }
        }

        foreach (var edge in parentEdges.Select(parentState.FindEdge).OfType<GraphEdge>().Where(edge => edge.Kind == Contradicts && baseState.FindEdge(edge.Id) is null))
        {
            foreach (var end in new[] { edge.Source, edge.Target }.Where(branchNodes.Contains))
            {
                conflicts.Add(new MergeConflict(end, $"'{parent}' adds '{edge.Id}' ({edge.Source} contradicts {edge.Target}) against node '{end}', which '{path}' changed"));
            }
        }

        // A node deleted on one side that the other side newly references would leave a dangling edge.
        foreach (var (deletedOn, deletedBy, referencedOn, referencing) in new[] { (path, branchState, parent, parentEdges.Select(parentState.FindEdge)), (parent, parentState, path, branchEdges.Select(branchState.FindEdge)) })
        {
            foreach (var edge in referencing.OfType<GraphEdge>().Where(edge => baseState.FindEdge(edge.Id) is null))
            {
                foreach (var end in new[] { edge.Source, edge.Target }.Where(id => deletedBy.FindNode(id) is null && baseState.FindNode(id) is not null))
                {
                    conflicts.Add(new MergeConflict(end, $"'{deletedOn}' deletes node '{end}', which '{referencedOn}' newly references with edge '{edge.Id}'"));
                }
            }
        }

        // One conflict per decision key: an id in conflict for several reasons is decided once, with every reason shown.
        conflicts = conflicts
            .GroupBy(conflict => conflict.Id, StringComparer.Ordinal)
            .Select(group => new MergeConflict(group.Key, string.Join("; ", group.Select(conflict => conflict.Reason).Distinct(StringComparer.Ordinal))))
            .OrderBy(conflict => conflict.Id, StringComparer.Ordinal)
            .ToList();
        if (decisions.Keys.Where(id => !conflicts.Any(conflict => conflict.Id == id)).Order(StringComparer.Ordinal).ToArray() is { Length: > 0 } stray)
        {
            throw Refuse(graphId, $"decisions name {string.Join(", ", stray.Select(id => $"'{id}'"))}, which {(stray.Length == 1 ? "is" : "are")} not in conflict; a decision applies only to a conflict the merge reports ({(conflicts.Count == 0 ? "there is none" : string.Join(", ", conflicts.Select(conflict => conflict.Id)))}), so no branch change is dropped by mistake");
        }
        var undecided = conflicts.Where(conflict => !decisions.ContainsKey(conflict.Id)).ToList();
        if (undecided.Count > 0)
        {
            var diagnostic = DiagnosticCatalog.MergeConflicts.Create(SourceLocation.File(location), path, parent, undecided.Count, string.Join("; ", undecided.Select(conflict => conflict.Reason)));
            await _kernel.WriteAuditAsync(useAsync, "merge", actor, AuditDecision.Denied, graphId, undecided.Select(conflict => conflict.Id).ToArray(), diagnostic.Message, cancellationToken: CancellationToken.None).ConfigureAwait(false);
            return new MergeResult(false, conflicts, null) { Diagnostic = diagnostic };
        }

        bool Keep(string id) => !decisions.TryGetValue(id, out var choice) || choice == MergeChoice.Branch;
        var changes = new GraphChanges
        {
            PutNodes = branchNodes.Where(Keep).Select(branchState.FindNode).OfType<GraphNode>().ToArray(),
            RemoveNodes = branchNodes.Where(id => Keep(id) && branchState.FindNode(id) is null && parentState.FindNode(id) is not null).ToArray(),
            PutEdges = branchEdges.Where(Keep).Select(branchState.FindEdge).OfType<GraphEdge>().ToArray(),
            RemoveEdges = branchEdges.Where(id => Keep(id) && branchState.FindEdge(id) is null && parentState.FindEdge(id) is not null).ToArray(),
        };
        try
        {
            RecordCheck.CheckEndpoints(parentState, changes, () => location);
        }
        catch (MemoryStoreException exception)
        {
            throw Refuse(graphId, $"the merge as decided would leave an edge without its node: {exception.Diagnostics[0].Message}; decide the other way or remove the edge first");
        }

        changes = ContradictionReview.Flag(parentState, changes, "merge of " + path);
        var graphEvent = Event(EventKind.Merged, parent, actor, $"merged {path} into {parent}", changes.PutNodes.Select(node => node.Id).Concat(changes.RemoveNodes).ToArray(), (PathBook.MergedPath, path)) with
        {
            Edges = changes.PutEdges.Select(edge => edge.Id).Concat(changes.RemoveEdges).ToArray(),
        };
        var record = await WriteAsync(useAsync, graphId, actor, "merge", graphEvent, changes, last, cancellationToken, conflicts.Count == 0 ? null : $"decided: {string.Join(", ", decisions.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value.ToString().ToLowerInvariant()}"))}").ConfigureAwait(false);
        return new MergeResult(true, conflicts, record);
    }

    /// <summary>
    /// Compacts a path: one <c>episode</c> node on its parent summarizes the path's events (their summaries, in
    /// order) and is derived from every node they touched, keeping those nodes' source spans in its attributes.
    /// </summary>
    public MemoryRecord Compact(string graphId, string path, string summaryId, string title, string actor) =>
        Synchronously.Run(CompactAsync(useAsync: false, graphId, path, summaryId, title, actor, CancellationToken.None));

    /// <inheritdoc cref="Compact" />
    public ValueTask<MemoryRecord> CompactAsync(string graphId, string path, string summaryId, string title, string actor, CancellationToken cancellationToken = default) =>
        CompactAsync(useAsync: true, graphId, path, summaryId, title, actor, cancellationToken);

    private ValueTask<MemoryRecord> CompactAsync(bool useAsync, string graphId, string path, string summaryId, string title, string actor, CancellationToken cancellationToken) =>
        AuditedAsync(useAsync, "compact", graphId, path, actor, () => CompactCheckedAsync(useAsync, graphId, path, summaryId, title, actor, cancellationToken));

    private async ValueTask<MemoryRecord> CompactCheckedAsync(bool useAsync, string graphId, string path, string summaryId, string title, string actor, CancellationToken cancellationToken)
    {
        var (location, records) = await RecordsAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
        var book = PathBook.Read(records);
        var record = book.Require(path, location);
        if (record.Parent is null)
        {
            throw Refuse(graphId, "the main path cannot be compacted");
        }

        var events = records.Where(logged => logged.PathId == path && logged.Event is not null).Select(logged => logged.Event!).ToList();
        var sources = events.SelectMany(graphEvent => graphEvent.Nodes).Distinct(StringComparer.Ordinal).ToArray();
        var state = Replayer.Replay(records, graphId, path, book, null, location);
        var touched = sources.Select(state.FindNode).OfType<GraphNode>().ToArray();
        var spans = touched.Where(node => node.Source is not null).Select(node => SpanText(node.Source!)).ToArray();
        var summary = new GraphNode(summaryId, NodeKind.Episode.ToWireName(), title)
        {
            Policy = DerivedPolicy.Of(touched),
            Text = string.Join(Environment.NewLine, events.Select(graphEvent => graphEvent.Summary ?? graphEvent.Kind)),
            Provenance = new Provenance { Author = actor, Method = ProvenanceMethod.Derived.ToWireName(), RecordedAt = _kernel.Now(), DerivedFrom = sources.Where(id => state.FindNode(id) is not null).ToArray() },
            Attributes = spans.Length == 0 ? [] : [new("source_spans", new AttributeValue(DocumentValueKind.String, string.Join("; ", spans)))],
        };
        var graphEvent = Event(EventKind.Compacted, record.Parent, actor, $"compacted path {path} into {summaryId}", [summaryId], (PathBook.CompactedPath, path));
        return await WriteAsync(useAsync, graphId, actor, "compact", graphEvent, new GraphChanges { PutNodes = [summary] }, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether an event is one of the path records (a branch, or a merge, abandon or compaction naming a path) that only the path operations write.</summary>
    internal static bool IsPathRecord(GraphEvent graphEvent) =>
        graphEvent.Kind == EventKind.Branched.ToWireName()
        || graphEvent.Attributes.Any(pair => pair.Key is PathBook.FromPath or PathBook.MergedPath or PathBook.AbandonedPath or PathBook.CompactedPath);

    internal static string SpanText(SourceSpan span) =>
        span.StartLine is { } start ? $"{span.Path}:{start}-{span.EndLine ?? start}" : span.Path;

    private PathRecord RequireOpenBranch(string graphId, PathBook book, string path, string action)
    {
        var record = book.Require(path, _kernel.LogLocation(graphId));
        if (record.Parent is null)
        {
            throw Refuse(graphId, $"the main path cannot be {(action == "merge" ? "merged" : "abandoned")}");
        }

        if (record.Status != PathStatus.Open)
        {
            throw Refuse(graphId, $"path '{path}' is already {record.Status.ToString().ToLowerInvariant()}");
        }

        return record;
    }

    /// <summary>The graph's log location and records, after checking that the graph exists.</summary>
    private async ValueTask<(string Location, List<MemoryRecord> Records)> RecordsAsync(bool useAsync, string graphId, CancellationToken cancellationToken)
    {
        await _kernel.RequireGraphAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
        return (_kernel.LogLocation(graphId), await _kernel.ReadLogAsync(useAsync, graphId, 0, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Logs the operation's record, then its granted audit record (the audit is written whatever the token, once the record is).</summary>
    private async ValueTask<MemoryRecord> WriteAsync(bool useAsync, string graphId, string actor, string action, GraphEvent graphEvent, GraphChanges changes, long? expectedSequence, CancellationToken cancellationToken, string? note = null)
    {
        var operation = WorkspaceKernel.NewOperationId();
        var record = (await _kernel.AppendRecordsAsync(useAsync, graphId, [new MemoryRecord(0, graphEvent.At, graphEvent, changes) { Operation = operation }], expectedSequence, cancellationToken).ConfigureAwait(false))[0];
        await _kernel.WriteAuditAsync(useAsync, action, actor, AuditDecision.Granted, graphId, [graphEvent.Path ?? MemoryPaths.Main, .. graphEvent.Nodes], note ?? graphEvent.Summary, operation: operation, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        return record;
    }

    /// <summary>Runs a path operation; any refusal (an unknown graph or path, a closed path, a stale log, ...) leaves one denied audit record.</summary>
    private ValueTask<T> AuditedAsync<T>(bool useAsync, string action, string graphId, string path, string actor, Func<ValueTask<T>> operation) =>
        _kernel.AuditRefusalAsync(useAsync, action, actor, graphId, [path], operation);

    private MemoryStoreException Refuse(string graphId, string message) =>
        MemoryStoreException.Create(DiagnosticCatalog.InvalidPathOperation, _kernel.LogLocation(graphId), message);

    private GraphEvent Event(EventKind kind, string path, string actor, string summary, IReadOnlyList<string> nodes, params (string Name, string Value)[] attributes) =>
        new($"{kind.ToWireName()}-{Guid.NewGuid():N}"[..(kind.ToWireName().Length + 17)], kind.ToWireName(), _kernel.Now())
        {
            Actor = actor,
            Path = path,
            Summary = summary,
            Nodes = nodes,
            Attributes = attributes.Select(pair => new KeyValuePair<string, AttributeValue>(pair.Name, new AttributeValue(DocumentValueKind.String, pair.Value))).ToArray(),
        };

    private static List<string> Touched(IEnumerable<MemoryRecord> records, Func<GraphChanges, IEnumerable<string>> ids) =>
        records.SelectMany(record => ids(record.Changes)).Distinct(StringComparer.Ordinal).ToList();

    private static bool Same(GraphNode? left, GraphNode? right) =>
        left is null || right is null ? left is null && right is null : ElementBytes.Of(left).AsSpan().SequenceEqual(ElementBytes.Of(right));

    private static bool Same(GraphEdge? left, GraphEdge? right) =>
        left is null || right is null ? left is null && right is null : ElementBytes.Of(left).AsSpan().SequenceEqual(ElementBytes.Of(right));
}

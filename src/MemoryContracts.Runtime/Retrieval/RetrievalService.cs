using MemoryContracts.Diagnostics;
using MemoryContracts.Documents;
using MemoryContracts.Model;
using MemoryContracts.Packing;
using MemoryContracts.Runtime.Storage;
using MemoryContracts.Runtime.Kernel;

namespace MemoryContracts.Runtime.Retrieval;

/// <summary>
/// Retrieves memory through the policy gateway, failing closed: a scope denial or a gateway failure withholds
/// everything. A denied node is reported by id and reason and is never expanded. Every retrieval is audited, and
/// every allow and deny is logged as a <c>policy_decision</c> event (one append for all of them).
/// </summary>
public sealed class RetrievalService
{
    private static readonly HashSet<string> IntoNode = new(StringComparer.Ordinal) { EdgeKind.LedTo.ToWireName(), EdgeKind.Supports.ToWireName() };

    private static readonly HashSet<string> OutOfNode = new(StringComparer.Ordinal) { EdgeKind.DependsOn.ToWireName(), EdgeKind.DerivedFrom.ToWireName() };

    private readonly WorkspaceKernel _kernel;

    internal RetrievalService(WorkspaceKernel kernel)
    {
        _kernel = kernel;
    }

    /// <summary>Runs a query for a subject.</summary>
    /// <remarks>A refused query (unknown trust zone, graph, node or path) is audited as denied before it throws.</remarks>
    public RetrievalResult Retrieve(RetrievalQuery query, RetrievalSubject subject) =>
        Synchronously.Run(RetrieveAsync(useAsync: false, query, subject, CancellationToken.None));

    /// <summary>Runs a query for a subject, reading and recording without blocking a thread.</summary>
    /// <remarks>
    /// A refused query is audited as denied before it throws. <paramref name="cancellationToken"/> is observed while the
    /// graph is read; once the decisions are being recorded, the call completes so that what was disclosed is audited.
    /// </remarks>
    public ValueTask<RetrievalResult> RetrieveAsync(RetrievalQuery query, RetrievalSubject subject, CancellationToken cancellationToken = default) =>
        RetrieveAsync(useAsync: true, query, subject, cancellationToken);

    private async ValueTask<RetrievalResult> RetrieveAsync(bool useAsync, RetrievalQuery query, RetrievalSubject subject, CancellationToken cancellationToken)
    {
        using var activity = Telemetry.MemoryTelemetry.Start("memory.retrieve", _kernel.Location, query.GraphId);
        var result = await _kernel.AuditRefusalAsync(useAsync, "retrieve", subject.Actor, query.GraphId, [], () => RetrieveCheckedAsync(useAsync, query, subject, cancellationToken)).ConfigureAwait(false);
        activity?.SetTag("memorycontracts.allowed", result.Items.Count);
        activity?.SetTag("memorycontracts.denied", result.Denied.Count);
        return result;
    }

    private async ValueTask<RetrievalResult> RetrieveCheckedAsync(bool useAsync, RetrievalQuery query, RetrievalSubject subject, CancellationToken cancellationToken)
    {
        if (subject.TrustZone is { } named && !TrustZoneOrder.IsKnown(named))
        {
            throw new MemoryStoreException(DiagnosticCatalog.UnknownTrustZone.Create(SourceLocation.File(_kernel.LogLocation(query.GraphId)), named, TrustZoneOrder.Listed));
        }

        // An episode is read on its own path: a node that lives only on the branch, or the branch's version of an
        // edited node, is what the episode touched; everything else reads the main path.
        var state = query is RetrievalQuery.Episode onPath && onPath.Path != MemoryPaths.Main
            ? await _kernel.ReplayAsync(useAsync, query.GraphId, null, onPath.Path, cancellationToken).ConfigureAwait(false)
            : await _kernel.CopyAsync(useAsync, query.GraphId, cancellationToken).ConfigureAwait(false);
        var episodeEvents = query is RetrievalQuery.Episode
            ? (await _kernel.ReadLogAsync(useAsync, query.GraphId, 0, cancellationToken).ConfigureAwait(false)).Select(record => record.Event).OfType<GraphEvent>()
            : [];
        var policy = _kernel.Options.Policy;
        var operation = WorkspaceKernel.NewOperationId();
        var scope = Ask(() => policy.DecideScope(subject, query.GraphId));
        var items = new List<RetrievedItem>();
        var denied = new List<DeniedItem>();
        Collect(query, state, episodeEvents, scope.Allowed ? node => Ask(() => policy.Decide(subject, query.GraphId, node)) : _ => new PolicyDecision(false, "scope denied: " + scope.Reason), items, denied);

        var allowed = items.Select(item => item.Node.Id).ToHashSet(StringComparer.Ordinal);
        var edges = state.Edges.Where(edge => allowed.Contains(edge.Source) && allowed.Contains(edge.Target)).ToArray();
        var result = new RetrievalResult(operation, query.GraphId, items, edges, denied);
        await RecordAsync(useAsync, result, subject).ConfigureAwait(false);
        return result;
    }

    /// <summary>Retrieves and compiles the allowed part into a context package.</summary>
    public PackageCompilation Package(RetrievalQuery query, RetrievalSubject subject, string selectionId, string? profileId = null)
    {
        var result = Retrieve(query, subject);
        var (graph, selection) = result.ToSelection(selectionId);
        var profile = profileId is null ? null : _kernel.RequireProfile(profileId);
        return SelectionCompiler.Compile(selection, graph, profile, selectionId + ".selection");
    }

    private void Collect(RetrievalQuery query, GraphState state, IEnumerable<GraphEvent> logged, Func<GraphNode, PolicyDecision> decide, List<RetrievedItem> items, List<DeniedItem> denied)
    {
        var location = _kernel.LogLocation(query.GraphId);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        bool Visit(string id)
        {
            if (!seen.Add(id) || state.FindNode(id) is not { } node)
            {
                return false;
            }

            var decision = decide(node);
            if (decision.Allowed)
            {
                items.Add(new RetrievedItem(node, decision.Reason));
            }
            else
            {
                denied.Add(new DeniedItem(id, decision.Reason));
            }

            return decision.Allowed;
        }

        switch (query)
        {
            case RetrievalQuery.Neighborhood neighborhood:
                Require(state, neighborhood.Node, location);
                var frontier = new List<string>();
                if (Visit(neighborhood.Node))
                {
                    frontier.Add(neighborhood.Node);
                }

                for (var depth = 0; depth < neighborhood.Depth && frontier.Count > 0; depth++)
                {
                    frontier = frontier
                        .SelectMany(id => state.EdgesFrom(id).Select(edge => edge.Target).Concat(state.EdgesTo(id).Select(edge => edge.Source)))
                        .Where(Visit)
                        .ToList();
                }

                break;
            case RetrievalQuery.DecisionPath path:
                Require(state, path.Node, location);
                var queue = new Queue<string>();
                if (Visit(path.Node))
                {
                    queue.Enqueue(path.Node);
                }

                while (queue.TryDequeue(out var id))
                {
                    // Upstream of a node: what led to it or supports it (edges into it), and what it depends on or was
                    // derived from (edges out of it, which point from the dependent to its source).
                    var upstream = state.EdgesTo(id).Where(edge => IntoNode.Contains(edge.Kind)).Select(edge => edge.Source)
                        .Concat(state.EdgesFrom(id).Where(edge => OutOfNode.Contains(edge.Kind)).Select(edge => edge.Target));
                    foreach (var source in upstream.Where(Visit))
                    {
                        queue.Enqueue(source);
                    }
                }

                break;
            case RetrievalQuery.Episode episode:
                var events = logged.Where(graphEvent => graphEvent.Path == episode.Path).ToList();
                if (events.Count == 0)
                {
                    throw MemoryStoreException.Create(DiagnosticCatalog.UnknownStoreItem, location, "path", episode.Path, $" (graph '{query.GraphId}' has no events on it)");
                }

                foreach (var id in events.SelectMany(graphEvent => graphEvent.Nodes))
                {
                    Visit(id);
                }

                break;
        }
    }

    /// <summary>Logs every allow and deny as a policy_decision event (one append) and audits the retrieval; never cancelled.</summary>
    private async ValueTask RecordAsync(bool useAsync, RetrievalResult result, RetrievalSubject subject)
    {
        var now = _kernel.Now();
        var decisions = result.Items.Select(item => (Id: item.Node.Id, Allowed: true, item.Reason))
            .Concat(result.Denied.Select(item => (item.Id, Allowed: false, item.Reason)))
            .Select((decision, index) => new MemoryRecord(0, now, new GraphEvent($"policy-{result.Operation[3..]}-{index + 1}", EventKind.PolicyDecision.ToWireName(), now)
            {
                Actor = subject.Actor,
                Summary = (decision.Allowed ? "allow: " : "deny: ") + decision.Reason,
                Nodes = [decision.Id],
                Attributes =
                [
                    new("decision", new AttributeValue(DocumentValueKind.String, decision.Allowed ? "allow" : "deny")),
                    new("operation", new AttributeValue(DocumentValueKind.String, result.Operation)),
                ],
            }, GraphChanges.None) { Operation = result.Operation })
            .ToArray();
        if (decisions.Length > 0)
        {
            await _kernel.AppendRecordsAsync(useAsync, result.GraphId, decisions, null, CancellationToken.None).ConfigureAwait(false);
        }

        await _kernel.WriteAuditAsync(useAsync, "retrieve", subject.Actor, result.Items.Count > 0 ? AuditDecision.Granted : AuditDecision.Denied, result.GraphId, result.Items.Select(item => item.Node.Id).ToArray(), $"{result.Items.Count} allowed, {result.Denied.Count} denied{(result.Denied.Count == 0 ? string.Empty : ": " + string.Join(", ", result.Denied.Select(item => item.Id)))}", operation: result.Operation, cancellationToken: CancellationToken.None).ConfigureAwait(false);
    }

    private static void Require(GraphState state, string id, string location)
    {
        if (state.FindNode(id) is null)
        {
            throw MemoryStoreException.Create(DiagnosticCatalog.UnknownStoreItem, location, "node", id, $" (graph '{state.GraphId}')");
        }
    }

    private static PolicyDecision Ask(Func<PolicyDecision> question)
    {
        try
        {
            return question();
        }
        catch (Exception exception)
        {
            return new PolicyDecision(false, $"the policy gateway failed ({exception.GetType().Name}); denied");
        }
    }
}

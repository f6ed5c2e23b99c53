using MemoryContracts.Diagnostics;
using MemoryContracts.Model;
using MemoryContracts.Runtime.Json;
using MemoryContracts.Runtime.Kernel;
using MemoryContracts.Runtime.Storage;

namespace MemoryContracts.Runtime.Lifecycle;

/// <summary>Plan lifecycle actions as a dry run, apply them behind the review gate, and settle reviews.</summary>
public sealed class LifecycleOperations
{
    private readonly WorkspaceKernel _kernel;

    internal LifecycleOperations(WorkspaceKernel kernel)
    {
        _kernel = kernel;
    }

    /// <summary>
    /// Plans from the profile's retention rules (unless switched off) plus the request, and records the plan in the
    /// workspace (the only thing it writes), so that it can later be applied as issued. The graph is not changed.
    /// </summary>
    public LifecyclePlan Plan(string graphId, string profileId, LifecycleRequest? request = null) =>
        Synchronously.Run(PlanAsync(useAsync: false, graphId, profileId, request, CancellationToken.None));

    /// <inheritdoc cref="Plan" />
    /// <remarks>Cancelled before the plan is recorded, nothing is written.</remarks>
    public ValueTask<LifecyclePlan> PlanAsync(string graphId, string profileId, LifecycleRequest? request = null, CancellationToken cancellationToken = default) =>
        PlanAsync(useAsync: true, graphId, profileId, request, cancellationToken);

    private async ValueTask<LifecyclePlan> PlanAsync(bool useAsync, string graphId, string profileId, LifecycleRequest? request, CancellationToken cancellationToken)
    {
        request ??= new LifecycleRequest();
        await _kernel.RequireGraphAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
        var profile = await _kernel.RequireProfileAsync(useAsync, profileId, cancellationToken).ConfigureAwait(false);
        var state = await _kernel.CopyAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
        var now = request.Now ?? _kernel.Options.Clock.GetUtcNow();

        // Only a plan that may forget needs the log's history (nodes removed earlier) and the open branches (lineage).
        var forget = LifecycleAction.Forget.ToWireName();
        var mayForget = request.Forget.Count > 0 || (request.Retention && profile.Retention.Any(rule => rule.Action == forget));
        var history = mayForget ? await _kernel.ReadLogAsync(useAsync, graphId, 0, cancellationToken).ConfigureAwait(false) : [];
        var branches = new List<GraphState>();
        foreach (var path in mayForget ? Paths.PathBook.Read(history).All.Where(path => path.Status == Paths.PathStatus.Open && path.Id != MemoryPaths.Main) : [])
        {
            branches.Add(await _kernel.ReplayAsync(useAsync, graphId, null, path.Id, cancellationToken).ConfigureAwait(false));
        }

        var plan = LifecyclePlanner.Plan(state, () => branches, state.Sequence, profile, ProfileDigest.Of(profile), request, now, _kernel.Now(), _kernel.LogLocation(graphId), id => RemovedNode(history, state, id));
        var content = LifecyclePlanJson.Write(plan);
        if (useAsync)
        {
            await _kernel.Store.SavePlanAsync(graphId, plan.Id, content, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _kernel.Store.SavePlan(graphId, plan.Id, content);
        }

        return plan;
    }

    /// <summary>
    /// Applies a plan the workspace issued behind the review gate (MC5009, MC5010, MC5011, MC5023-MC5025); see
    /// <see cref="ReviewGate"/>. The plan handed in only names the plan: what applies, and what needs review, comes
    /// from the workspace's own records.
    /// </summary>
    public AppliedPlan Apply(LifecyclePlan plan, Approval? approval, string actor) =>
        Synchronously.Run(ApplyAsync(useAsync: false, plan, approval, actor, CancellationToken.None));

    /// <inheritdoc cref="Apply" />
    /// <remarks>
    /// <paramref name="cancellationToken"/> is observed until the plan's record is queued for commit: cancelled
    /// before, nothing is logged and no journal is left; once committed, the apply finishes (history scrubbed, audit
    /// record written) whatever the token says.
    /// </remarks>
    public ValueTask<AppliedPlan> ApplyAsync(LifecyclePlan plan, Approval? approval, string actor, CancellationToken cancellationToken = default) =>
        ApplyAsync(useAsync: true, plan, approval, actor, cancellationToken);

    private async ValueTask<AppliedPlan> ApplyAsync(bool useAsync, LifecyclePlan plan, Approval? approval, string actor, CancellationToken cancellationToken)
    {
        using var activity = Telemetry.MemoryTelemetry.Start("memory.apply", _kernel.Location, plan.GraphId);
        activity?.SetTag("memorycontracts.plan", plan.Id);
        return await ReviewGate.ApplyAsync(useAsync, _kernel, plan, approval, actor, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The last logged version of a node the main path does not hold (removed earlier, or living only on a branch), not
    /// forgotten; null when the history has none.
    /// </summary>
    internal static GraphNode? RemovedNode(IReadOnlyList<MemoryRecord> history, GraphState state, string id) =>
        state.FindNode(id) is not null || state.Tombstones.ContainsKey(id)
            ? null
            : history.SelectMany(record => record.Changes.PutNodes).LastOrDefault(node => node.Id == id);

    /// <summary>
    /// Settles open reviews of nodes: a person looked at them (recorded as <c>reviewed_at</c>) and closed the flag.
    /// An approval that does not say who, when and why is refused (MC5009).
    /// </summary>
    /// <remarks>A refusal (an incomplete approval, an unknown graph or node) leaves one denied audit record.</remarks>
    public MemoryRecord SettleReviews(string graphId, IReadOnlyList<string> nodes, Approval approval, string actor) =>
        Synchronously.Run(SettleReviewsAsync(useAsync: false, graphId, nodes, approval, actor, CancellationToken.None));

    /// <inheritdoc cref="SettleReviews" />
    /// <remarks><paramref name="cancellationToken"/> is observed until the record is queued for commit (see <see cref="IMemoryWorkspace"/>).</remarks>
    public ValueTask<MemoryRecord> SettleReviewsAsync(string graphId, IReadOnlyList<string> nodes, Approval approval, string actor, CancellationToken cancellationToken = default) =>
        SettleReviewsAsync(useAsync: true, graphId, nodes, approval, actor, cancellationToken);

    private ValueTask<MemoryRecord> SettleReviewsAsync(bool useAsync, string graphId, IReadOnlyList<string> nodes, Approval approval, string actor, CancellationToken cancellationToken) =>
        _kernel.AuditRefusalAsync(useAsync, "settle_review", actor, graphId, nodes, () => SettleCheckedAsync(useAsync, graphId, nodes, approval, actor, cancellationToken), approval);

    private async ValueTask<MemoryRecord> SettleCheckedAsync(bool useAsync, string graphId, IReadOnlyList<string> nodes, Approval approval, string actor, CancellationToken cancellationToken)
    {
        var state = await _kernel.CopyAsync(useAsync, graphId, cancellationToken).ConfigureAwait(false);
        var location = _kernel.LogLocation(graphId);
        if (!approval.IsComplete)
        {
            throw new MemoryStoreException(DiagnosticCatalog.ApprovalRequired.Create(SourceLocation.File(location), "settle reviews", string.Join(", ", nodes.Select(node => "review " + node))));
        }

        var settled = nodes.Select(id => state.FindNode(id) ?? throw MemoryStoreException.Create(DiagnosticCatalog.UnknownStoreItem, location, "node", id, $" (graph '{graphId}')"))
            .Select(node => node with { Lifecycle = (node.Lifecycle ?? new MemoryLifecycle()) with { ReviewedAt = approval.At } })
            .ToArray();
        var operation = WorkspaceKernel.NewOperationId();
        var now = _kernel.Now();
        var graphEvent = new GraphEvent("review-" + operation[3..], EventKind.Updated.ToWireName(), now) { Actor = actor, Summary = $"review settled by {approval.By}: {approval.Reason}", Nodes = nodes };
        var record = (await _kernel.AppendRecordsAsync(useAsync, graphId, [new MemoryRecord(0, now, graphEvent, new GraphChanges { PutNodes = settled, CloseReviews = nodes }) { Operation = operation }], null, cancellationToken).ConfigureAwait(false))[0];
        await _kernel.WriteAuditAsync(useAsync, "settle_review", actor, AuditDecision.Granted, graphId, nodes, approval.Reason, approval, operation, CancellationToken.None).ConfigureAwait(false);
        return record;
    }

    /// <summary>
    /// Finishes every apply a crash cut off after its record was logged (its journal is still there); clears a journal
    /// whose record never reached the log when <paramref name="exclusive"/> (see <see cref="MemoryWorkspace.FinishInterruptedApplies"/>).
    /// </summary>
    internal void FinishInterruptedApplies(bool exclusive)
    {
        foreach (var graphId in _kernel.Store.ListGraphs())
        {
            if (_kernel.Store.LoadJournal(graphId) is not { } journal)
            {
                continue;
            }

            var granted = StoredContent.Read(journal, $"{_kernel.LogLocation(graphId)} (apply journal)", 1, AuditJson.Read);
            if (_kernel.Log.Read(graphId).FirstOrDefault(record => record.Operation == granted.Operation) is { } logged)
            {
                Synchronously.Run(ReviewGate.FinishAsync(useAsync: false, _kernel, logged, granted, recovering: true));
            }
            else if (exclusive)
            {
                _kernel.Store.SaveJournal(graphId, null);
            }
        }
    }
}

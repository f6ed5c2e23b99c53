using MemoryContracts.Diagnostics;
using MemoryContracts.Documents;
using MemoryContracts.Model;
using MemoryContracts.Runtime.Kernel;

namespace MemoryContracts.Runtime.Lifecycle;

/// <summary>
/// Applies lifecycle plans, only behind the review gate, deciding from what the workspace stored and never from the
/// plan or flags the caller hands in: the plan must be one the workspace issued, unchanged (its id is the hash of its
/// content; MC5023), not applied before (MC5024), made under the profile as it is stored now (MC5023) and at the
/// graph's current log position (MC5011). What needs review is recomputed from the stored profile; such a plan needs
/// an approval (MC5009) signed by one of the profile's reviewers (MC5010) with the key the profile declares for them,
/// for this plan, by someone other than who asked for it or applies it, at a time between planning and now (MC5025).
/// Every grant and every refusal is an audit record. A granted plan is one log record, so a crash leaves it wholly
/// applied or not at all; its audit record is journaled before that record is logged, so a crash after it leaves a
/// journal from which the next open finishes the apply (history scrubbed of what it forgot, the audit record written
/// once): the forget and its audit record are both there or neither is.
/// </summary>
internal static class ReviewGate
{
    /// <summary>How far an approval's time may lie ahead of the workspace clock (clock skew between machines).</summary>
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(2);

    private static readonly string PolicyDecision = EventKind.PolicyDecision.ToWireName();

    /// <summary>
    /// Applies a plan behind the gate. One code path serves both forms: <paramref name="useAsync"/> false blocks,
    /// true awaits the stores' asynchronous API. <paramref name="cancellationToken"/> is observed until the record is
    /// queued for commit; a cancelled apply leaves no journal, no record and no audit record behind, and once the
    /// record is committed the apply is finished whatever the token says.
    /// </summary>
    public static async ValueTask<AppliedPlan> ApplyAsync(bool useAsync, WorkspaceKernel kernel, LifecyclePlan submitted, Approval? approval, string actor, CancellationToken cancellationToken)
    {
        var affected = submitted.Actions.Select(action => action.Node).Distinct(StringComparer.Ordinal).ToArray();
        var operation = WorkspaceKernel.NewOperationId();
        LifecyclePlan plan;
        GraphChanges changes;
        MemoryRecord record;
        AuditRecord granted;
        try
        {
            await kernel.RequireGraphAsync(useAsync, submitted.GraphId, cancellationToken).ConfigureAwait(false);
            var location = SourceLocation.File(kernel.LogLocation(submitted.GraphId));
            plan = await IssuedAsync(useAsync, kernel, submitted, location, cancellationToken).ConfigureAwait(false);
            var profile = await kernel.LoadProfileAsync(useAsync, plan.ProfileId, cancellationToken).ConfigureAwait(false);
            if (profile is null || ProfileDigest.Of(profile) != plan.ProfileHash)
            {
                throw Refuse(location, plan.Id, profile is null
                    ? $"its profile '{plan.ProfileId}' is no longer in the workspace"
                    : $"its profile '{plan.ProfileId}' changed after the plan was made; plan again");
            }

            var reviewed = plan.Actions.Where(action => LifecyclePlanner.NeedsReview(action, profile)).Select(action => $"{action.Action} {action.Node}").ToArray();
            if (approval is not null)
            {
                Verify(kernel, plan, profile, approval, actor, location);
            }
            else if (reviewed.Length > 0)
            {
                throw new MemoryStoreException(DiagnosticCatalog.ApprovalRequired.Create(location, plan.Id, string.Join(", ", reviewed)));
            }

            var now = kernel.Now();
            var current = await kernel.CopyAsync(useAsync, plan.GraphId, cancellationToken).ConfigureAwait(false);
            // Only a forget of a node the main path no longer holds needs the log's history.
            var history = plan.Actions.Any(action => current.FindNode(action.Node) is null && !current.Tombstones.ContainsKey(action.Node))
                ? await kernel.ReadLogAsync(useAsync, plan.GraphId, 0, cancellationToken).ConfigureAwait(false)
                : [];
            changes = Plan(current, plan, now, operation, id => LifecycleOperations.RemovedNode(history, current, id));
            var graphEvent = new GraphEvent(AppliedEventId(plan.Id), Dominant(plan), now)
            {
                Actor = actor,
                Summary = $"applied {plan.Id}: {string.Join(", ", plan.Actions.GroupBy(action => action.Action).OrderBy(group => group.Key, StringComparer.Ordinal).Select(group => $"{group.Count()} {group.Key}"))}",
                Nodes = changes.PutNodes.Select(node => node.Id).Concat(changes.RemoveNodes).Distinct(StringComparer.Ordinal).ToArray(),
                Edges = changes.PutEdges.Select(edge => edge.Id).Concat(changes.RemoveEdges).ToArray(),
                Attributes = [new("plan", new AttributeValue(DocumentValueKind.String, plan.Id))],
            };

            granted = new AuditRecord(operation, now, actor, "apply", AuditDecision.Granted, plan.GraphId, affected) { Reason = graphEvent.Summary, Approval = approval };
            var expected = await ExpectedPositionAsync(useAsync, kernel, plan, cancellationToken).ConfigureAwait(false);
            await SaveJournalAsync(useAsync, kernel, plan.GraphId, Json.MemoryJson.WriteAudit(granted), cancellationToken).ConfigureAwait(false);
            try
            {
                record = (await kernel.AppendRecordsAsync(useAsync, plan.GraphId, [new MemoryRecord(0, now, graphEvent, changes) { Operation = operation }], expected, cancellationToken).ConfigureAwait(false))[0];
            }
            catch (OperationCanceledException)
            {
                await SaveJournalAsync(useAsync, kernel, plan.GraphId, null, CancellationToken.None).ConfigureAwait(false);
                throw;
            }
            catch (MemoryStoreException exception)
            {
                await SaveJournalAsync(useAsync, kernel, plan.GraphId, null, CancellationToken.None).ConfigureAwait(false);
                throw exception.Code == DiagnosticCatalog.StaleLogPosition.Code
                    ? new MemoryStoreException(DiagnosticCatalog.StaleLogPosition.Create(location, $"plan '{plan.Id}'", plan.GraphId, plan.Sequence, await kernel.LastSequenceAsync(useAsync, plan.GraphId, CancellationToken.None).ConfigureAwait(false)))
                    : exception;
            }
        }
        catch (MemoryStoreException refusal)
        {
            await kernel.WriteAuditAsync(useAsync, "apply", actor, AuditDecision.Denied, submitted.GraphId, affected, refusal.Diagnostics[0].ToString(), approval, operation, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        await FinishAsync(useAsync, kernel, record, granted, recovering: false).ConfigureAwait(false);
        return new AppliedPlan(plan.Id, operation, record);
    }

    /// <summary>
    /// The steps of an apply after its record is logged, each one safe to run again: history loses the content of
    /// everything the record tombstones (nodes, edges, and the summaries of events that touched them), the snapshot
    /// is rewritten, the audit record is written (when recovering, only if it is not there yet), the journal cleared.
    /// Never cancelled: the record is committed, so the apply is finished.
    /// </summary>
    internal static async ValueTask FinishAsync(bool useAsync, WorkspaceKernel kernel, MemoryRecord record, AuditRecord granted, bool recovering)
    {
        var graphId = granted.Graph!;
        var forgotten = record.Changes.Tombstones.Select(tombstone => tombstone.Id).ToHashSet(StringComparer.Ordinal);
        if (forgotten.Count > 0)
        {
            MemoryRecord Scrub(MemoryRecord logged) => logged.Sequence >= record.Sequence ? logged : Strip(logged, forgotten);
            if (useAsync)
            {
                await kernel.Log.RewriteAsync(graphId, Scrub, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                kernel.Log.Rewrite(graphId, Scrub);
            }

            await kernel.CheckpointAsync(useAsync, CancellationToken.None).ConfigureAwait(false);
        }

        if (recovering)
        {
            Telemetry.RuntimeLog.InterruptedApplyFinished(kernel.Loggers.Lifecycle, granted.Operation, graphId);
        }

        if (!recovering || !kernel.Audit.Read().Any(written => written.Operation == granted.Operation && written.Action == granted.Action))
        {
            await kernel.WriteAuditAsync(useAsync, granted, CancellationToken.None).ConfigureAwait(false);
        }

        await SaveJournalAsync(useAsync, kernel, graphId, null, CancellationToken.None).ConfigureAwait(false);
    }

    private static async ValueTask SaveJournalAsync(bool useAsync, WorkspaceKernel kernel, string graphId, byte[]? content, CancellationToken cancellationToken)
    {
        if (useAsync)
        {
            await kernel.Store.SaveJournalAsync(graphId, content, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            kernel.Store.SaveJournal(graphId, content);
        }
    }

    /// <summary>
    /// Where the log must be for the plan to apply: where it was when the plan was made, or later when everything
    /// logged since is a policy decision that changes nothing (what a retrieval records). Reading memory never makes an
    /// approved plan stale; any other record since still does (MC5011).
    /// </summary>
    private static async ValueTask<long> ExpectedPositionAsync(bool useAsync, WorkspaceKernel kernel, LifecyclePlan plan, CancellationToken cancellationToken)
    {
        var last = await kernel.LastSequenceAsync(useAsync, plan.GraphId, cancellationToken).ConfigureAwait(false);
        return last != plan.Sequence && (await kernel.ReadLogAsync(useAsync, plan.GraphId, plan.Sequence, cancellationToken).ConfigureAwait(false))
            .All(logged => logged.Sequence <= last && logged.Changes.IsEmpty && logged.Event?.Kind == PolicyDecision)
            ? last
            : plan.Sequence;
    }

    /// <summary>The id of the event that applies a plan: one per plan, so the log itself refuses a second apply.</summary>
    internal static string AppliedEventId(string planId) => "applied-" + planId;

    /// <summary>The plan as the workspace issued it, when the submitted one is that plan, unchanged and not applied yet.</summary>
    private static async ValueTask<LifecyclePlan> IssuedAsync(bool useAsync, WorkspaceKernel kernel, LifecyclePlan submitted, SourceLocation location, CancellationToken cancellationToken)
    {
        var id = LifecyclePlanJson.IdOf(submitted);
        if (id != submitted.Id)
        {
            throw Refuse(location, submitted.Id, $"its content does not match its id (it hashes to '{id}'): it was changed after it was made");
        }

        var stored = (useAsync ? await kernel.Store.LoadPlanAsync(submitted.GraphId, id, cancellationToken).ConfigureAwait(false) : kernel.Store.LoadPlan(submitted.GraphId, id))
            ?? throw Refuse(location, id, "this workspace did not issue it");
        var plan = LifecyclePlanJson.Read(stored, $"plan '{id}'");
        if (LifecyclePlanJson.IdOf(plan) != id)
        {
            throw Refuse(location, id, "the copy the workspace recorded was changed in storage");
        }

        if (await kernel.ContainsEventAsync(useAsync, plan.GraphId, AppliedEventId(id), cancellationToken).ConfigureAwait(false))
        {
            throw new MemoryStoreException(DiagnosticCatalog.PlanAlreadyApplied.Create(location, id, AppliedEventId(id)));
        }

        return plan;
    }

    private static void Verify(WorkspaceKernel kernel, LifecyclePlan plan, MemoryProfile profile, Approval approval, string actor, SourceLocation location)
    {
        MemoryStoreException Invalid(string why) => new(DiagnosticCatalog.ApprovalInvalid.Create(location, plan.Id, approval.By, why));
        if (!approval.IsComplete)
        {
            throw new MemoryStoreException(DiagnosticCatalog.ApprovalRequired.Create(location, plan.Id, "an approval must say who, when (RFC 3339) and why"));
        }

        if (!profile.Reviewers.Contains(approval.By, StringComparer.Ordinal))
        {
            throw new MemoryStoreException(DiagnosticCatalog.ApproverNotReviewer.Create(location, approval.By, profile.Id, profile.Reviewers.Count == 0 ? "(none)" : string.Join(", ", profile.Reviewers)));
        }

        if (approval.Plan != plan.Id)
        {
            throw Invalid($"it approves plan '{approval.Plan ?? "(none)"}'");
        }

        var key = profile.ReviewerKeys.FirstOrDefault(pair => pair.Key == approval.By).Value;
        if (key is null)
        {
            throw Invalid($"profile '{profile.Id}' declares no key for '{approval.By}' (review.reviewer_keys), so no approval of theirs can be verified");
        }

        if (!Review.ApprovalSigner.Verify(approval, key))
        {
            throw Invalid($"its signature does not verify with the key profile '{profile.Id}' declares for '{approval.By}'");
        }

        if (approval.By == plan.RequestedBy || approval.By == actor)
        {
            throw Invalid($"'{approval.By}' {(approval.By == plan.RequestedBy ? "asked for" : "applies")} the plan and cannot approve it too");
        }

        var at = DateTimeOffset.Parse(approval.At, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind);
        var planned = DateTimeOffset.Parse(plan.At, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind);
        var now = kernel.Options.Clock.GetUtcNow();
        if (at < planned || at > now + Skew)
        {
            throw Invalid($"it is dated {approval.At}, which is not between the plan's time {plan.At} and now ({WorkspaceKernel.Format(now)})");
        }
    }

    private static MemoryStoreException Refuse(SourceLocation location, string planId, string why) =>
        new(DiagnosticCatalog.PlanNotApplicable.Create(location, planId, why));

    /// <summary>
    /// A record without the content of forgotten nodes and edges (and edges ending at a forgotten node), and without the summary and attributes of an event
    /// that touched one (they may quote it); ids stay (they are not content).
    /// </summary>
    internal static MemoryRecord Strip(MemoryRecord record, IReadOnlySet<string> forgotten)
    {
        if (record.Event is { } graphEvent && (graphEvent.Summary is not null || graphEvent.Attributes.Count > 0)
            && (graphEvent.Nodes.Any(forgotten.Contains) || graphEvent.Edges.Any(forgotten.Contains)))
        {
            record = record with { Event = graphEvent with { Summary = null, Attributes = [] } };
        }

        bool Gone(GraphEdge edge) => forgotten.Contains(edge.Id) || forgotten.Contains(edge.Source) || forgotten.Contains(edge.Target);
        if (!record.Changes.PutNodes.Any(node => forgotten.Contains(node.Id) || node.Provenance?.DerivedFrom.Any(forgotten.Contains) == true) && !record.Changes.PutEdges.Any(Gone))
        {
            return record;
        }

        // An edge to a forgotten node goes too, also one a branch added (the main path removed its own in the forget).
        return record with
        {
            Changes = record.Changes with
            {
                PutNodes = record.Changes.PutNodes.Where(node => !forgotten.Contains(node.Id)).Select(node => WithoutForgottenOrigins(node, forgotten)).ToArray(),
                PutEdges = record.Changes.PutEdges.Where(edge => !Gone(edge)).ToArray(),
            },
        };
    }

    private static GraphChanges Plan(GraphState state, LifecyclePlan plan, string now, string operation, Func<string, GraphNode?> removed)
    {
        var nodes = new Dictionary<string, GraphNode>(StringComparer.Ordinal);
        var order = new List<string>();
        GraphNode Current(string id)
        {
            if (!nodes.TryGetValue(id, out var node))
            {
                node = state.FindNode(id) ?? throw MemoryStoreException.Create(DiagnosticCatalog.UnknownStoreItem, state.GraphId, "node", id, $" (graph '{state.GraphId}')");
                order.Add(id);
            }

            return node;
        }

        void Set(string id, GraphNode node) => nodes[id] = node;
        GraphNode WithState(GraphNode node, LifecycleState lifecycle, bool touch) =>
            node with { Lifecycle = (node.Lifecycle ?? new MemoryLifecycle()) with { State = lifecycle.ToWireName(), UpdatedAt = touch ? now : node.Lifecycle?.UpdatedAt } };

        var forgotten = new HashSet<string>(StringComparer.Ordinal);
        var tombstones = new List<Tombstone>();
        var reviews = new List<ReviewFlag>();
        var putEdges = new List<GraphEdge>();
        foreach (var action in plan.Actions)
        {
            var id = action.Node;
            switch (LifecycleActions.TryParse(action.Action, out var kind) ? kind : (LifecycleAction?)null)
            {
                case LifecycleAction.MarkStale:
                    Set(id, WithState(Current(id), LifecycleState.Stale, touch: false));
                    break;
                case LifecycleAction.RequestDelete:
                    Set(id, WithState(Current(id), LifecycleState.DeleteRequested, touch: false));
                    break;
                case LifecycleAction.Retire:
                    Set(id, WithState(Current(id), LifecycleState.Retired, touch: false));
                    break;
                case LifecycleAction.Refresh:
                    Set(id, WithState(Current(id), LifecycleState.Active, touch: true));
                    break;
                case LifecycleAction.Forget:
                    var node = state.FindNode(id) is null && removed(id) is { } earlier ? earlier : Current(id);
                    forgotten.Add(id);
                    tombstones.Add(new Tombstone(id, node.Kind, now, action.Reason, operation));
                    break;
                case LifecycleAction.Compact:
                    Current(id);
                    break;
                default:
                    // A node reached by lineage may live only on a branch: it is flagged where it will arrive.
                    if (removed(id) is null)
                    {
                        Current(id);
                    }

                    reviews.Add(new ReviewFlag(id, action.Reason, plan.Id));
                    break;
            }
        }

        foreach (var group in plan.Actions.Where(action => action.Action == LifecycleAction.Compact.ToWireName() && action.Target is not null).GroupBy(action => action.Target!))
        {
            var sources = group.Select(action => state.FindNode(action.Node)!).ToArray();
            var spans = sources.Where(source => source.Source is not null).Select(source => Paths.PathOperations.SpanText(source.Source!)).ToArray();
            var summary = new GraphNode(group.Key, NodeKind.Memory.ToWireName(), group.First().TargetTitle ?? group.Key)
            {
                Policy = DerivedPolicy.Of(sources),
                Text = string.Join(Environment.NewLine, sources.Select(source => $"- {source.Title}")),
                Source = sources.Select(source => source.Source).FirstOrDefault(span => span is not null),
                Provenance = new Provenance { Method = ProvenanceMethod.Derived.ToWireName(), RecordedAt = now, DerivedFrom = sources.Select(source => source.Id).ToArray() },
                Lifecycle = new MemoryLifecycle { State = LifecycleState.Active.ToWireName(), CreatedAt = now, UpdatedAt = now },
                Attributes = spans.Length == 0 ? [] : [new("source_spans", new AttributeValue(DocumentValueKind.String, string.Join("; ", spans)))],
            };
            Set(summary.Id, summary);
            order.Add(summary.Id);
            putEdges.AddRange(sources.Select(source => new GraphEdge($"{summary.Id}--derived_from--{source.Id}", EdgeKind.DerivedFrom.ToWireName(), summary.Id, source.Id)));
        }

        // What stays may not name a forgotten node as its origin: the graph must still pass its contract (MC2008).
        foreach (var node in state.Nodes.Where(node => !forgotten.Contains(node.Id) && node.Provenance?.DerivedFrom.Any(forgotten.Contains) == true).ToArray())
        {
            Set(node.Id, WithoutForgottenOrigins(Current(node.Id), forgotten));
        }

        foreach (var summary in nodes.Values.Where(node => !forgotten.Contains(node.Id) && node.Provenance?.DerivedFrom.Any(forgotten.Contains) == true).ToArray())
        {
            Set(summary.Id, WithoutForgottenOrigins(summary, forgotten));
        }

        var removedEdges = state.Edges.Where(edge => forgotten.Contains(edge.Source) || forgotten.Contains(edge.Target)).ToArray();
        forgotten.UnionWith(removedEdges.Select(edge => edge.Id));
        tombstones.AddRange(removedEdges.Select(edge => new Tombstone(edge.Id, edge.Kind, now, "an end of it was forgotten", operation)));
        var changes = new GraphChanges
        {
            PutNodes = order.Where(id => !forgotten.Contains(id) && nodes.ContainsKey(id)).Select(id => nodes[id]).ToArray(),
            PutEdges = putEdges,
            RemoveNodes = plan.Actions.Where(action => action.Action == LifecycleAction.Forget.ToWireName()).Select(action => action.Node).Distinct(StringComparer.Ordinal).ToArray(),
            RemoveEdges = removedEdges.Select(edge => edge.Id).ToArray(),
            Tombstones = tombstones,
            OpenReviews = reviews,
        };
        return changes;
    }

    /// <summary>The node without forgotten nodes among the ones it is derived from.</summary>
    private static GraphNode WithoutForgottenOrigins(GraphNode node, IReadOnlySet<string> forgotten) =>
        node.Provenance?.DerivedFrom.Any(forgotten.Contains) == true
            ? node with { Provenance = node.Provenance with { DerivedFrom = node.Provenance.DerivedFrom.Where(ancestor => !forgotten.Contains(ancestor)).ToArray() } }
            : node;

    private static string Dominant(LifecyclePlan plan)
    {
        var actions = plan.Actions.Select(action => action.Action).ToHashSet(StringComparer.Ordinal);
        var kind = actions.Contains(LifecycleAction.Forget.ToWireName()) ? EventKind.Forgotten
            : actions.Contains(LifecycleAction.Compact.ToWireName()) ? EventKind.Compacted
            : actions.All(action => action == LifecycleAction.Refresh.ToWireName()) && actions.Count > 0 ? EventKind.Refreshed
            : EventKind.Updated;
        return kind.ToWireName();
    }
}

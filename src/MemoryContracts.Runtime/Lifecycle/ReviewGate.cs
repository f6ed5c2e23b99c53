using MemoryContracts.Diagnostics;
using MemoryContracts.Documents;
using MemoryContracts.Model;

namespace MemoryContracts.Runtime.Lifecycle;

/// <summary>
/// Applies lifecycle plans, only behind the review gate: a plan holding review-required actions is refused without
/// an approval (MC5009), an approval by someone who is not one of the profile's reviewers is refused (MC5010), and
/// a plan made before the graph last changed is refused (MC5011). Every granted and denied decision is an audit
/// record. A granted plan is one log record, so a crash leaves it wholly applied or not at all.
/// </summary>
internal static class ReviewGate
{
    public static AppliedPlan Apply(MemoryWorkspace workspace, LifecyclePlan plan, Approval? approval, string actor)
    {
        var location = workspace.LogLocation(plan.GraphId);
        var profile = workspace.RequireProfile(plan.ProfileId);
        var affected = plan.Actions.Select(action => action.Node).Distinct(StringComparer.Ordinal).ToArray();
        var operation = MemoryWorkspace.NewOperationId();
        ContractDiagnostic? refusal = null;
        var reviewed = plan.Actions.Where(action => action.ReviewRequired).Select(action => $"{action.Action} {action.Node}").ToArray();
        if (reviewed.Length > 0 && approval is not { IsComplete: true })
        {
            refusal = DiagnosticCatalog.ApprovalRequired.Create(SourceLocation.File(location), plan.Id, string.Join(", ", reviewed));
        }
        else if (approval is not null && profile.Reviewers.Count > 0 && !profile.Reviewers.Contains(approval.By, StringComparer.Ordinal))
        {
            refusal = DiagnosticCatalog.ApproverNotReviewer.Create(SourceLocation.File(location), approval.By, profile.Id, string.Join(", ", profile.Reviewers));
        }

        if (refusal is not null)
        {
            workspace.WriteAudit("apply", actor, AuditDecision.Denied, plan.GraphId, affected, refusal.Message, approval, operation);
            throw new MemoryStoreException(refusal);
        }

        var now = workspace.Now();
        var (changes, forgotten) = Changes(workspace.Copy(plan.GraphId), plan, now, operation);
        var graphEvent = new GraphEvent("apply-" + operation[3..], Dominant(plan), now)
        {
            Actor = actor,
            Summary = $"applied {plan.Id}: {string.Join(", ", plan.Actions.GroupBy(action => action.Action).OrderBy(group => group.Key, StringComparer.Ordinal).Select(group => $"{group.Count()} {group.Key}"))}",
            Nodes = changes.PutNodes.Select(node => node.Id).Concat(changes.RemoveNodes).Distinct(StringComparer.Ordinal).ToArray(),
            Edges = changes.PutEdges.Select(edge => edge.Id).Concat(changes.RemoveEdges).ToArray(),
            Attributes = [new("plan", new AttributeValue(DocumentValueKind.String, plan.Id))],
        };

        MemoryRecord record;
        try
        {
            record = workspace.AppendRecords(plan.GraphId, [new MemoryRecord(0, now, graphEvent, changes) { Operation = operation }], plan.Sequence)[0];
        }
        catch (MemoryStoreException exception) when (exception.Code == DiagnosticCatalog.StaleLogPosition.Code)
        {
            var stale = new MemoryStoreException(DiagnosticCatalog.StaleLogPosition.Create(SourceLocation.File(location), $"plan '{plan.Id}'", plan.GraphId, plan.Sequence, workspace.Log.LastSequence(plan.GraphId)));
            workspace.WriteAudit("apply", actor, AuditDecision.Denied, plan.GraphId, affected, stale.Diagnostics[0].Message, approval, operation);
            throw stale;
        }

        if (forgotten.Count > 0)
        {
            // Forgetting removes the content from history too: earlier records lose the forgotten nodes and edges.
            workspace.Log.Rewrite(plan.GraphId, logged => logged.Sequence >= record.Sequence ? logged : Strip(logged, forgotten));
            workspace.Checkpoint();
        }

        workspace.WriteAudit("apply", actor, AuditDecision.Granted, plan.GraphId, affected, graphEvent.Summary, approval, operation);
        return new AppliedPlan(plan.Id, operation, record);
    }

    /// <summary>A record without the content of forgotten nodes and edges; ids in events stay (they are not content).</summary>
    internal static MemoryRecord Strip(MemoryRecord record, IReadOnlySet<string> forgotten)
    {
        if (!record.Changes.PutNodes.Any(node => forgotten.Contains(node.Id)) && !record.Changes.PutEdges.Any(edge => forgotten.Contains(edge.Id)))
        {
            return record;
        }

        return record with
        {
            Changes = record.Changes with
            {
                PutNodes = record.Changes.PutNodes.Where(node => !forgotten.Contains(node.Id)).ToArray(),
                PutEdges = record.Changes.PutEdges.Where(edge => !forgotten.Contains(edge.Id)).ToArray(),
            },
        };
    }

    private static (GraphChanges Changes, IReadOnlySet<string> Forgotten) Changes(GraphState state, LifecyclePlan plan, string now, string operation)
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
                    var node = Current(id);
                    forgotten.Add(id);
                    tombstones.Add(new Tombstone(id, node.Kind, now, action.Reason, operation));
                    break;
                case LifecycleAction.Compact:
                    Current(id);
                    break;
                default:
                    Current(id);
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
        return (changes, forgotten);
    }

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

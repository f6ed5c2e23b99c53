using System.Globalization;
using MemoryContracts.Diagnostics;
using MemoryContracts.Model;

namespace MemoryContracts.Runtime.Lifecycle;

/// <summary>
/// Plans lifecycle actions from a profile's retention rules and from explicit requests, with a source and a policy
/// explanation per affected node. Forgetting follows lineage: whatever was derived from a forgotten node (by
/// <c>provenance.derived_from</c> or a <c>derived_from</c> edge, transitively) is put up for review or forgotten with it.
/// </summary>
internal static class LifecyclePlanner
{
    private static readonly string DerivedFrom = EdgeKind.DerivedFrom.ToWireName();
    private static readonly string Forget = LifecycleAction.Forget.ToWireName();
    private static readonly string Refresh = LifecycleAction.Refresh.ToWireName();
    private static readonly string Compact = LifecycleAction.Compact.ToWireName();
    private static readonly string Retire = LifecycleAction.Retire.ToWireName();
    private static readonly string MarkStale = LifecycleAction.MarkStale.ToWireName();
    private static readonly HashSet<string> Settled = new(StringComparer.Ordinal)
    {
        LifecycleState.Retired.ToWireName(), LifecycleState.Forgotten.ToWireName(), LifecycleState.DeleteRequested.ToWireName(),
    };

    public const string ReviewAction = "review";

    /// <summary>
    /// Whether applying an action needs an approval under a profile: the profile lists the action, or the retention
    /// rule that planned it asks for review. The review gate asks this of the stored profile, never of the plan.
    /// </summary>
    public static bool NeedsReview(PlannedAction action, MemoryProfile profile) =>
        action.Action != ReviewAction
        && (profile.ReviewRequiredFor.Contains(action.Action, StringComparer.Ordinal)
            || (action.Rule is { } rule && profile.Retention.Any(candidate => candidate.Id == rule && candidate.ReviewRequired)));

    /// <remarks>
    /// <paramref name="branches"/> gives the states of the graph's open branches (lineage reaches nodes that live only
    /// there); it is called only when the plan forgets something, since replaying every branch costs a log read each.
    /// </remarks>
    public static LifecyclePlan Plan(GraphState state, Func<IReadOnlyList<GraphState>> branches, long sequence, MemoryProfile profile, string profileHash, LifecycleRequest request, DateTimeOffset now, string planned, string location, Func<string, GraphNode?> removed)
    {
        var actions = new List<PlannedAction>();
        bool NeedsReview(string action, bool ruleSays) => ruleSays || profile.ReviewRequiredFor.Contains(action, StringComparer.Ordinal);
        GraphNode Require(string id) =>
            state.FindNode(id) ?? throw MemoryStoreException.Create(DiagnosticCatalog.UnknownStoreItem, location, "node", id, $" (graph '{state.GraphId}')");

        if (request.Retention)
        {
            foreach (var rule in profile.Retention)
            {
                foreach (var node in state.Nodes.Where(node => rule.NodeKinds.Count == 0 || rule.NodeKinds.Contains(node.Kind, StringComparer.Ordinal)))
                {
                    if (Settled.Contains(node.Lifecycle?.State ?? string.Empty) || (rule.Action == MarkStale && node.Lifecycle?.State == LifecycleState.Stale.ToWireName()))
                    {
                        continue;
                    }

                    if (LastChanged(node) is not { } changed || (now - changed.Time).TotalDays < rule.AfterDays)
                    {
                        continue;
                    }

                    var age = (int)(now - changed.Time).TotalDays;
                    actions.Add(Action(rule.Action, node, NeedsReview(rule.Action, rule.ReviewRequired), $"retention rule '{rule.Id}' ({rule.MemoryKind}): {changed.Field} {changed.Text} is {age} days old, the rule acts after {rule.AfterDays}") with
                    {
                        Rule = rule.Id,
                        Target = rule.Action == Compact ? $"{rule.Id}-summary" : null,
                        TargetTitle = rule.Action == Compact ? $"Summary of rule {rule.Id}" : null,
                    });
                }
            }
        }

        foreach (var id in request.Refresh)
        {
            actions.Add(Action(Refresh, Require(id), NeedsReview(Refresh, false), "refresh requested"));
        }

        if (request.Compact is { } compaction)
        {
            foreach (var id in compaction.Sources)
            {
                actions.Add(Action(Compact, Require(id), NeedsReview(Compact, false), $"compaction into '{compaction.SummaryId}' requested") with { Target = compaction.SummaryId, TargetTitle = compaction.Title });
                if (compaction.RetireSources)
                {
                    actions.Add(Action(Retire, Require(id), NeedsReview(Retire, false), $"retired by the compaction into '{compaction.SummaryId}'"));
                }
            }
        }

        var forgotten = actions.Where(action => action.Action == Forget).Select(action => action.Node).ToHashSet(StringComparer.Ordinal);
        foreach (var id in request.Forget.Where(forgotten.Add))
        {
            // A node removed earlier is still in the log's history: forgetting it scrubs that history.
            var requested = request.Reason is null ? "forget requested" : $"forget requested: {request.Reason}";
            actions.Add(state.FindNode(id) is null && removed(id) is { } earlier
                ? Action(Forget, earlier, NeedsReview(Forget, false), requested + " (removed earlier; its content remains in the log's history)")
                : Action(Forget, Require(id), NeedsReview(Forget, false), requested));
        }

        foreach (var (node, ancestor) in forgotten.Count == 0 ? [] : Descendants([state, .. branches()], forgotten))
        {
            var descendant = node.Id;
            actions.Add(request.Lineage == LineagePolicy.Forget
                ? Action(Forget, node, NeedsReview(Forget, false), $"derived from '{ancestor}', which is forgotten")
                : Action(ReviewAction, node, false, $"derived from '{ancestor}', which is forgotten; review what it still holds"));
            if (request.Lineage == LineagePolicy.Forget)
            {
                forgotten.Add(descendant);
            }
        }

        // A forgotten node gets no other action; each (action, node) once; deterministic order.
        var ordered = actions
            .Where(action => action.Action == Forget || !forgotten.Contains(action.Node))
            .DistinctBy(action => (action.Action, action.Node))
            .OrderBy(action => action.Node, StringComparer.Ordinal).ThenBy(action => action.Action, StringComparer.Ordinal)
            .ToArray();
        var plan = new LifecyclePlan(string.Empty, state.GraphId, profile.Id, sequence, planned, ordered)
        {
            Reason = request.Reason,
            RequestedBy = request.RequestedBy,
            ProfileHash = profileHash,
        };
        return plan with { Id = LifecyclePlanJson.IdOf(plan) };
    }

    /// <summary>
    /// Nodes derived from the given ones, transitively, on the main path (the first state) or any open branch (a node
    /// that lives only there would otherwise reach the main path by a later merge), each with the ancestor it was
    /// reached from, in a deterministic order.
    /// </summary>
    private static IEnumerable<(GraphNode Descendant, string Ancestor)> Descendants(IReadOnlyList<GraphState> states, IReadOnlyCollection<string> roots)
    {
        var seen = new HashSet<string>(roots, StringComparer.Ordinal);
        var queue = new Queue<string>(roots.Order(StringComparer.Ordinal));
        var derivedBy = states.SelectMany(state => state.Nodes
                .SelectMany(node => (node.Provenance?.DerivedFrom ?? []).Select(ancestor => (Ancestor: ancestor, Descendant: node.Id)))
                .Concat(state.Edges.Where(edge => edge.Kind == DerivedFrom).Select(edge => (Ancestor: edge.Target, Descendant: edge.Source))))
            .ToLookup(pair => pair.Ancestor, pair => pair.Descendant, StringComparer.Ordinal);
        while (queue.TryDequeue(out var ancestor))
        {
            foreach (var descendant in derivedBy[ancestor].Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                if (seen.Add(descendant) && states.Select(state => state.FindNode(descendant)).FirstOrDefault(node => node is not null) is { } node)
                {
                    queue.Enqueue(descendant);
                    yield return (node, ancestor);
                }
            }
        }
    }

    private static PlannedAction Action(string action, GraphNode node, bool reviewRequired, string reason) =>
        new(action, node.Id, reviewRequired, reason, SourceOf(node), PolicyOf(node));

    private static string SourceOf(GraphNode node)
    {
        var from = node.Source is { } span ? $"from {Paths.PathOperations.SpanText(span)}" : "no source span";
        var by = node.Provenance is { } provenance
            ? $"; {provenance.Method ?? "produced"} by {provenance.Author ?? "an unknown author"}{(provenance.RecordedAt is null ? string.Empty : " at " + provenance.RecordedAt)}"
            : string.Empty;
        return from + by;
    }

    private static string PolicyOf(GraphNode node) => node.Policy is { } policy
        ? $"labels [{string.Join(", ", policy.Labels)}], trust zone {policy.TrustZone ?? "(none)"}, reauthorize {policy.Reauthorize ?? "(none)"}"
        : "no policy recorded";

    private static (DateTimeOffset Time, string Field, string Text)? LastChanged(GraphNode node)
    {
        foreach (var (field, text) in new[] { ("updated_at", node.Lifecycle?.UpdatedAt), ("created_at", node.Lifecycle?.CreatedAt), ("provenance.recorded_at", node.Provenance?.RecordedAt) })
        {
            if (text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time))
            {
                return (time, field, text);
            }
        }

        return null;
    }
}

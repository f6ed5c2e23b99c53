namespace MemoryContracts.Runtime.Lifecycle;

/// <summary>What happens to the descendants of a forgotten node (nodes derived from it, such as summaries).</summary>
public enum LineagePolicy
{
    /// <summary>They are put up for review, with the reason; nothing else changes.</summary>
    Review,

    /// <summary>They are forgotten with it, each leaving its own tombstone.</summary>
    Forget,
}

/// <summary>A compaction asked for by name: a summary node derived from the sources.</summary>
/// <param name="SummaryId">The id of the new summary node.</param>
/// <param name="Title">Its title.</param>
/// <param name="Sources">The nodes it summarizes.</param>
/// <param name="RetireSources">Whether the sources are retired by the same record.</param>
public sealed record CompactionRequest(string SummaryId, string Title, IReadOnlyList<string> Sources, bool RetireSources);

/// <summary>What to plan, besides the profile's retention rules.</summary>
public sealed record LifecycleRequest
{
    /// <summary>The time retention ages are measured at; the workspace clock when null.</summary>
    public DateTimeOffset? Now { get; init; }

    /// <summary>Whether the profile's retention rules are evaluated.</summary>
    public bool Retention { get; init; } = true;

    /// <summary>Nodes to refresh (clears stale markers).</summary>
    public IReadOnlyList<string> Refresh { get; init; } = [];

    /// <summary>Nodes to forget.</summary>
    public IReadOnlyList<string> Forget { get; init; } = [];

    /// <summary>A compaction to perform.</summary>
    public CompactionRequest? Compact { get; init; }

    /// <summary>What happens to what was derived from forgotten nodes.</summary>
    public LineagePolicy Lineage { get; init; } = LineagePolicy.Review;

    /// <summary>Why (recorded with forget tombstones).</summary>
    public string? Reason { get; init; }

    /// <summary>Who asks for the plan; they cannot approve it themselves.</summary>
    public string RequestedBy { get; init; } = string.Empty;
}

/// <summary>One planned action on one node, with its explanations.</summary>
/// <param name="Action">A lifecycle action (<c>mark_stale</c>, <c>refresh</c>, <c>request_delete</c>, <c>compact</c>, <c>retire</c>, <c>forget</c>) or <c>review</c> (flag for review).</param>
/// <param name="Node">The node it acts on.</param>
/// <param name="ReviewRequired">Whether applying it needs an approval.</param>
/// <param name="Reason">Why it is planned (the rule and the age, the request, the lineage).</param>
/// <param name="Source">Where the node comes from and who produced it.</param>
/// <param name="Policy">The node's policy labels, trust zone and reauthorization hint.</param>
public sealed record PlannedAction(string Action, string Node, bool ReviewRequired, string Reason, string Source, string Policy)
{
    /// <summary>The retention rule that planned it, if any.</summary>
    public string? Rule { get; init; }

    /// <summary>For <c>compact</c>: the summary node the node is compacted into.</summary>
    public string? Target { get; init; }

    /// <summary>For <c>compact</c>: the summary's title.</summary>
    public string? TargetTitle { get; init; }
}

/// <summary>
/// A dry-run plan. Its id is the hash of its canonical form, and the workspace records it when it is made: only a plan
/// the workspace issued, unchanged, applies, and only once. It remembers the log position it was made at, so it
/// cannot be applied to a graph that has changed since (MC5011), and the hash of the profile it was made under, so a
/// profile changed since cannot govern it.
/// </summary>
/// <param name="Id">The plan id: <c>plan-</c> and the SHA-256 of the canonical form (the canonical form is checked by the review gate on every apply).</param>
/// <param name="GraphId">The graph.</param>
/// <param name="ProfileId">The profile whose rules and reviewers govern it.</param>
/// <param name="Sequence">The graph's log position when it was made.</param>
/// <param name="At">When it was made.</param>
/// <param name="Actions">The planned actions, in a deterministic order.</param>
public sealed record LifecyclePlan(string Id, string GraphId, string ProfileId, long Sequence, string At, IReadOnlyList<PlannedAction> Actions)
{
    /// <summary>Why forgetting was asked for.</summary>
    public string? Reason { get; init; }

    /// <summary>Who asked for it.</summary>
    public string RequestedBy { get; init; } = string.Empty;

    /// <summary>The SHA-256 (hex) of the profile as it was stored when the plan was made.</summary>
    public string ProfileHash { get; init; } = string.Empty;

    /// <summary>Whether any action needs an approval, as the profile said when it was made (the gate decides again from the stored profile).</summary>
    public bool RequiresReview => Actions.Any(action => action.ReviewRequired);
}

/// <summary>An applied plan.</summary>
/// <param name="PlanId">The plan.</param>
/// <param name="Operation">The audit operation id.</param>
/// <param name="Record">The one record that carries every change.</param>
public sealed record AppliedPlan(string PlanId, string Operation, MemoryRecord Record);

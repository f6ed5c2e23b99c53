using MemoryContracts.Model;

namespace MemoryContracts.Blueprints;

/// <summary>What a profile implies for a runtime: stores, limits, retention plans and review gates. Nothing is started.</summary>
public sealed record BlueprintPlan(string ProfileId, ActivationLimits Activation)
{
    /// <summary>The profile's title.</summary>
    public string? Title { get; init; }

    /// <summary>The profile's intent.</summary>
    public string? Intent { get; init; }

    /// <summary>One entry per declared memory kind.</summary>
    public IReadOnlyList<StorePlan> Stores { get; init; } = [];

    /// <summary>One entry per retention rule.</summary>
    public IReadOnlyList<RetentionPlan> Retention { get; init; } = [];

    /// <summary>Lifecycle actions that need an approval marker.</summary>
    public IReadOnlyList<string> ReviewRequiredFor { get; init; } = [];

    /// <summary>Who may approve.</summary>
    public IReadOnlyList<string> Reviewers { get; init; } = [];
}

/// <summary>The store a memory kind needs, and what that store is.</summary>
/// <param name="MemoryKind">The memory kind.</param>
/// <param name="MemoryKindDescription">The memory kind's meaning, from the schema.</param>
/// <param name="Store">The store kind.</param>
/// <param name="StoreDescription">What the store is and which boundary handles it, from the schema.</param>
public sealed record StorePlan(string MemoryKind, string? MemoryKindDescription, string Store, string? StoreDescription);

/// <summary>What a retention rule would propose, and whether applying it needs review.</summary>
/// <param name="RuleId">The rule's id.</param>
/// <param name="MemoryKind">The memory kind it ages.</param>
/// <param name="Action">The lifecycle action it proposes.</param>
/// <param name="AfterDays">Days without change before it proposes the action.</param>
/// <param name="NodeKinds">Node kinds it is limited to; all when empty.</param>
/// <param name="ReviewRequired">Whether applying needs an explicit approval.</param>
public sealed record RetentionPlan(string RuleId, string MemoryKind, string Action, int AfterDays, IReadOnlyList<string> NodeKinds, bool ReviewRequired);

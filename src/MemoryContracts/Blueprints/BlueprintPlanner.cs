using System.Globalization;
using System.Text;
using MemoryContracts.Model;
using MemoryContracts.Output;
using MemoryContracts.Schemas;

namespace MemoryContracts.Blueprints;

/// <summary>Explains what a profile implies for a runtime, using the vocabulary descriptions of its schema.</summary>
public static class BlueprintPlanner
{
    /// <summary>Builds the plan of a valid profile.</summary>
    public static BlueprintPlan Plan(MemoryProfile profile, SchemaCatalog catalog)
    {
        var contract = catalog.FindBySchemaVersion(profile.SchemaVersion) ?? throw new ArgumentException($"Unknown contract '{profile.SchemaVersion}'.", nameof(profile));
        var memoryKinds = catalog.FindVocabulary(nameof(MemoryKind), contract);
        var storeKinds = catalog.FindVocabulary(nameof(StoreKind), contract);
        var stores = profile.Stores.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        var review = new HashSet<string>(profile.ReviewRequiredFor, StringComparer.Ordinal);
        return new BlueprintPlan(profile.Id, profile.Activation)
        {
            Title = profile.Title,
            Intent = profile.Intent,
            Stores = profile.MemoryKinds.Select(kind =>
            {
                var store = stores.TryGetValue(kind, out var value) ? value : string.Empty;
                return new StorePlan(kind, Describe(memoryKinds, kind), store, Describe(storeKinds, store));
            }).ToArray(),
            Retention = profile.Retention.Select(rule => new RetentionPlan(rule.Id, rule.MemoryKind, rule.Action, rule.AfterDays, rule.NodeKinds, rule.ReviewRequired || review.Contains(rule.Action))).ToArray(),
            ReviewRequiredFor = profile.ReviewRequiredFor,
            Reviewers = profile.Reviewers,
        };
    }

    /// <summary>Renders a plan for people.</summary>
    public static string ToText(BlueprintPlan plan)
    {
        var text = new StringBuilder();
        text.Append("Profile '").Append(plan.ProfileId).Append('\'');
        if (plan.Title is not null)
        {
            text.Append(" (").Append(plan.Title).Append(')');
        }

        text.Append('\n');
        if (plan.Intent is not null)
        {
            text.Append("Intent: ").Append(plan.Intent).Append('\n');
        }

        text.Append("\nStores a runtime must provide:\n");
        var width = plan.Stores.Select(store => store.MemoryKind.Length).DefaultIfEmpty(0).Max();
        foreach (var store in plan.Stores)
        {
            text.Append("  ").Append(store.MemoryKind.PadRight(width)).Append(" -> ").Append(store.Store);
            if (store.StoreDescription is not null)
            {
                text.Append(": ").Append(store.StoreDescription);
            }

            text.Append('\n');
        }

        text.Append("\nActivation: ").Append(DescribeLimits(plan.Activation)).Append(".\n");
        text.Append("\nRetention (proposed as dry-run plans, never applied by themselves):\n");
        if (plan.Retention.Count == 0)
        {
            text.Append("  none\n");
        }

        foreach (var rule in plan.Retention)
        {
            var kinds = rule.NodeKinds.Count == 0 ? string.Empty : " (" + string.Join(", ", rule.NodeKinds) + ")";
            text.Append("  ").Append(rule.RuleId).Append(": ").Append(rule.MemoryKind).Append(" memories").Append(kinds)
                .Append(" unchanged for ").Append(rule.AfterDays.ToString(CultureInfo.InvariantCulture)).Append(" days -> ").Append(rule.Action)
                .Append(rule.ReviewRequired ? " (needs approval)" : string.Empty).Append('\n');
        }

        text.Append("\nReview: ");
        text.Append(plan.ReviewRequiredFor.Count == 0 ? "no action needs approval" : "approval required for " + string.Join(", ", plan.ReviewRequiredFor));
        if (plan.Reviewers.Count > 0)
        {
            text.Append("; reviewers: ").Append(string.Join(", ", plan.Reviewers));
        }

        text.Append("\n\nNothing was started: this plan only explains what the profile implies.\n");
        return text.ToString();
    }

    /// <summary>Renders a plan as an ordered value tree for JSON output.</summary>
    internal static WireObject ToWire(BlueprintPlan plan) => new WireObject()
        .Add("profile", plan.ProfileId)
        .Add("title", plan.Title)
        .Add("intent", plan.Intent)
        .Add("stores", new WireArray(plan.Stores.Select(store => new WireObject()
            .Add("memory_kind", store.MemoryKind)
            .Add("memory_kind_description", store.MemoryKindDescription)
            .Add("store", store.Store)
            .Add("store_description", store.StoreDescription))))
        .Add("activation", new WireObject().Add("max_items", plan.Activation.MaxItems).Add("max_tokens", plan.Activation.MaxTokens))
        .Add("retention", new WireArray(plan.Retention.Select(rule => new WireObject()
            .Add("id", rule.RuleId)
            .Add("memory_kind", rule.MemoryKind)
            .Add("node_kinds", WireValue.From(rule.NodeKinds))
            .Add("action", rule.Action)
            .Add("after_days", rule.AfterDays)
            .Add("review_required", WireValue.From(rule.ReviewRequired)))))
        .Add("review_required_for", WireValue.From(plan.ReviewRequiredFor))
        .Add("reviewers", WireValue.From(plan.Reviewers))
        .Add("started", WireValue.From(false));

    private static string? Describe(Vocabulary? vocabulary, string value) =>
        vocabulary?.Terms.FirstOrDefault(term => term.Value == value)?.Description;

    private static string DescribeLimits(ActivationLimits limits) => (limits.MaxItems, limits.MaxTokens) switch
    {
        (null, null) => "no limits",
        ({ } items, null) => $"at most {items} items per context package",
        (null, { } tokens) => $"at most {tokens} tokens per context package",
        ({ } items, { } tokens) => $"at most {items} items and {tokens} tokens per context package",
    };
}

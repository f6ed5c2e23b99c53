using MemoryContracts.Documents;
using MemoryContracts.Validation;

namespace MemoryContracts.Model;

/// <summary>Reads the typed model from documents that passed validation; absent optional values stay null.</summary>
internal static class ModelReader
{
    public static MemoryGraph ReadGraph(DocumentNode root)
    {
        var nodes = DocumentItems.Of(root, "nodes").Select(ReadNode).ToArray();
        var edges = DocumentItems.Of(root, "edges").Select(ReadEdge).ToArray();
        var events = DocumentItems.Of(root, "events").Select(ReadEvent).ToArray();
        return new MemoryGraph(String(root, "schema_version"), String(root, "id"), nodes, edges, events)
        {
            Title = root.GetOptionalString("title"),
            Description = root.GetOptionalString("description"),
        };
    }

    public static MemoryProfile ReadProfile(DocumentNode root)
    {
        root.TryGetProperty("activation", out var activation);
        root.TryGetProperty("review", out var review);
        return new MemoryProfile(String(root, "schema_version"), String(root, "id"))
        {
            Title = root.GetOptionalString("title"),
            Intent = root.GetOptionalString("intent"),
            MemoryKinds = Strings(root, "memory_kinds"),
            Stores = Pairs(root, "stores"),
            Activation = new ActivationLimits(Integer(activation, "max_items"), Integer(activation, "max_tokens")),
            Retention = DocumentItems.Of(root, "retention").Select(rule => new RetentionRule(String(rule, "id"), String(rule, "memory_kind"), String(rule, "action"), Integer(rule, "after_days") ?? 0)
            {
                NodeKinds = Strings(rule, "node_kinds"),
                ReviewRequired = rule.TryGetProperty("review_required", out var flag) && flag.GetBoolean(),
            }).ToArray(),
            ReviewRequiredFor = Strings(review, "required_for"),
            Reviewers = Strings(review, "reviewers"),
            ReviewerKeys = Pairs(review, "reviewer_keys"),
        };
    }

    public static MemorySelection ReadSelection(DocumentNode root)
    {
        root.TryGetProperty("select", out var select);
        return new MemorySelection(String(root, "schema_version"), String(root, "id"), String(root, "graph"))
        {
            Title = root.GetOptionalString("title"),
            Description = root.GetOptionalString("description"),
            Profile = root.GetOptionalString("profile"),
            Nodes = Strings(select, "nodes").Distinct(StringComparer.Ordinal).ToArray(),
            Edges = Strings(select, "edges").Distinct(StringComparer.Ordinal).ToArray(),
            Events = Strings(select, "events").Distinct(StringComparer.Ordinal).ToArray(),
            Budget = root.TryGetProperty("budget", out var budget) ? new ActivationLimits(Integer(budget, "max_items"), Integer(budget, "max_tokens")) : null,
            Namespace = ReadNamespace(root),
        };
    }

    public static ContextManifest ReadManifest(DocumentNode root) => new(String(root, "schema_version"), String(root, "id"))
    {
        Title = root.GetOptionalString("title"),
        Description = root.GetOptionalString("description"),
        Namespace = ReadNamespace(root),
        Sources = DocumentItems.Of(root, "sources").Select(source => new ManifestSource(
            source.GetOptionalString("selection"),
            source.GetOptionalString("graph"),
            source.TryGetProperty("query", out var query) ? ReadQuery(query) : null)).ToArray(),
        Budget = root.TryGetProperty("budget", out var budget) ? new ActivationLimits(Integer(budget, "max_items"), Integer(budget, "max_tokens")) : null,
        Policy = root.GetOptionalString("policy"),
    };

    public static ContextPolicy ReadContextPolicy(DocumentNode root) => new(String(root, "schema_version"), String(root, "id"))
    {
        Title = root.GetOptionalString("title"),
        DenyLabels = Strings(root, "deny_labels"),
        AllowLabels = Strings(root, "allow_labels"),
        MaxTrustZone = root.GetOptionalString("max_trust_zone"),
        AssistedSummaries = root.TryGetProperty("assisted_summaries", out var assisted) && assisted.GetBoolean(),
        External = DocumentItems.Of(root, "external").Select(ReadExternal).ToArray(),
    };

    public static Packing.ContextPackage ReadPackage(DocumentNode root)
    {
        root.TryGetProperty("recipe", out var recipe);
        root.TryGetProperty("budget", out var budget);
        root.TryGetProperty("summary", out var summary);
        root.TryGetProperty("metadata", out var metadata);
        return new Packing.ContextPackage(String(root, "id"), new Packing.PackageRecipe(String(recipe, "kind"))
        {
            Selection = recipe.GetOptionalString("selection"),
            Graph = recipe.GetOptionalString("graph"),
            GraphId = recipe.GetOptionalString("graph_id"),
            Profile = recipe.GetOptionalString("profile"),
            ProfileId = recipe.GetOptionalString("profile_id"),
            Nodes = Strings(recipe, "nodes"),
            Edges = Strings(recipe, "edges"),
            Events = Strings(recipe, "events"),
            Manifest = recipe.GetOptionalString("manifest"),
            Query = recipe.TryGetProperty("query", out var query) ? ReadQuery(query) : null,
        }, new Packing.PackageBudget(Integer(budget, "max_items"), Integer(budget, "max_tokens"), String(budget, "source")))
        {
            Title = root.GetOptionalString("title"),
            Description = root.GetOptionalString("description"),
            Namespace = ReadNamespace(root),
            Summary = DocumentItems.Of(summary, "layers").Select(layer => new Packing.SummaryLayer(String(layer, "kind"), String(layer, "text"))).ToArray(),
            TokenEstimate = Integer(root, "token_estimate") ?? 0,
            Items = DocumentItems.Of(root, "items").Select(ReadItem).ToArray(),
            Edges = DocumentItems.Of(metadata, "edges").Select(edge => new Packing.PackageEdge(String(edge, "id"), String(edge, "kind"), String(edge, "source"), String(edge, "target"), String(edge, "selection"))).ToArray(),
            Dropped = DocumentItems.Of(metadata, "dropped").Select(item => new Packing.DroppedItem(String(item, "id"), String(item, "item_type"), String(item, "reason"))).ToArray(),
        };
    }

    private static NodeQuery ReadQuery(DocumentNode query) => new()
    {
        Kinds = Strings(query, "kinds"),
        Ids = Strings(query, "ids"),
        Labels = Strings(query, "labels"),
        Text = query.GetOptionalString("text"),
    };

    private static Packing.PackageItem ReadItem(DocumentNode item) =>
        new(String(item, "id"), String(item, "item_type"), String(item, "kind"), String(item, "title"), String(item, "summary"), Integer(item, "token_estimate") ?? 0, item.TryGetProperty("origin", out var origin) ? ReadSpan(origin) : new SourceSpan(string.Empty))
        {
            Text = item.GetOptionalString("text"),
            Source = item.TryGetProperty("source", out var source) ? ReadSpan(source) : null,
            Provenance = item.TryGetProperty("provenance", out var provenance) ? ReadProvenance(provenance) : null,
            Policy = item.TryGetProperty("policy", out var policy) ? ReadPolicy(policy) : null,
            Freshness = item.TryGetProperty("freshness", out var freshness) ? ReadLifecycle(freshness) : null,
            Event = item.TryGetProperty("event", out var detail) ? new Packing.EventDetail(String(detail, "at"))
            {
                Actor = detail.GetOptionalString("actor"),
                Path = detail.GetOptionalString("path"),
                Nodes = Strings(detail, "nodes"),
                Edges = Strings(detail, "edges"),
            } : null,
        };

    public static MemoryNamespace? ReadNamespace(DocumentNode owner) =>
        owner.TryGetProperty("namespace", out var scope) ? new MemoryNamespace(String(scope, "kind"), String(scope, "id")) : null;

    private static GraphNode ReadNode(DocumentNode node) => new(String(node, "id"), String(node, "kind"), String(node, "title"))
    {
        Text = node.GetOptionalString("text"),
        Source = node.TryGetProperty("source", out var source) ? ReadSpan(source) : null,
        Provenance = node.TryGetProperty("provenance", out var provenance) ? ReadProvenance(provenance) : null,
        Policy = node.TryGetProperty("policy", out var policy) ? ReadPolicy(policy) : null,
        Lifecycle = node.TryGetProperty("lifecycle", out var lifecycle) ? ReadLifecycle(lifecycle) : null,
        Attributes = ReadAttributes(node),
        Origin = node.Location,
    };

    private static GraphEdge ReadEdge(DocumentNode edge) => new(String(edge, "id"), String(edge, "kind"), String(edge, "source"), String(edge, "target"))
    {
        Text = edge.GetOptionalString("text"),
        Provenance = edge.TryGetProperty("provenance", out var provenance) ? ReadProvenance(provenance) : null,
        Attributes = ReadAttributes(edge),
        Origin = edge.Location,
    };

    private static GraphEvent ReadEvent(DocumentNode graphEvent) => new(String(graphEvent, "id"), String(graphEvent, "kind"), String(graphEvent, "at"))
    {
        Actor = graphEvent.GetOptionalString("actor"),
        Path = graphEvent.GetOptionalString("path"),
        Summary = graphEvent.GetOptionalString("summary"),
        Nodes = Strings(graphEvent, "nodes"),
        Edges = Strings(graphEvent, "edges"),
        Attributes = ReadAttributes(graphEvent),
        Origin = graphEvent.Location,
    };

    private static SourceSpan ReadSpan(DocumentNode span) =>
        new(String(span, "path"), Integer(span, "start_line"), Integer(span, "end_line"), Integer(span, "start_column"), Integer(span, "end_column"));

    private static Provenance ReadProvenance(DocumentNode provenance) => new()
    {
        Author = provenance.GetOptionalString("author"),
        Method = provenance.GetOptionalString("method"),
        RecordedAt = provenance.GetOptionalString("recorded_at"),
        DerivedFrom = Strings(provenance, "derived_from"),
        Confidence = provenance.TryGetProperty("confidence", out var confidence) && confidence.TryGetDouble(out var value) ? value : null,
    };

    private static MemoryPolicy ReadPolicy(DocumentNode policy) => new()
    {
        Labels = Strings(policy, "labels"),
        TrustZone = policy.GetOptionalString("trust_zone"),
        Reauthorize = policy.GetOptionalString("reauthorize"),
        External = DocumentItems.Of(policy, "external").Select(ReadExternal).ToArray(),
    };

    private static ExternalPolicyReference ReadExternal(DocumentNode reference) => new()
    {
        DecisionId = reference.GetOptionalString("decision_id"),
        PolicyVersion = reference.GetOptionalString("policy_version"),
        Issuer = reference.GetOptionalString("issuer"),
        ResourceId = reference.GetOptionalString("resource_id"),
        DecidedAt = reference.GetOptionalString("decided_at"),
    };

    private static MemoryLifecycle ReadLifecycle(DocumentNode lifecycle) => new()
    {
        State = lifecycle.GetOptionalString("state"),
        CreatedAt = lifecycle.GetOptionalString("created_at"),
        UpdatedAt = lifecycle.GetOptionalString("updated_at"),
        ReviewedAt = lifecycle.GetOptionalString("reviewed_at"),
        StaleAfterDays = Integer(lifecycle, "stale_after_days"),
    };

    /// <summary>An attribute value in its one interpretation: booleans as <c>true</c>/<c>false</c>, numbers as their JSON spelling with every digit.</summary>
    private static AttributeValue Attribute(DocumentNode value) => value.Kind switch
    {
        DocumentValueKind.Boolean => new AttributeValue(DocumentValueKind.Boolean, value.GetBoolean() ? "true" : "false"),
        DocumentValueKind.Integer or DocumentValueKind.Float when value.GetJsonNumber() is { } json => AttributeValue.Number(json),
        _ => new AttributeValue(value.Kind, value.GetString()),
    };

    private static IReadOnlyList<KeyValuePair<string, AttributeValue>> ReadAttributes(DocumentNode owner) =>
        owner.TryGetProperty("attributes", out var attributes)
            ? attributes.EnumerateProperties().Select(pair => new KeyValuePair<string, AttributeValue>(pair.Key.GetString(), Attribute(pair.Value))).ToArray()
            : [];

    private static string[] Strings(DocumentNode owner, string name) =>
        DocumentItems.Of(owner, name).Where(item => item.IsString).Select(item => item.GetString()).ToArray();

    private static KeyValuePair<string, string>[] Pairs(DocumentNode owner, string name) =>
        owner.TryGetProperty(name, out var map) && map.IsMapping
            ? map.EnumerateProperties().Where(pair => pair.Value.IsString).Select(pair => new KeyValuePair<string, string>(pair.Key.GetString(), pair.Value.GetString())).ToArray()
            : [];

    private static string String(DocumentNode owner, string name) => owner.GetOptionalString(name) ?? string.Empty;

    /// <summary>An integer field: integer-valued numbers in any spelling (<c>2</c>, <c>2.0</c>, <c>2e0</c>, <c>0x2</c>) read the same; the schemas keep them within 32 bits.</summary>
    private static int? Integer(DocumentNode owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.GetJsonNumber() is { } json && NumberText.TryGetInt32(json, out var number) ? number : null;
}

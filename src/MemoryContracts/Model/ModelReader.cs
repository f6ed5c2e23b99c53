using MemoryContracts.Documents;
using MemoryContracts.Validation;

namespace MemoryContracts.Model;

/// <summary>Reads the typed model from documents that passed validation; absent optional values stay null.</summary>
internal static class ModelReader
{
    public static MemoryGraph ReadGraph(DocumentNode root)
    {
        var nodes = DocumentItems.Of(root, GraphFields.Nodes).Select(ReadNode).ToArray();
        var edges = DocumentItems.Of(root, GraphFields.Edges).Select(ReadEdge).ToArray();
        var events = DocumentItems.Of(root, GraphFields.Events).Select(ReadEvent).ToArray();
        return new MemoryGraph(String(root, GraphFields.SchemaVersion), String(root, GraphFields.Id), nodes, edges, events)
        {
            Title = root.GetOptionalString(GraphFields.Title),
            Description = root.GetOptionalString(GraphFields.Description),
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

    private static GraphNode ReadNode(DocumentNode node) => new(String(node, NodeFields.Id), String(node, NodeFields.Kind), String(node, NodeFields.Title))
    {
        Text = node.GetOptionalString(NodeFields.Text),
        Source = node.TryGetProperty(NodeFields.Source, out var source) ? ReadSpan(source) : null,
        Provenance = node.TryGetProperty(NodeFields.Provenance, out var provenance) ? ReadProvenance(provenance) : null,
        Policy = node.TryGetProperty(NodeFields.Policy, out var policy) ? ReadPolicy(policy) : null,
        Lifecycle = node.TryGetProperty(NodeFields.Lifecycle, out var lifecycle) ? ReadLifecycle(lifecycle) : null,
        Attributes = ReadAttributes(node, NodeFields.Attributes),
        Origin = node.Location,
    };

    private static GraphEdge ReadEdge(DocumentNode edge) => new(String(edge, EdgeFields.Id), String(edge, EdgeFields.Kind), String(edge, EdgeFields.Source), String(edge, EdgeFields.Target))
    {
        Text = edge.GetOptionalString(EdgeFields.Text),
        Provenance = edge.TryGetProperty(EdgeFields.Provenance, out var provenance) ? ReadProvenance(provenance) : null,
        Attributes = ReadAttributes(edge, EdgeFields.Attributes),
        Origin = edge.Location,
    };

    private static GraphEvent ReadEvent(DocumentNode graphEvent) => new(String(graphEvent, EventFields.Id), String(graphEvent, EventFields.Kind), String(graphEvent, EventFields.At))
    {
        Actor = graphEvent.GetOptionalString(EventFields.Actor),
        Path = graphEvent.GetOptionalString(EventFields.Path),
        Summary = graphEvent.GetOptionalString(EventFields.Summary),
        Nodes = Strings(graphEvent, EventFields.Nodes),
        Edges = Strings(graphEvent, EventFields.Edges),
        Attributes = ReadAttributes(graphEvent, EventFields.Attributes),
        Origin = graphEvent.Location,
    };

    private static SourceSpan ReadSpan(DocumentNode span) =>
        new(String(span, SourceSpanFields.Path), Integer(span, SourceSpanFields.StartLine), Integer(span, SourceSpanFields.EndLine), Integer(span, SourceSpanFields.StartColumn), Integer(span, SourceSpanFields.EndColumn));

    private static Provenance ReadProvenance(DocumentNode provenance) => new()
    {
        Author = provenance.GetOptionalString(ProvenanceFields.Author),
        Method = provenance.GetOptionalString(ProvenanceFields.Method),
        RecordedAt = provenance.GetOptionalString(ProvenanceFields.RecordedAt),
        DerivedFrom = Strings(provenance, ProvenanceFields.DerivedFrom),
        Confidence = provenance.TryGetProperty(ProvenanceFields.Confidence, out var confidence) && confidence.TryGetDouble(out var value) ? value : null,
    };

    private static MemoryPolicy ReadPolicy(DocumentNode policy) => new()
    {
        Labels = Strings(policy, PolicyFields.Labels),
        TrustZone = policy.GetOptionalString(PolicyFields.TrustZone),
        Reauthorize = policy.GetOptionalString(PolicyFields.Reauthorize),
        External = DocumentItems.Of(policy, PolicyFields.External).Select(ReadExternal).ToArray(),
    };

    private static ExternalPolicyReference ReadExternal(DocumentNode reference) => new()
    {
        DecisionId = reference.GetOptionalString(ExternalPolicyFields.DecisionId),
        PolicyVersion = reference.GetOptionalString(ExternalPolicyFields.PolicyVersion),
        Issuer = reference.GetOptionalString(ExternalPolicyFields.Issuer),
        ResourceId = reference.GetOptionalString(ExternalPolicyFields.ResourceId),
        DecidedAt = reference.GetOptionalString(ExternalPolicyFields.DecidedAt),
    };

    private static MemoryLifecycle ReadLifecycle(DocumentNode lifecycle) => new()
    {
        State = lifecycle.GetOptionalString(LifecycleFields.State),
        CreatedAt = lifecycle.GetOptionalString(LifecycleFields.CreatedAt),
        UpdatedAt = lifecycle.GetOptionalString(LifecycleFields.UpdatedAt),
        ReviewedAt = lifecycle.GetOptionalString(LifecycleFields.ReviewedAt),
        StaleAfterDays = Integer(lifecycle, LifecycleFields.StaleAfterDays),
    };

    /// <summary>An attribute value in its one interpretation: booleans as <c>true</c>/<c>false</c>, numbers as their JSON spelling with every digit.</summary>
    private static AttributeValue Attribute(DocumentNode value) => value.Kind switch
    {
        DocumentValueKind.Boolean => new AttributeValue(DocumentValueKind.Boolean, value.GetBoolean() ? "true" : "false"),
        DocumentValueKind.Integer or DocumentValueKind.Float when value.GetJsonNumber() is { } json => AttributeValue.Number(json),
        _ => new AttributeValue(value.Kind, value.GetString()),
    };

    private static IReadOnlyList<KeyValuePair<string, AttributeValue>> ReadAttributes(DocumentNode owner, string name) =>
        owner.TryGetProperty(name, out var attributes)
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

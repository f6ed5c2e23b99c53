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
        root.TryGetProperty(ProfileFields.Activation, out var activation);
        root.TryGetProperty(ProfileFields.Review, out var review);
        return new MemoryProfile(String(root, ProfileFields.SchemaVersion), String(root, ProfileFields.Id))
        {
            Title = root.GetOptionalString(ProfileFields.Title),
            Intent = root.GetOptionalString(ProfileFields.Intent),
            MemoryKinds = Strings(root, ProfileFields.MemoryKinds),
            Stores = Pairs(root, ProfileFields.Stores),
            Activation = new ActivationLimits(Integer(activation, ProfileActivationFields.MaxItems), Integer(activation, ProfileActivationFields.MaxTokens)),
            Retention = DocumentItems.Of(root, ProfileFields.Retention).Select(rule => new RetentionRule(String(rule, RetentionRuleFields.Id), String(rule, RetentionRuleFields.MemoryKind), String(rule, RetentionRuleFields.Action), Integer(rule, RetentionRuleFields.AfterDays) ?? 0)
            {
                NodeKinds = Strings(rule, RetentionRuleFields.NodeKinds),
                ReviewRequired = rule.TryGetProperty(RetentionRuleFields.ReviewRequired, out var flag) && flag.GetBoolean(),
            }).ToArray(),
            ReviewRequiredFor = Strings(review, ProfileReviewFields.RequiredFor),
            Reviewers = Strings(review, ProfileReviewFields.Reviewers),
            ReviewerKeys = Pairs(review, ProfileReviewFields.ReviewerKeys),
        };
    }

    public static MemorySelection ReadSelection(DocumentNode root)
    {
        root.TryGetProperty(SelectionFields.Select, out var select);
        return new MemorySelection(String(root, SelectionFields.SchemaVersion), String(root, SelectionFields.Id), String(root, SelectionFields.Graph))
        {
            Title = root.GetOptionalString(SelectionFields.Title),
            Description = root.GetOptionalString(SelectionFields.Description),
            Profile = root.GetOptionalString(SelectionFields.Profile),
            Nodes = Strings(select, SelectionSelectFields.Nodes).Distinct(StringComparer.Ordinal).ToArray(),
            Edges = Strings(select, SelectionSelectFields.Edges).Distinct(StringComparer.Ordinal).ToArray(),
            Events = Strings(select, SelectionSelectFields.Events).Distinct(StringComparer.Ordinal).ToArray(),
            Budget = root.TryGetProperty(SelectionFields.Budget, out var budget) ? new ActivationLimits(Integer(budget, SelectionBudgetFields.MaxItems), Integer(budget, SelectionBudgetFields.MaxTokens)) : null,
            Namespace = ReadNamespace(root, SelectionFields.Namespace),
        };
    }

    public static ContextManifest ReadManifest(DocumentNode root) => new(String(root, ManifestFields.SchemaVersion), String(root, ManifestFields.Id))
    {
        Title = root.GetOptionalString(ManifestFields.Title),
        Description = root.GetOptionalString(ManifestFields.Description),
        Namespace = ReadNamespace(root, ManifestFields.Namespace),
        Sources = DocumentItems.Of(root, ManifestFields.Sources).Select(source => new ManifestSource(
            source.GetOptionalString(ManifestSourceFields.Selection),
            source.GetOptionalString(ManifestSourceFields.Graph),
            source.TryGetProperty(ManifestSourceFields.Query, out var query) ? ReadQuery(query) : null)).ToArray(),
        Budget = root.TryGetProperty(ManifestFields.Budget, out var budget) ? new ActivationLimits(Integer(budget, SelectionBudgetFields.MaxItems), Integer(budget, SelectionBudgetFields.MaxTokens)) : null,
        Policy = root.GetOptionalString(ManifestFields.Policy),
    };

    public static ContextPolicy ReadContextPolicy(DocumentNode root) => new(String(root, ContextPolicyFields.SchemaVersion), String(root, ContextPolicyFields.Id))
    {
        Title = root.GetOptionalString(ContextPolicyFields.Title),
        DenyLabels = Strings(root, ContextPolicyFields.DenyLabels),
        AllowLabels = Strings(root, ContextPolicyFields.AllowLabels),
        MaxTrustZone = root.GetOptionalString(ContextPolicyFields.MaxTrustZone),
        AssistedSummaries = root.TryGetProperty(ContextPolicyFields.AssistedSummaries, out var assisted) && assisted.GetBoolean(),
        External = DocumentItems.Of(root, ContextPolicyFields.External).Select(ReadExternal).ToArray(),
    };

    public static Packing.ContextPackage ReadPackage(DocumentNode root)
    {
        root.TryGetProperty(PackageFields.Recipe, out var recipe);
        root.TryGetProperty(PackageFields.Budget, out var budget);
        root.TryGetProperty(PackageFields.Summary, out var summary);
        root.TryGetProperty(PackageFields.Metadata, out var metadata);
        return new Packing.ContextPackage(String(root, PackageFields.Id), new Packing.PackageRecipe(String(recipe, PackageRecipeFields.Kind))
        {
            Selection = recipe.GetOptionalString(PackageRecipeFields.Selection),
            Graph = recipe.GetOptionalString(PackageRecipeFields.Graph),
            GraphId = recipe.GetOptionalString(PackageRecipeFields.GraphId),
            Profile = recipe.GetOptionalString(PackageRecipeFields.Profile),
            ProfileId = recipe.GetOptionalString(PackageRecipeFields.ProfileId),
            Nodes = Strings(recipe, PackageRecipeFields.Nodes),
            Edges = Strings(recipe, PackageRecipeFields.Edges),
            Events = Strings(recipe, PackageRecipeFields.Events),
            Manifest = recipe.GetOptionalString(PackageRecipeFields.Manifest),
            Query = recipe.TryGetProperty(PackageRecipeFields.Query, out var query) ? ReadQuery(query) : null,
        }, new Packing.PackageBudget(Integer(budget, PackageBudgetFields.MaxItems), Integer(budget, PackageBudgetFields.MaxTokens), String(budget, PackageBudgetFields.Source)))
        {
            Title = root.GetOptionalString(PackageFields.Title),
            Description = root.GetOptionalString(PackageFields.Description),
            Namespace = ReadNamespace(root, PackageFields.Namespace),
            Summary = DocumentItems.Of(summary, PackageSummaryFields.Layers).Select(layer => new Packing.SummaryLayer(String(layer, SummaryLayerFields.Kind), String(layer, SummaryLayerFields.Text))).ToArray(),
            TokenEstimate = Integer(root, PackageFields.TokenEstimate) ?? 0,
            Items = DocumentItems.Of(root, PackageFields.Items).Select(ReadItem).ToArray(),
            Edges = DocumentItems.Of(metadata, PackageMetadataFields.Edges).Select(edge => new Packing.PackageEdge(String(edge, PackageEdgeFields.Id), String(edge, PackageEdgeFields.Kind), String(edge, PackageEdgeFields.Source), String(edge, PackageEdgeFields.Target), String(edge, PackageEdgeFields.Selection))).ToArray(),
            Dropped = DocumentItems.Of(metadata, PackageMetadataFields.Dropped).Select(item => new Packing.DroppedItem(String(item, DroppedItemFields.Id), String(item, DroppedItemFields.ItemType), String(item, DroppedItemFields.Reason))).ToArray(),
        };
    }

    private static NodeQuery ReadQuery(DocumentNode query) => new()
    {
        Kinds = Strings(query, ManifestQueryFields.Kinds),
        Ids = Strings(query, ManifestQueryFields.Ids),
        Labels = Strings(query, ManifestQueryFields.Labels),
        Text = query.GetOptionalString(ManifestQueryFields.Text),
    };

    private static Packing.PackageItem ReadItem(DocumentNode item) =>
        new(String(item, PackageItemFields.Id), String(item, PackageItemFields.ItemType), String(item, PackageItemFields.Kind), String(item, PackageItemFields.Title), String(item, PackageItemFields.Summary), Integer(item, PackageItemFields.TokenEstimate) ?? 0, item.TryGetProperty(PackageItemFields.Origin, out var origin) ? ReadSpan(origin) : new SourceSpan(string.Empty))
        {
            Text = item.GetOptionalString(PackageItemFields.Text),
            Source = item.TryGetProperty(PackageItemFields.Source, out var source) ? ReadSpan(source) : null,
            Provenance = item.TryGetProperty(PackageItemFields.Provenance, out var provenance) ? ReadProvenance(provenance) : null,
            Policy = item.TryGetProperty(PackageItemFields.Policy, out var policy) ? ReadPolicy(policy) : null,
            Freshness = item.TryGetProperty(PackageItemFields.Freshness, out var freshness) ? ReadLifecycle(freshness) : null,
            Event = item.TryGetProperty(PackageItemFields.Event, out var detail) ? new Packing.EventDetail(String(detail, EventDetailFields.At))
            {
                Actor = detail.GetOptionalString(EventDetailFields.Actor),
                Path = detail.GetOptionalString(EventDetailFields.Path),
                Nodes = Strings(detail, EventDetailFields.Nodes),
                Edges = Strings(detail, EventDetailFields.Edges),
            } : null,
        };

    private static MemoryNamespace? ReadNamespace(DocumentNode owner, string property) =>
        owner.TryGetProperty(property, out var scope) ? new MemoryNamespace(String(scope, SelectionNamespaceFields.Kind), String(scope, SelectionNamespaceFields.Id)) : null;

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

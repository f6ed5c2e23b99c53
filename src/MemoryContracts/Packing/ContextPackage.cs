using MemoryContracts.Model;

namespace MemoryContracts.Packing;

/// <summary>A compiled <c>markitect.context.package.v1</c>: items with spans, summaries, token estimates, provenance and policy.</summary>
public sealed record ContextPackage(string Id, PackageRecipe Recipe, PackageBudget Budget)
{
    /// <summary>The contract identifier of packages.</summary>
    public const string SchemaVersion = SchemaVersions.PackageV1;

    /// <summary>The title.</summary>
    public string? Title { get; init; }

    /// <summary>What the package is for.</summary>
    public string? Description { get; init; }

    /// <summary>The namespace.</summary>
    public MemoryNamespace? Namespace { get; init; }

    /// <summary>Package-level summaries, deterministic layers first.</summary>
    public IReadOnlyList<SummaryLayer> Summary { get; init; } = [];

    /// <summary>Estimated tokens of all items.</summary>
    public int TokenEstimate { get; init; }

    /// <summary>The items, in priority order.</summary>
    public IReadOnlyList<PackageItem> Items { get; init; } = [];

    /// <summary>Selected edges and edges implied between selected nodes.</summary>
    public IReadOnlyList<PackageEdge> Edges { get; init; } = [];

    /// <summary>Items left out for the budget, in the order they were dropped.</summary>
    public IReadOnlyList<DroppedItem> Dropped { get; init; } = [];
}

/// <summary>How a package was built, so it can be rebuilt.</summary>
/// <param name="Kind">A <c>RecipeKind</c> term.</param>
public sealed record PackageRecipe(string Kind)
{
    /// <summary>The selection file name.</summary>
    public string? Selection { get; init; }

    /// <summary>The graph file, as the selection names it.</summary>
    public string? Graph { get; init; }

    /// <summary>The graph's id.</summary>
    public string? GraphId { get; init; }

    /// <summary>The profile file, as the selection names it.</summary>
    public string? Profile { get; init; }

    /// <summary>The profile's id.</summary>
    public string? ProfileId { get; init; }

    /// <summary>Selected node ids.</summary>
    public IReadOnlyList<string> Nodes { get; init; } = [];

    /// <summary>Selected edge ids.</summary>
    public IReadOnlyList<string> Edges { get; init; } = [];

    /// <summary>Selected event ids.</summary>
    public IReadOnlyList<string> Events { get; init; } = [];

    /// <summary>The manifest file, for a package built from a manifest.</summary>
    public string? Manifest { get; init; }

    /// <summary>The query, for a package built from a query.</summary>
    public NodeQuery? Query { get; init; }
}

/// <summary>The limits a package was held to.</summary>
/// <param name="MaxItems">At most this many items.</param>
/// <param name="MaxTokens">At most this many tokens.</param>
/// <param name="Source">A <c>BudgetSource</c> term: where the limits came from.</param>
public sealed record PackageBudget(int? MaxItems, int? MaxTokens, string Source);

/// <summary>One package summary.</summary>
/// <param name="Kind">A <c>SummaryKind</c> term.</param>
/// <param name="Text">The summary.</param>
public sealed record SummaryLayer(string Kind, string Text);

/// <summary>What an event item records.</summary>
public sealed record EventDetail(string At)
{
    /// <summary>Who caused it.</summary>
    public string? Actor { get; init; }

    /// <summary>The conversational path.</summary>
    public string? Path { get; init; }

    /// <summary>Nodes touched.</summary>
    public IReadOnlyList<string> Nodes { get; init; } = [];

    /// <summary>Edges touched.</summary>
    public IReadOnlyList<string> Edges { get; init; } = [];
}

/// <summary>One package item, made from a node or (synthetically) from an event.</summary>
public sealed record PackageItem(string Id, string ItemType, string Kind, string Title, string Summary, int TokenEstimate, SourceSpan Origin)
{
    /// <summary>The full text.</summary>
    public string? Text { get; init; }

    /// <summary>Where the memory comes from.</summary>
    public SourceSpan? Source { get; init; }

    /// <summary>Provenance.</summary>
    public Provenance? Provenance { get; init; }

    /// <summary>Policy metadata.</summary>
    public MemoryPolicy? Policy { get; init; }

    /// <summary>Lifecycle state and timestamps.</summary>
    public MemoryLifecycle? Freshness { get; init; }

    /// <summary>For event items, the event.</summary>
    public EventDetail? Event { get; init; }
}

/// <summary>An edge kept in package metadata.</summary>
/// <param name="Id">The edge id.</param>
/// <param name="Kind">The edge kind.</param>
/// <param name="Source">The source node id.</param>
/// <param name="Target">The target node id.</param>
/// <param name="Selection">An <c>EdgeSelection</c> term: selected or implied.</param>
public sealed record PackageEdge(string Id, string Kind, string Source, string Target, string Selection);

/// <summary>An item left out for the budget.</summary>
/// <param name="Id">The node or event id.</param>
/// <param name="ItemType">A <c>PackageItemType</c> term.</param>
/// <param name="Reason">A <c>DropReason</c> term.</param>
public sealed record DroppedItem(string Id, string ItemType, string Reason);

using MemoryContracts.Model;
using MemoryContracts.Packing;

namespace MemoryContracts.Runtime.Context;

/// <summary>Writes an assisted (model-written) summary layer. Never called unless configured and the package's policy allows it.</summary>
public interface IAssistedSummarizer
{
    /// <summary>Summarizes items that passed the policy.</summary>
    string Summarize(IReadOnlyList<PackageItem> items);
}

/// <summary>How a registry behaves.</summary>
public sealed record ContextRegistryOptions
{
    /// <summary>The default: the system clock, no assisted summarizer.</summary>
    public static ContextRegistryOptions Default { get; } = new();

    /// <summary>The clock for lifecycle records and freshness.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The assisted summarizer, used only where the package's policy sets <c>assisted_summaries: true</c>.</summary>
    public IAssistedSummarizer? AssistedSummarizer { get; init; }

    /// <summary>
    /// The folder every fixture a recipe reads (its manifest, selection, graph, profile, policy) must stay inside,
    /// after links are resolved; a recipe that points elsewhere (an edited <c>recipe.json</c>) is refused with MC4010
    /// and nothing is read. The command line sets it from <c>--root</c> (the current folder by default); null checks nothing.
    /// </summary>
    public string? FixtureRoot { get; init; }

    /// <summary>
    /// A secret key (at least 16 bytes) for the registry's integrity MACs, or null. With a key, every <c>packed</c> and
    /// <c>refreshed</c> lifecycle entry carries an HMAC-SHA256 of the package's namespace, id and digest, and a package
    /// is served only when the last such entry carries a MAC that verifies (MC5029 otherwise): someone who can write
    /// the registry folder but does not hold the key cannot make an edited package pass by rewriting its digests.
    /// The command line reads it (base64) from <c>MEMORYCONTRACTS_REGISTRY_KEY</c>.
    /// </summary>
    public byte[]? IntegrityKey { get; init; }

    /// <summary>
    /// What counts item tokens when packing and for the activation budget, or null for the deterministic estimate
    /// (one token per four characters; what build-time packages use). A host that knows its model passes that
    /// model's tokenizer (<c>MemoryContracts.Agents.TiktokenCounter</c>), so a budget holds in real tokens.
    /// </summary>
    public MemoryContracts.Packing.ITokenCounter? TokenCounter { get; init; }
}

/// <summary>How a package is (re)built: from a manifest, a selection, or a query over a graph.</summary>
/// <param name="Source"><c>manifest</c>, <c>selection</c> or <c>query</c>.</param>
/// <param name="Path">The manifest, selection or graph file (full path).</param>
/// <param name="Id">The package id.</param>
public sealed record ContextRecipe(string Source, string Path, string Id)
{
    /// <summary>For a query: the conditions.</summary>
    public NodeQuery? Query { get; init; }

    /// <summary>The namespace the package is registered in.</summary>
    public MemoryNamespace Namespace { get; init => field = value ?? ContextRegistry.DefaultNamespace; } = ContextRegistry.DefaultNamespace;

    /// <summary>The local label policy file (full path), if any.</summary>
    public string? Policy { get; init; }

    /// <summary>For a query: the budget.</summary>
    public ActivationLimits? Budget { get; init; }

    /// <summary>For a query: the title.</summary>
    public string? Title { get; init; }
}

/// <summary>A memory kept out of a package or an activation, by id and reason only; never its content.</summary>
/// <param name="Id">The item id.</param>
/// <param name="Reason">Why (a policy rule, or the budget).</param>
public sealed record WithheldItem(string Id, string Reason);

/// <summary>One line of a package's lifecycle log.</summary>
/// <param name="At">When.</param>
/// <param name="Actor">Who.</param>
/// <param name="Action"><c>packed</c>, <c>activated</c>, <c>deactivated</c> or <c>refreshed</c>.</param>
/// <param name="Digest">The package digest at that moment.</param>
public sealed record LifecycleEntry(string At, string Actor, string Action, string Digest)
{
    /// <summary>Why each item is in the package (written when packed or refreshed).</summary>
    public IReadOnlyDictionary<string, string>? Reasons { get; init; }

    /// <summary>What the policy kept out.</summary>
    public IReadOnlyList<WithheldItem>? Withheld { get; init; }

    /// <summary>A note (what a refresh changed, what an activation withheld).</summary>
    public string? Note { get; init; }

    /// <summary>The operation id, unique in the registry, that ties this entry to the caller's own records.</summary>
    public string? Operation { get; init; }

    /// <summary>For <c>packed</c> and <c>refreshed</c>, when the registry has an integrity key: the HMAC-SHA256 of the package's namespace, id and digest.</summary>
    public string? Mac { get; init; }
}

/// <summary>A registered package, as <c>list</c> shows it.</summary>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Id">Its stable id.</param>
/// <param name="Items">How many items it holds.</param>
/// <param name="Tokens">Its token estimate.</param>
/// <param name="State"><c>active</c> or <c>inactive</c>.</param>
/// <param name="LastAction">The last lifecycle action and when.</param>
public sealed record RegistryEntry(MemoryNamespace Namespace, string Id, int Items, int Tokens, string State, string LastAction);

/// <summary>What an agent receives on activation: the items that pass the policy now, within the budget.</summary>
/// <param name="Package">The package id.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Digest">The package digest.</param>
/// <param name="ActivatedAt">When.</param>
/// <param name="Actor">Who activated it.</param>
public sealed record ActivationEnvelope(string Package, MemoryNamespace Namespace, string Digest, string ActivatedAt, string Actor)
{
    /// <summary>The format of the envelope.</summary>
    public string Format { get; init; } = "markitect.context.activation.v1";

    /// <summary>The budget applied.</summary>
    public PackageBudget? Budget { get; init; }

    /// <summary>The summary layers, rebuilt from the items below.</summary>
    public IReadOnlyList<SummaryLayer> Summary { get; init; } = [];

    /// <summary>The total tokens of the items, as <see cref="TokenCounter"/> counts them.</summary>
    public int TokenEstimate { get; init; }

    /// <summary>What counted the tokens: <c>estimate</c>, or the tokenizer the registry was given (such as <c>o200k_base</c>).</summary>
    public string TokenCounter { get; init; } = "estimate";

    /// <summary>The items, in package order.</summary>
    public IReadOnlyList<ActivatedItem> Items { get; init; } = [];

    /// <summary>What the policy or the budget kept out now.</summary>
    public IReadOnlyList<WithheldItem> Withheld { get; init; } = [];
}

/// <summary>One item of an activation.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Title">Its title.</param>
/// <param name="Text">Its text.</param>
/// <param name="TokenEstimate">Its token estimate.</param>
/// <param name="Source">Where it comes from, as <c>path:lines</c>.</param>
public sealed record ActivatedItem(string Id, string Kind, string Title, string? Text, int TokenEstimate, string? Source);

/// <summary>What a refresh changed.</summary>
/// <param name="Added">Items that are new.</param>
/// <param name="Removed">Items that are gone.</param>
/// <param name="Changed">Items whose content changed.</param>
/// <param name="Digest">The new digest.</param>
public sealed record RefreshReport(IReadOnlyList<string> Added, IReadOnlyList<string> Removed, IReadOnlyList<string> Changed, string Digest)
{
    /// <summary>Whether anything changed.</summary>
    public bool Unchanged => Added.Count == 0 && Removed.Count == 0 && Changed.Count == 0;
}

/// <summary>Why a package holds what it holds.</summary>
/// <param name="Package">The package id.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="State">active or inactive.</param>
/// <param name="Items">Every included item, explained.</param>
/// <param name="Withheld">What the policy kept out when it was packed.</param>
/// <param name="Dropped">What the budget dropped.</param>
public sealed record PackageExplanation(string Package, MemoryNamespace Namespace, string State, IReadOnlyList<ExplainedItem> Items, IReadOnlyList<WithheldItem> Withheld, IReadOnlyList<WithheldItem> Dropped);

/// <summary>One included item: where it comes from, what it costs, how fresh it is, and why it is there.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Source">Its source span (<c>path:lines</c>), or where it is defined in its graph.</param>
/// <param name="TokenEstimate">Its token estimate.</param>
/// <param name="Freshness">Its lifecycle state and age.</param>
/// <param name="Why">Why it is in the package.</param>
public sealed record ExplainedItem(string Id, string Kind, string Source, int TokenEstimate, string Freshness, string Why);

using MemoryContracts.Model;
using MemoryContracts.Packing;
using MemoryContracts.Runtime.Lifecycle;
using Microsoft.Agents.AI;

namespace MemoryContracts.Agents;

/// <summary>What <see cref="MemoryContextProvider"/> brings into each agent run, and where it records what it did.</summary>
public sealed record MemoryContextOptions
{
    /// <summary>The context packages to activate before each run, in order.</summary>
    public IReadOnlyList<PackageReference> Packages { get; init; } = [];

    /// <summary>
    /// A retrieval from the workspace to add after the packages (a node's neighborhood, a decision path, an episode),
    /// through the label policy: what its clearances do not cover is withheld by id and reason, never injected.
    /// </summary>
    public MemoryRetrieval? Retrieval { get; init; }

    /// <summary>At most this many tokens of memory enter one run, counted by <see cref="TokenCounter"/>; items past it are withheld.</summary>
    public int MaxTokens { get; init; } = 4000;

    /// <summary>What counts the tokens: the model's tokenizer (o200k_base by default).</summary>
    public ITokenCounter TokenCounter { get; init; } = TiktokenCounter.O200kBase;

    /// <summary>The workspace graph that holds the injection receipts (created when missing).</summary>
    public string ReceiptGraph { get; init; } = "agent-runs";

    /// <summary>
    /// Called after each successful run: the memory changes to propose (refresh, forget), or null for none. The
    /// provider records them as a lifecycle plan for a person to review and apply; it never applies one itself.
    /// </summary>
    public Func<AIContextProvider.InvokedContext, LifecycleProposal?>? ProposeAfterRun { get; init; }
}

/// <summary>A context package in the registry.</summary>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Id">Its id.</param>
public sealed record PackageReference(MemoryNamespace Namespace, string Id)
{
    /// <summary>A package in the default namespace (<c>project:default</c>).</summary>
    public static PackageReference Default(string id) => new(Runtime.Context.ContextRegistry.DefaultNamespace, id);

    /// <inheritdoc />
    public override string ToString() => $"{Namespace.Kind}:{Namespace.Id}/{Id}";
}

/// <summary>A retrieval for each run, and what the agent is cleared to see (the agent's name is the subject's actor).</summary>
/// <param name="Query">What to retrieve.</param>
public sealed record MemoryRetrieval(Runtime.Retrieval.RetrievalQuery Query)
{
    /// <summary>The policy labels the agent may see.</summary>
    public IReadOnlyList<string> Clearances { get; init; } = [];

    /// <summary>The widest trust zone it may receive (null: public).</summary>
    public string? TrustZone { get; init; }
}

/// <summary>Memory changes an agent run proposes: a lifecycle plan over a graph, governed by a profile.</summary>
/// <param name="GraphId">The graph.</param>
/// <param name="ProfileId">The profile whose rules and reviewers govern the plan.</param>
/// <param name="Request">What to refresh or forget, and why.</param>
public sealed record LifecycleProposal(string GraphId, string ProfileId, LifecycleRequest Request);

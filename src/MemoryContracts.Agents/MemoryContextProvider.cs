using System.Runtime.CompilerServices;
using System.Text;
using MemoryContracts.Documents;
using MemoryContracts.Model;
using MemoryContracts.Packing;
using MemoryContracts.Runtime;
using MemoryContracts.Runtime.Context;
using MemoryContracts.Runtime.Lifecycle;
using MemoryContracts.Runtime.Retrieval;
using MemoryContracts.Runtime.Storage;
using Microsoft.Agents.AI;

namespace MemoryContracts.Agents;

/// <summary>
/// Memory for Microsoft Agent Framework agents. Before each run it activates the configured context packages through
/// the registry (each package's policy is checked again as it stands now, and the activation is logged) and runs the
/// configured retrieval through the workspace's label policy, fits their
/// items into the run's token budget counted by the model's tokenizer, adds them to the run's instructions, and
/// records an injection receipt in the workspace (an <c>activated</c> event: run, agent, packages with digests, item
/// ids, tokens) before the model sees anything. After a run it can propose memory changes as a lifecycle plan, which
/// a person reviews and applies; it never applies one.
/// </summary>
public sealed class MemoryContextProvider : AIContextProvider
{
    private readonly ContextRegistry _registry;
    private readonly MemoryWorkspace _workspace;
    private readonly MemoryContextOptions _options;
    private readonly ConditionalWeakTable<AgentSession, string> _runs = [];

    /// <summary>Creates a provider over a registry (the packages) and a workspace (the receipts and proposals).</summary>
    public MemoryContextProvider(ContextRegistry registry, MemoryWorkspace workspace, MemoryContextOptions options)
    {
        _registry = registry;
        _workspace = workspace;
        _options = options;
        if (options.MaxTokens <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxTokens, "MaxTokens must be positive");
        }

        workspace.Store.CreateGraph(new GraphHeader(options.ReceiptGraph, "Agent runs", "What entered each agent run (injection receipts) and the memory changes runs proposed."));
    }

    /// <summary>The receipt of the latest run, or null before the first.</summary>
    public InjectionReceipt? LastReceipt { get; private set; }

    /// <summary>The latest plan a run proposed (recorded in the workspace, waiting for review), or null.</summary>
    public LifecyclePlan? LastProposal { get; private set; }

    /// <inheritdoc />
    protected override async ValueTask<AIContext> ProvideAIContextAsync(InvokingContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var agent = AgentName(context.Agent);
        var runId = "run-" + Guid.NewGuid().ToString("N")[..16];
        var sources = new List<string>();
        var candidates = new List<(string Id, string Text)>();
        var withheld = new List<(string Id, string Reason)>();
        foreach (var reference in _options.Packages)
        {
            var envelope = _registry.Activate(reference.Namespace, reference.Id, agent);
            sources.Add($"{reference}@{envelope.Digest}");
            withheld.AddRange(envelope.Withheld.Select(item => (item.Id, item.Reason)));
            candidates.AddRange(envelope.Items.Select(item => (item.Id, Render(item.Id, item.Kind, item.Title, item.Text))));
        }

        if (_options.Retrieval is { } retrieval)
        {
            var result = await _workspace.RetrieveAsync(retrieval.Query, new RetrievalSubject(agent, retrieval.Clearances, retrieval.TrustZone), cancellationToken).ConfigureAwait(false);
            sources.Add($"retrieval:{result.GraphId}#{result.Operation}");
            withheld.AddRange(result.Denied.Select(item => (item.Id, item.Reason)));
            candidates.AddRange(result.Items.Select(item => (item.Node.Id, Render(item.Node.Id, item.Node.Kind, item.Node.Title, item.Node.Text))));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unique = candidates.Where(candidate => seen.Add(candidate.Id)).ToArray();
        var counts = unique.Select(candidate => _options.TokenCounter.CountTokens(candidate.Text)).ToArray();
        var fit = BudgetFit.Of(counts, null, _options.MaxTokens);
        var injected = unique.Take(fit.Kept).ToList();
        var tokens = counts.Take(fit.Kept).Sum();
        withheld.AddRange(unique.Skip(fit.Kept).Select(candidate => (candidate.Id, $"budget: the run's max_tokens ({_options.MaxTokens} {_options.TokenCounter.Name} tokens)")));

        LastReceipt = await RecordAsync(runId, agent, sources, injected.Select(entry => entry.Id).ToArray(), tokens, withheld, cancellationToken).ConfigureAwait(false);
        if (context.Session is { } session)
        {
            _runs.AddOrUpdate(session, runId);
        }

        return new AIContext
        {
            Instructions = injected.Count == 0 ? null : Instructions(injected.Select(entry => entry.Text)),
        };
    }

    /// <inheritdoc />
    protected override ValueTask StoreAIContextAsync(InvokedContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (context.InvokeException is not null || _options.ProposeAfterRun?.Invoke(context) is not { } proposal)
        {
            return ValueTask.CompletedTask;
        }

        var agent = AgentName(context.Agent);
        var plan = _workspace.Lifecycle.Plan(proposal.GraphId, proposal.ProfileId, proposal.Request with { RequestedBy = agent });
        var runId = context.Session is { } session && _runs.TryGetValue(session, out var known) ? known : "run-" + Guid.NewGuid().ToString("N")[..16];
        _workspace.Append(_options.ReceiptGraph, new GraphEvent($"{runId}-proposed", EventKind.PolicyDecision.ToWireName(), _workspace.Now())
        {
            Actor = agent,
            Summary = $"{runId} proposed plan {plan.Id} ({plan.Actions.Count} action(s)){(plan.RequiresReview ? ", waiting for approval" : string.Empty)}",
            Attributes = Pairs(("run_id", runId), ("agent", agent), ("plan", plan.Id), ("graph", plan.GraphId), ("needs_approval", plan.RequiresReview ? "true" : "false")),
        });
        LastProposal = plan;
        return ValueTask.CompletedTask;
    }

    private async ValueTask<InjectionReceipt> RecordAsync(string runId, string agent, IReadOnlyList<string> sources, IReadOnlyList<string> items, int tokens, IReadOnlyList<(string Id, string Reason)> withheld, CancellationToken cancellationToken)
    {
        var eventId = runId + "-injected";
        await _workspace.AppendAsync(_options.ReceiptGraph, new GraphEvent(eventId, EventKind.Activated.ToWireName(), _workspace.Now())
        {
            Actor = agent,
            Summary = $"{items.Count} item(s), {tokens} {_options.TokenCounter.Name} tokens into {runId}",
            Attributes = Pairs(
                ("run_id", runId),
                ("agent", agent),
                ("sources", string.Join("\n", sources)),
                ("items", string.Join("\n", items)),
                ("tokens", tokens.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("token_counter", _options.TokenCounter.Name),
                ("withheld", withheld.Count == 0 ? null : string.Join("\n", withheld.Select(item => $"{item.Id}: {item.Reason}")))),
        }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new InjectionReceipt(runId, agent, eventId, sources, items, tokens, _options.TokenCounter.Name, withheld);
    }

    /// <summary>One item as the model reads it: its id (to cite), kind and title, then its text.</summary>
    private static string Render(string id, string kind, string title, string? text) =>
        string.IsNullOrEmpty(text) ? $"[{id}] {kind}: {title}" : $"[{id}] {kind}: {title}\n{text}";

    private static string Instructions(IEnumerable<string> items)
    {
        var text = new StringBuilder("Memory from context packages (cite item ids in brackets when you use them):\n");
        foreach (var item in items)
        {
            text.Append('\n').Append(item).Append('\n');
        }

        return text.ToString();
    }

    private static string AgentName(AIAgent agent) => agent.Name ?? agent.Id;

    private static KeyValuePair<string, AttributeValue>[] Pairs(params (string Name, string? Value)[] pairs) =>
        pairs.Where(pair => pair.Value is not null).Select(pair => new KeyValuePair<string, AttributeValue>(pair.Name, new AttributeValue(DocumentValueKind.String, pair.Value!))).ToArray();
}

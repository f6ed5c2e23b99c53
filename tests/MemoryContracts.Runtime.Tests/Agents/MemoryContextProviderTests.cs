using System.Text.RegularExpressions;
using MemoryContracts.Agents;
using MemoryContracts.Model;
using MemoryContracts.Runtime.Context;
using MemoryContracts.Runtime.Lifecycle;
using Microsoft.Agents.AI;
using Xunit;

namespace MemoryContracts.Runtime.Tests.Agents;

/// <summary>
/// Issue 15: the context provider inside a real Agent Framework <see cref="ChatClientAgent"/> with a chat client that
/// records what the model is sent: packages injected within a real token budget, withheld items absent, and a
/// receipt in the workspace naming exactly the injected item ids; proposals are recorded, never applied.
/// </summary>
public sealed partial class MemoryContextProviderTests : IDisposable
{
    private const string DeniedText = "Teams build many times an hour";
    private static readonly MemoryNamespace Project = new("project", "memorycontracts");
    private readonly string _catalog = TestSupport.CopyCatalog("agents");
    private readonly ContextRegistry _registry;
    private readonly MemoryWorkspace _workspace;

    public MemoryContextProviderTests()
    {
        // Packed while the policy let the performance risk in; the policy denies it by the time the agent runs.
        var policy = Path.Combine(_catalog, "context-policy.yaml");
        File.WriteAllText(policy, File.ReadAllText(policy).Replace("deny_labels: [secret, performance]", "deny_labels: [secret]", StringComparison.Ordinal));
        _registry = new ContextRegistry(Path.Combine(_catalog, ".memory", "context"), new ContextRegistryOptions { FixtureRoot = _catalog });
        _registry.Pack(ContextRegistry.RecipeFor(Path.Combine(_catalog, "decision-graph-selection.yaml"), policy: policy), "tester");
        Assert.Contains(_registry.Load(Project, "contract-boundary-decisions").Items, item => item.Id == "build-cost-risk");
        File.WriteAllText(policy, File.ReadAllText(policy).Replace("deny_labels: [secret]", "deny_labels: [performance]", StringComparison.Ordinal));
        _workspace = MemoryWorkspace.Create(Path.Combine(_catalog, "ledger"));
    }

    [Fact]
    public async Task A_run_gets_the_packages_within_budget_without_denied_items_and_leaves_an_exact_receipt()
    {
        var chat = new RecordingChatClient();
        var provider = new MemoryContextProvider(_registry, _workspace, new MemoryContextOptions { Packages = [new PackageReference(Project, "contract-boundary-decisions")], MaxTokens = 4000 });
        var agent = new ChatClientAgent(chat, new ChatClientAgentOptions { Name = "planner", AIContextProviders = [provider] });

        await agent.RunAsync("What did we decide about validation?");

        var prompt = chat.LastPrompt;
        Assert.Contains("What did we decide about validation?", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain(DeniedText, prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("[build-cost-risk]", prompt, StringComparison.Ordinal);
        var cited = ItemId().Matches(prompt).Select(match => match.Groups[1].Value).ToArray();
        Assert.NotEmpty(cited);

        var receipt = provider.LastReceipt!;
        Assert.Equal(cited, receipt.Items);
        Assert.Equal("planner", receipt.Agent);
        Assert.Equal("o200k_base", receipt.TokenCounter);
        Assert.Contains(receipt.Withheld, item => item.Id == "build-cost-risk" && item.Reason == "policy 'project-context-policy' denies label 'performance'");
        Assert.InRange(receipt.Tokens, 1, 4000);

        var logged = Assert.Single(_workspace.Events("agent-runs"));
        Assert.Equal((receipt.EventId, "activated", "planner"), (logged.Id, logged.Kind, logged.Actor));
        string Attribute(string name) => logged.Attributes.Single(pair => pair.Key == name).Value.Text;
        Assert.Equal(string.Join("\n", cited), Attribute("items"));
        Assert.Equal(receipt.RunId, Attribute("run_id"));
        Assert.Equal(receipt.Tokens.ToString(System.Globalization.CultureInfo.InvariantCulture), Attribute("tokens"));
        Assert.StartsWith("project:memorycontracts/contract-boundary-decisions@sha256:", Attribute("sources"), StringComparison.Ordinal);
        Assert.DoesNotContain(DeniedText, string.Join("\n", logged.Attributes.Select(pair => pair.Value.Text)), StringComparison.Ordinal);

        // The activation went through the registry: its lifecycle log records it, by the agent.
        Assert.Contains(_registry.History(Project, "contract-boundary-decisions"), entry => entry.Action == "activated" && entry.Actor == "planner");
    }

    [Fact]
    public async Task The_budget_holds_in_real_tokens_and_what_does_not_fit_is_withheld_by_reason()
    {
        var chat = new RecordingChatClient();
        var counter = TiktokenCounter.O200kBase;
        var full = new MemoryContextProvider(_registry, _workspace, new MemoryContextOptions { Packages = [new PackageReference(Project, "contract-boundary-decisions")], MaxTokens = 100_000, ReceiptGraph = "full-runs" });
        await new ChatClientAgent(chat, new ChatClientAgentOptions { Name = "a", AIContextProviders = [full] }).RunAsync("hello");
        var everything = full.LastReceipt!;
        Assert.True(everything.Items.Count >= 3);

        var budget = everything.Tokens - 1;
        var tight = new MemoryContextProvider(_registry, _workspace, new MemoryContextOptions { Packages = [new PackageReference(Project, "contract-boundary-decisions")], MaxTokens = budget, TokenCounter = counter });
        await new ChatClientAgent(chat, new ChatClientAgentOptions { Name = "b", AIContextProviders = [tight] }).RunAsync("hello");
        var receipt = tight.LastReceipt!;
        Assert.True(receipt.Tokens <= budget);
        Assert.True(receipt.Items.Count < everything.Items.Count);
        Assert.Contains(receipt.Withheld, item => item.Reason == $"budget: the run's max_tokens ({budget} o200k_base tokens)");

        // The count is the tokenizer's count of exactly what the model was sent for those items.
        var sent = ItemBlock().Matches(chat.LastPrompt).Sum(match => counter.CountTokens(match.Value.TrimEnd('\n')));
        Assert.Equal(receipt.Tokens, sent);
    }

    [Fact]
    public async Task A_retrieval_brings_what_the_agent_is_cleared_for_and_names_the_rest_by_id_only()
    {
        _workspace.Import(TestSupport.Write(_catalog, "kb.yaml", TestSupport.KnowledgeGraph), "tester");
        var chat = new RecordingChatClient();
        var provider = new MemoryContextProvider(_registry, _workspace, new MemoryContextOptions
        {
            Retrieval = new MemoryRetrieval(new Retrieval.RetrievalQuery.Neighborhood("kb", "decision")),
        });
        await new ChatClientAgent(chat, new ChatClientAgentOptions { Name = "researcher", AIContextProviders = [provider] }).RunAsync("Why do we validate in the build?");

        Assert.DoesNotContain("SECRET-PAYLOAD-7731", chat.LastPrompt, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret fact", chat.LastPrompt, StringComparison.Ordinal);
        var receipt = provider.LastReceipt!;
        Assert.Equal(ItemId().Matches(chat.LastPrompt).Select(match => match.Groups[1].Value), receipt.Items);
        Assert.Equal(["decision", "fact-public"], receipt.Items.Order(StringComparer.Ordinal));
        Assert.Equal(("fact-secret", "requires label(s) restricted-ops"), Assert.Single(receipt.Withheld));
        Assert.StartsWith("retrieval:kb#op-", Assert.Single(receipt.Sources), StringComparison.Ordinal);
        // The retrieval's own policy decisions are audited under the agent's name.
        Assert.Contains(_workspace.AuditTrail(), record => record.Action == "retrieve" && record.Actor == "researcher");
    }

    [Fact]
    public async Task A_run_proposes_a_plan_for_review_and_nothing_is_applied()
    {
        _workspace.Import(TestSupport.Write(_catalog, "kb.yaml", TestSupport.KnowledgeGraph), "tester");
        _workspace.Import(TestSupport.Write(_catalog, "kb-profile.yaml", TestSupport.Profile), "tester");
        var provider = new MemoryContextProvider(_registry, _workspace, new MemoryContextOptions
        {
            Packages = [new PackageReference(Project, "contract-boundary-decisions")],
            ProposeAfterRun = run => run.ResponseMessages!.Any(message => message.Text.Contains("forget", StringComparison.Ordinal))
                ? new LifecycleProposal("kb", "kb-profile", new LifecycleRequest { Forget = ["fact-secret"], Reason = "the user asked to forget it", Retention = false })
                : null,
        });
        var agent = new ChatClientAgent(new RecordingChatClient("I will forget the secret fact."), new ChatClientAgentOptions { Name = "curator", AIContextProviders = [provider] });

        await agent.RunAsync("Please forget the secret fact.");

        var plan = provider.LastProposal!;
        Assert.True(plan.RequiresReview);
        Assert.Equal("curator", plan.RequestedBy);
        Assert.Contains(plan.Actions, action => action.Action == "forget" && action.Node == "fact-secret");
        Assert.NotNull(_workspace.Store.LoadPlan("kb", plan.Id));
        Assert.Contains(_workspace.Nodes("kb"), node => node.Id == "fact-secret");
        var proposed = _workspace.Events("agent-runs").Single(graphEvent => graphEvent.Kind == "policy_decision");
        Assert.Equal(provider.LastReceipt!.RunId + "-proposed", proposed.Id);
        Assert.Equal(plan.Id, proposed.Attributes.Single(pair => pair.Key == "plan").Value.Text);
        Assert.DoesNotContain(_workspace.AuditTrail(), record => record.Action == "apply");
    }

    public void Dispose() => _workspace.Dispose();

    [GeneratedRegex(@"^\[([^\]\n]+)\] ", RegexOptions.Multiline)]
    private static partial Regex ItemId();

    [GeneratedRegex(@"^\[[^\]\n]+\] [^\n]*\n(?:[^\n\[][^\n]*\n)*", RegexOptions.Multiline)]
    private static partial Regex ItemBlock();
}
